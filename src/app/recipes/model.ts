/** The recurrent network of a run: a cell of the configured type followed by a linear readout. */
import { cast } from "../../core/ops/layout.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import { type Tree, treeMap } from "../../core/tree.ts";
import type { Cell } from "../../models/cell.ts";
import { type SequenceModel, sequenceModel } from "../../models/model.ts";
import { linearReadout } from "../../models/readout/linear.ts";
import { horn } from "../../models/horn/horn.ts";
import { gru } from "../../models/rnn/gru.ts";
import { leakyRNN } from "../../models/rnn/leaky.ts";
import { lstm } from "../../models/rnn/lstm.ts";
import { vanillaRNN } from "../../models/rnn/vanilla.ts";
import type { SupervisedConfig } from "./config.ts";

/** A run's network and the cell inside it (fixed-point analysis steps the cell alone). */
export interface RecurrentNetwork {
  readonly model: SequenceModel;
  readonly cell: Cell<Tree, Tree>;
  /**
   * The state map `h ↦ F(h)` (`[N, H] → [N, H]`, float64) under a constant input `[nIn]`, when the
   * cell's state is one vector `h` (every cell but the LSTM).
   */
  readonly stateMap?: (params: Tree, input: ArrayLike<number>) => (h: Tensor) => Tensor;
}

/**
 * Forgets a cell's parameter and state types: the run handles every cell type through one path, and
 * a cell's `step` accepts only its own trees (parameter contravariance), so no common supertype exists.
 */
const anyCell = <P extends Tree, S extends Tree, C>(cell: Cell<P, S, C>) =>
  cell as unknown as Cell<Tree, Tree>;

function buildCell(m: SupervisedConfig["model"], nIn: number, dtMs: number): Cell<Tree, Tree> {
  const sizes = { nIn, nHidden: m.hidden };
  switch (m.type) {
    case "leakyRNN":
      return anyCell(
        leakyRNN({
          ...sizes,
          tauMs: m.tauMs,
          dtMs,
          activation: m.activation,
          sigmaRec: m.sigmaRec,
          trainableH0: m.trainableH0,
          ...(m.excitatoryFraction === undefined ? {} : { excitatoryFraction: m.excitatoryFraction }),
        }),
      );
    case "vanillaRNN":
      return anyCell(vanillaRNN({ ...sizes, activation: m.activation, trainableH0: m.trainableH0 }));
    case "gru":
      return anyCell(gru(sizes));
    case "lstm":
      return anyCell(lstm(sizes));
    case "horn":
      return anyCell(horn({ ...sizes, alpha: 0.2, omega: (2 * Math.PI) / 28, gamma: 0.01 }));
  }
}

/**
 * Builds the network a run config describes for a task with `nIn` observation channels, `nOut`
 * actions and step `dtMs`.
 * @example const { model } = recurrentNetwork(config.model, 3, 3, 20);
 */
export function recurrentNetwork(
  m: SupervisedConfig["model"],
  nIn: number,
  nOut: number,
  dtMs: number,
): RecurrentNetwork {
  const cell = buildCell(m, nIn, dtMs);
  const model = sequenceModel(cell, linearReadout({ nIn: m.hidden, nOut })) as unknown as SequenceModel;
  // The LSTM's state is (h, c) and HORN's (x, y): fixed points need a state that is one vector.
  const singleState = m.type !== "lstm" && m.type !== "horn";
  return {
    model,
    cell,
    ...(singleState
      ? {
          stateMap: (params: Tree, input: ArrayLike<number>) => {
            const p64 = treeMap((params as { cell: Tree }).cell, (leaf) => cast(leaf, "float64"));
            return (h: Tensor) => {
              const N = h.shape[0] as number;
              const x = fromData(
                Float64Array.from({ length: N * nIn }, (_, i) => input[i % nIn] as number),
                [N, nIn],
              );
              return (cell.step(p64, { h }, x).state as { h: Tensor }).h;
            };
          },
        }
      : {}),
  };
}
