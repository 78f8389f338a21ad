/**
 * The HORN sequence network (brainmass's `HORNSeqNetwork`): stacked HORN layers, layer l's position
 * sequence feeding layer l+1, and a linear readout of the last layer's position.
 */
import { type Rng, type Tensor, ValueError } from "../../core/index.ts";
import { runCell, runToFinal } from "../cell.ts";
import { type SequenceModel, reduceOverTime } from "../model.ts";
import { type InitSpec } from "../init/spec.ts";
import { type LinearReadoutParams, linearReadout } from "../readout/linear.ts";
import { positiveInt } from "../validate.ts";
import { type HORNOptions, type HORNParams, horn } from "./horn.ts";

/** Options of {@link hornNetwork}: one HORN layer's options (shared by all layers) plus sizes. */
export interface HORNNetworkOptions extends Omit<HORNOptions, "nHidden"> {
  /** Units per layer: a number (one layer) or one number per layer. */
  readonly nHidden: number | readonly number[];
  readonly nOut: number;
  /** Readout initialiser (default as the layers' inputInit, brainmass's choice). */
  readonly readoutInit?: InitSpec;
}

/** Parameters: one tree per layer, and the readout. */
export type HORNNetworkParams = {
  readonly layers: readonly HORNParams[];
  readonly readout: LinearReadoutParams;
};

/**
 * Stacked HORN layers with a readout `y_t = x_t^{(L)} W_ho + b_ho` at every step; `timeReadout` is
 * `"last"`: the classifier's logits are `h2o(x_T)` of the last layer (S0), which the run carries
 * as `reduced`, the readout of the last step alone (brainmass's and the paper's classifier
 * compute no other). `outputs`, the readout at every step, is computed when first read. `hidden`
 * is the last layer's position; `record` accepts `"layer{l}.x"` and `"layer{l}.y"`.
 * @example
 * const model = hornNetwork({ nIn: 2, nHidden: 64, nOut: 2, alpha: 0.2 }); // S0
 * const logits = readOverTime(model.apply(params, xs), model.timeReadout); // [B, 2]
 */
export function hornNetwork(
  options: HORNNetworkOptions,
): SequenceModel<HORNNetworkParams, HORNNetworkOptions> {
  const { nHidden, nOut, readoutInit, ...layerOptions } = options;
  const sizes = typeof nHidden === "number" ? [nHidden] : [...nHidden];
  if (sizes.length === 0)
    throw new ValueError(`hornNetwork: nHidden must name at least one layer size, got []`);
  const layers = sizes.map((n, l) =>
    horn({ ...layerOptions, nIn: l === 0 ? options.nIn : (sizes[l - 1] as number), nHidden: n }),
  );
  const last = sizes[sizes.length - 1] as number;
  const readout = linearReadout({
    nIn: last,
    nOut: positiveInt("hornNetwork", "nOut", nOut),
    init: readoutInit ?? layers[0]?.config.inputInit ?? "kaimingNormalTruncated",
    bias: true,
  });
  return {
    name: "hornNetwork",
    config: options,
    nIn: options.nIn,
    nOut,
    timeReadout: "last",
    init(rng: Rng) {
      const streams = rng.split(layers.length + 1);
      return {
        layers: layers.map((layer, l) => layer.init(streams[l] as Rng)),
        readout: readout.init(streams[layers.length] as Rng),
      };
    },
    apply(params, xs, applyOptions = {}) {
      const record = applyOptions.record ?? [];
      for (const r of record) {
        if (!layers.some((_, l) => r.startsWith(`layer${l}.`))) {
          throw new ValueError(
            `hornNetwork: record paths must read "layer{l}.x" or "layer{l}.y" with l < ${layers.length}, got "${r}"`,
          );
        }
      }
      const checkpoint = applyOptions.checkpoint === undefined ? {} : { checkpoint: applyOptions.checkpoint };
      const traces: Record<string, Tensor> = {};
      const run = (l: number, input: Tensor) => {
        const prefix = `layer${l}.`;
        const r = runCell(layers[l]!, params.layers[l] as HORNParams, input, {
          record: record.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)),
          ...checkpoint,
        });
        for (const [k, v] of Object.entries(r.traces)) traces[prefix + k] = v;
        return r.outputs;
      };
      // Every layer but the last runs now; the last, when first read: the logits need its final
      // position alone, which its fused kernel gives without the position sequence.
      const L = layers.length - 1;
      let input: Tensor = xs;
      for (let l = 0; l < L; l++) input = run(l, input);
      const lastInput = input;
      let hidden: Tensor | undefined;
      const hiddenNow = () => (hidden ??= run(L, lastInput));
      if (record.some((r) => r.startsWith(`layer${L}.`))) hiddenNow();
      let outputs: Tensor | undefined;
      let logits: Tensor | undefined;
      const lastParams = params.layers[L] as HORNParams;
      // The readout of the last position: folded into the last layer's fused call when its
      // position sequence was not run for another reader.
      const readFinal = () =>
        (!hidden &&
          layers[L]!.finalReadout(lastParams, lastInput, readout.linear!(params.readout), checkpoint)) ||
        readout.apply(
          params.readout,
          hidden
            ? reduceOverTime(hidden, "last")
            : runToFinal(layers[L]!, lastParams, lastInput, checkpoint).x,
        );
      return {
        get outputs() {
          return (outputs ??= readout.apply(params.readout, hiddenNow()));
        },
        reduced: {
          mode: "last",
          get value() {
            return (logits ??= readFinal());
          },
        },
        get hidden() {
          return hiddenNow();
        },
        traces,
      };
    },
  };
}
