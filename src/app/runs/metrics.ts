/**
 * The metrics history of a run as JSON lines, one per epoch: the trainer's epoch record plus that
 * epoch's step losses and gradient norms, from which the trainer's history is rebuilt on resume.
 */
import type { EpochRecord, History, StepRecord } from "../../train/trainer.ts";

/**
 * One line of `metrics.jsonl`. Its `epoch` counts from 1, as the progress display and the
 * checkpoint names do (`epoch-0001.safetensors` is saved after epoch 1); the trainer's records
 * count from 0.
 */
export interface EpochLine extends EpochRecord {
  /** The loss of every step of the epoch, in order. */
  readonly losses: readonly number[];
  /** The gradient norm (before clipping) of every step of the epoch. */
  readonly gradNorms: readonly number[];
}

/** The line of an epoch, given the step records of the whole history. */
export function epochLine(record: EpochRecord, steps: readonly StepRecord[]): EpochLine {
  const own = steps.filter((s) => s.epoch === record.epoch);
  return {
    ...record,
    epoch: record.epoch + 1,
    losses: own.map((s) => s.loss),
    gradNorms: own.map((s) => s.gradNorm),
  };
}

/** The trainer history the lines describe (step records numbered from each epoch's first step). */
export function historyOf(lines: readonly EpochLine[]): History {
  const steps = lines.flatMap((line) => {
    const first = line.step - line.losses.length;
    return line.losses.map((loss, k) => ({
      step: first + k,
      epoch: line.epoch - 1,
      loss,
      gradNorm: line.gradNorms[k] as number,
    }));
  });
  const epochs = lines.map(({ losses: _l, gradNorms: _g, ...record }) => ({ ...record, epoch: record.epoch - 1 }));
  return { steps, epochs };
}

/** Serialises lines as JSON lines. */
export function formatLines(lines: readonly EpochLine[]): string {
  return lines.map((l) => `${JSON.stringify(l)}\n`).join("");
}

/**
 * Parses JSON lines (blank lines ignored); `source` names the file in errors. Files written when
 * lines counted epochs from 0 are renumbered.
 */
export function parseLines(text: string, source: string): EpochLine[] {
  const lines = text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      try {
        return JSON.parse(l) as EpochLine;
      } catch {
        throw new SyntaxError(`${source}: line ${i + 1} is not valid JSON`);
      }
    });
  return lines[0]?.epoch === 0 ? lines.map((l) => ({ ...l, epoch: l.epoch + 1 })) : lines;
}
