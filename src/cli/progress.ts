/**
 * Training progress on the terminal: a progress bar with step, loss, the run's metrics and ETA on a
 * TTY, one plain line per epoch otherwise (logs, CI).
 */
import { SingleBar } from "cli-progress";
import type { TrainHooks, TrainProgress } from "../app/runs/train.ts";

/**
 * A metric as the terminal shows it: `digits` decimals, or three significant digits in exponent form
 * when it is tiny (forecast errors); `  -  ` before it is known.
 */
export function formatMetric(value: number | undefined, digits = 3): string {
  if (value === undefined) return "  -  ";
  return value !== 0 && Math.abs(value) < 1e-2 ? value.toExponential(2) : value.toFixed(digits);
}

const fmtMetrics = (p: TrainProgress) =>
  p.metrics.map((m) => `${m.label} ${formatMetric(m.value)}`).join("  ");

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
          `epoch ${p.epoch}/${p.epochs}  step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}  ${fmtMetrics(p)}  eta ${seconds(eta(p))}\n`,
        ),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    stream,
    format: "{bar} step {value}/{total} | loss {loss} | {metrics} | ETA {eta_formatted}",
    barsize: 28,
    etaBuffer: 50,
  });
  return {
    onStep: (p) => {
      if (firstStep === undefined) {
        firstStep = p.step - 1;
        bar.start(p.totalSteps, firstStep, { loss: "-", metrics: fmtMetrics(p) });
      }
      bar.update(p.step, { loss: p.loss.toFixed(4), metrics: fmtMetrics(p) });
    },
    // The epoch's metrics arrive after its last step: the frame shows them, as the summary will.
    onEpoch: (p) => bar.update(p.step, { loss: p.loss.toFixed(4), metrics: fmtMetrics(p) }),
    stop: () => {
      if (firstStep !== undefined) bar.stop();
    },
  };
}
