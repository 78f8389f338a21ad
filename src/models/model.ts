/**
 * The sequence-model contract trainers use, and {@link sequenceModel}, which composes a cell and a
 * readout into one.
 */
import { type Rng, type Tensor, type Tree, max, sliceAxis, reshape } from "../core/index.ts";
import { ValueError } from "../base/errors.ts";
import { type Cell, foldsReadout, runCell } from "./cell.ts";
import type { LinearReadoutParams, Readout } from "./readout/linear.ts";
import { oneOf } from "./validate.ts";

/**
 * How a trainer reduces `outputs` `[T, B, nOut]` over time before the loss:
 * `"every"` (a target per step, S1–S3), `"last"` (the final state, HORN S0), `"max"` (max over
 * time, spiking S4c).
 */
export type TimeReadout = "every" | "last" | "max";

export const TIME_READOUTS: readonly TimeReadout[] = ["every", "last", "max"];

/** Options of {@link SequenceModel.apply}. */
export interface ApplyOptions {
  /** Noise source (recurrent noise, stochastic inputs); without it the model runs noise-free. */
  readonly rng?: Rng;
  /** State variables to return for every step in `traces`, by dotted path (e.g. `"v"`). */
  readonly record?: readonly string[];
  /** Segment length for checkpointed BPTT; memory grows with T / checkpoint. */
  readonly checkpoint?: number;
}

/** What {@link SequenceModel.apply} returns. */
export interface SequenceOutput {
  /** `[T, B, nOut]`: the readout at every step. */
  readonly outputs: Tensor;
  /**
   * `[T, B, H]`: the hidden activity (rates, oscillator positions, spikes). Where the model folded
   * its readout into the cell's kernel (GRU, LSTM), the first read runs the cell again.
   */
  readonly hidden: Tensor;
  /** `[T, B, ...]` per recorded state variable. */
  readonly traces?: Record<string, Tensor>;
  /**
   * `outputs` reduced over time (`value`, `[B, nOut]`) the `mode` way, where the model computes it
   * without `outputs` (the spiking classifier's fused kernel); see {@link readOverTime}.
   */
  readonly reduced?: { readonly mode: TimeReadout; readonly value: Tensor };
}

/**
 * A model from input sequences `[T, B, nIn]` to outputs `[T, B, nOut]`, with a JSON config that
 * rebuilds it (see `modelFromConfig`).
 * @example
 * const model = leakyRNNModel({ nIn: 3, nHidden: 128, nOut: 3, tauMs: 100, dtMs: 20 });
 * const params = model.init(Rng.fromSeed(0));
 * const { outputs } = model.apply(params, xs); // [T, B, 3]
 */
export interface SequenceModel<P extends Tree = Tree, C = unknown> {
  readonly name: string;
  readonly config: C;
  readonly nIn: number;
  readonly nOut: number;
  /** How the loss reads `outputs` over time; see {@link reduceOverTime}. */
  readonly timeReadout: TimeReadout;
  init(rng: Rng): P;
  apply(params: P, xs: Tensor, options?: ApplyOptions): SequenceOutput;
}

/**
 * Reduces `outputs` `[T, B, n]` over time: `"last"` → `[B, n]` at t = T−1, `"max"` → `[B, n]`, the
 * maximum over time; `"every"` returns `outputs` unchanged.
 */
export function reduceOverTime(outputs: Tensor, mode: TimeReadout): Tensor {
  oneOf("reduceOverTime", "mode", mode, TIME_READOUTS);
  if (outputs.rank !== 3) {
    throw new ValueError(`reduceOverTime: outputs must be [T, B, n], got rank ${outputs.rank}`);
  }
  const [T, B, n] = outputs.shape as [number, number, number];
  if (mode === "last") return reshape(sliceAxis(outputs, 0, T - 1, T), [B, n]);
  if (mode === "max") return max(outputs, 0);
  return outputs;
}

/**
 * What a loss reads of a model's run: `reduced` where the model computed it in this `mode`, else
 * {@link reduceOverTime} of `outputs` (the same values and gradients).
 */
export function readOverTime(run: SequenceOutput, mode: TimeReadout): Tensor {
  const r = run.reduced;
  return r !== undefined && r.mode === mode ? r.value : reduceOverTime(run.outputs, mode);
}

/** Parameters of a {@link sequenceModel}: the cell's and the readout's. */
export type SequenceParams<P extends Tree> = { readonly cell: P; readonly readout: LinearReadoutParams };

/** Config of a {@link sequenceModel}. */
export interface SequenceModelConfig<CC, RC> {
  readonly cell: { readonly name: string; readonly config: CC };
  readonly readout: { readonly name: string; readonly config: RC };
  readonly timeReadout: TimeReadout;
}

/**
 * A cell followed by a readout at every step: `h_t = cell(h_{t-1}, x_t)`, `y_t = readout(h_t)`.
 * Runs the cell's fused kernel when it has one.
 * @param options.timeReadout how the loss reads the outputs (default `"every"`)
 */
export function sequenceModel<P extends Tree, S extends Tree, CC, RC>(
  cell: Cell<P, S, CC>,
  readout: Readout<LinearReadoutParams, RC>,
  options: { timeReadout?: TimeReadout; name?: string } = {},
): SequenceModel<SequenceParams<P>, SequenceModelConfig<CC, RC>> {
  if (readout.nIn !== cell.nOut) {
    throw new ValueError(
      `sequenceModel: readout nIn must equal the cell's output size ${cell.nOut}, got ${readout.nIn}`,
    );
  }
  const timeReadout = oneOf("sequenceModel", "timeReadout", options.timeReadout ?? "every", TIME_READOUTS);
  return {
    name: options.name ?? "sequenceModel",
    config: {
      cell: { name: cell.name, config: cell.config },
      readout: { name: readout.name, config: readout.config },
      timeReadout,
    },
    nIn: cell.nIn,
    nOut: readout.nOut,
    timeReadout,
    init(rng) {
      const [forCell, forReadout] = rng.split(2) as [Rng, Rng];
      return { cell: cell.init(forCell), readout: readout.init(forReadout) };
    },
    apply(params, xs, applyOptions = {}) {
      const ys = foldsReadout(cell, applyOptions)
        ? readout.linear &&
          cell.sequenceReadout?.(params.cell, xs, readout.linear(params.readout), applyOptions)
        : undefined;
      if (ys) {
        // The fused call kept the states to itself: reading them runs the cell again (same values).
        let hidden: Tensor | undefined;
        return {
          outputs: ys,
          get hidden() {
            return (hidden ??= runCell(cell, params.cell, xs, applyOptions).outputs);
          },
          traces: {},
        };
      }
      const run = runCell(cell, params.cell, xs, applyOptions);
      return { outputs: readout.apply(params.readout, run.outputs), hidden: run.outputs, traces: run.traces };
    },
  };
}
