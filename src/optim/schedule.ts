/** Learning-rate schedules: functions from the 0-based step count to a learning rate. */
import { ValueError } from "../base/errors.ts";

/** A learning rate as a function of the 0-based update count. */
export type Schedule = (step: number) => number;

/** A fixed number or a schedule. */
export type LearningRate = number | Schedule;

/** Resolves a {@link LearningRate} at a step. */
export function lrAt(lr: LearningRate, step: number): number {
  return typeof lr === "number" ? lr : lr(step);
}

function positive(where: string, name: string, v: number): void {
  if (!(v > 0 && Number.isFinite(v)))
    throw new ValueError(`${where}: ${name} must be a positive finite number, got ${v}`);
}

/** Always `lr`. */
export function constant(lr: number): Schedule {
  positive("constant", "lr", lr);
  return () => lr;
}

/**
 * `lr · rate^(step / transitionSteps)` (floored exponent when `staircase`), as in optax and
 * brainstate's `ExponentialDecayLR`. S1 uses `exponentialDecay(0.025, 0.99975)`.
 */
export function exponentialDecay(
  lr: number,
  rate: number,
  options: { transitionSteps?: number; staircase?: boolean } = {},
): Schedule {
  positive("exponentialDecay", "lr", lr);
  positive("exponentialDecay", "rate", rate);
  const every = options.transitionSteps ?? 1;
  positive("exponentialDecay", "transitionSteps", every);
  return (step) => lr * rate ** (options.staircase ? Math.floor(step / every) : step / every);
}

/** `lr · gamma^floor(step / stepSize)` (PyTorch's `StepLR`). */
export function stepDecay(lr: number, stepSize: number, gamma = 0.1): Schedule {
  positive("stepDecay", "lr", lr);
  positive("stepDecay", "stepSize", stepSize);
  return (step) => lr * gamma ** Math.floor(step / stepSize);
}

/**
 * Linear warm-up from `initLr` to `peakLr` over `warmupSteps`, then cosine decay to `finalLr` at
 * `decaySteps` (counted from the start), constant after.
 */
export function cosineWithWarmup(options: {
  peakLr: number;
  warmupSteps: number;
  decaySteps: number;
  initLr?: number;
  finalLr?: number;
}): Schedule {
  const { peakLr, warmupSteps, decaySteps } = options;
  const initLr = options.initLr ?? 0;
  const finalLr = options.finalLr ?? 0;
  positive("cosineWithWarmup", "peakLr", peakLr);
  if (!(warmupSteps >= 0 && decaySteps > warmupSteps)) {
    throw new ValueError(
      `cosineWithWarmup: need 0 <= warmupSteps < decaySteps, got warmupSteps=${warmupSteps}, decaySteps=${decaySteps}`,
    );
  }
  return (step) => {
    if (step < warmupSteps) return initLr + ((peakLr - initLr) * step) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / (decaySteps - warmupSteps));
    return finalLr + 0.5 * (peakLr - finalLr) * (1 + Math.cos(Math.PI * progress));
  };
}
