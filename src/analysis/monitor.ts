/**
 * Monitors, in the manner of BrainPy's runner: run a model over inputs and keep the chosen state
 * variables every N steps, with the times they were taken at.
 */
import { ValueError } from "../base/errors.ts";
import { gather } from "../core/ops/layout.ts";
import type { Rng } from "../base/random.ts";
import type { Tensor } from "../core/tensor.ts";
import type { Tree } from "../core/tree.ts";
import type { SequenceModel } from "../models/model.ts";

export interface MonitorOptions {
  /** State variables by dotted path (e.g. `"lif.v"`, `"lif.spike"`, `"h"`). */
  readonly record: readonly string[];
  /** Keep every this many steps (default 1), starting with the first. */
  readonly every?: number;
  /** Step size, to report times in ms (default 1: times are step indices). */
  readonly dtMs?: number;
  /** Noise source for stochastic models. */
  readonly rng?: Rng;
}

export interface MonitorResult {
  /** Times of the kept steps (ms after the start, or step indices with dtMs 1). */
  readonly times: Float64Array;
  /** `[T / every, B, ...]` per recorded variable. */
  readonly traces: Record<string, Tensor>;
  /** The model's outputs at every step `[T, B, nOut]`. */
  readonly outputs: Tensor;
}

/**
 * Runs `model` on `xs` `[T, B, nIn]` and returns the recorded variables every `every` steps.
 * @example const { times, traces } = monitor(net, params, spikes, { record: ["lif.v"], every: 10, dtMs: 0.1 });
 */
export function monitor<P extends Tree>(
  model: SequenceModel<P>,
  params: P,
  xs: Tensor,
  options: MonitorOptions,
): MonitorResult {
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) {
    throw new ValueError(`monitor: every must be a positive integer, got ${every}`);
  }
  const run = model.apply(params, xs, {
    record: options.record,
    ...(options.rng ? { rng: options.rng } : {}),
  });
  const T = xs.shape[0] as number;
  const steps = Array.from({ length: Math.ceil(T / every) }, (_, k) => k * every);
  const dt = options.dtMs ?? 1;
  const traces: Record<string, Tensor> = {};
  for (const path of options.record) {
    const trace = run.traces?.[path];
    if (!trace) throw new ValueError(`monitor: the model did not record "${path}"`);
    traces[path] = every === 1 ? trace : gather(trace, steps, 0);
  }
  return { times: Float64Array.from(steps, (s) => s * dt), traces, outputs: run.outputs };
}
