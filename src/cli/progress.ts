/**
 * Training progress on the terminal: a progress bar with step, loss, held-out accuracy and ETA on a
 * TTY, one plain line per epoch otherwise (logs, CI).
 */
import { SingleBar } from "cli-progress";
import type { TrainHooks, TrainProgress } from "../runs/train.ts";

const fmtAccuracy = (p: TrainProgress) => (p.accuracy === undefined ? "  -  " : p.accuracy.toFixed(3));

function seconds(s: number): string {
  return s >= 60
    ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`
    : `${Math.round(s)}s`;
}

/** Hooks that show progress on `stream` (a bar when it is a TTY). Call `stop()` when training ends. */
export function progressHooks(stream: NodeJS.WriteStream = process.stdout): TrainHooks & { stop(): void } {
  const started = performance.now();
  let firstStep: number | undefined;
  const eta = (p: TrainProgress) => {
    const done = p.step - (firstStep ?? 0);
    const elapsed = (performance.now() - started) / 1000;
    return done > 0 ? (elapsed / done) * (p.totalSteps - p.step) : NaN;
  };
  if (!stream.isTTY) {
    return {
      onStep: (p) => void (firstStep ??= p.step - 1),
      onEpoch: (p) =>
        void stream.write(
          `epoch ${p.epoch}/${p.epochs}  step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}  held-out accuracy ${fmtAccuracy(p)}  eta ${seconds(eta(p))}\n`,
        ),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    stream,
    format: "{bar} step {value}/{total} | loss {loss} | held-out acc {accuracy} | ETA {eta_formatted}",
    barsize: 28,
    etaBuffer: 50,
  });
  return {
    onStep: (p) => {
      if (firstStep === undefined) {
        firstStep = p.step - 1;
        bar.start(p.totalSteps, firstStep, { loss: "-", accuracy: fmtAccuracy(p) });
      }
      bar.update(p.step, { loss: p.loss.toFixed(4), accuracy: fmtAccuracy(p) });
    },
    stop: () => {
      if (firstStep !== undefined) bar.stop();
    },
  };
}
