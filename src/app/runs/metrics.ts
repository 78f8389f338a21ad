/**
 * The metrics history of a run as JSON lines, one per epoch: the trainer's epoch record plus that
 * epoch's step losses and gradient norms, from which the trainer's history is rebuilt on resume.
 */
import type { EpochRecord, History, StepRecord } from "../../train/trainer.ts";

/** One line of `metrics.jsonl`. */
export interface EpochLine extends EpochRecord {
  /** The loss of every step of the epoch, in order. */
  readonly losses: readonly number[];
  /** The gradient norm (before clipping) of every step of the epoch. */
  readonly gradNorms: readonly number[];
}

/** The line of an epoch, given the step records of the whole history. */
export function epochLine(record: EpochRecord, steps: readonly StepRecord[]): EpochLine {
  const own = steps.filter((s) => s.epoch === record.epoch);
  return { ...record, losses: own.map((s) => s.loss), gradNorms: own.map((s) => s.gradNorm) };
}

/** The trainer history the lines describe (step records numbered from each epoch's first step). */
export function historyOf(lines: readonly EpochLine[]): History {
  const steps = lines.flatMap((line) => {
    const first = line.step - line.losses.length;
    return line.losses.map((loss, k) => ({
      step: first + k,
      epoch: line.epoch,
      loss,
      gradNorm: line.gradNorms[k] as number,
    }));
  });
  const epochs = lines.map(({ losses: _l, gradNorms: _g, ...record }) => record);
  return { steps, epochs };
}

/** Serialises lines as JSON lines. */
export function formatLines(lines: readonly EpochLine[]): string {
  return lines.map((l) => `${JSON.stringify(l)}\n`).join("");
}

/** Parses JSON lines (blank lines ignored); `source` names the file in errors. */
export function parseLines(text: string, source: string): EpochLine[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      try {
        return JSON.parse(l) as EpochLine;
      } catch {
        throw new SyntaxError(`${source}: line ${i + 1} is not valid JSON`);
      }
    });
}
