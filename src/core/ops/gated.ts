/**
 * Fused GRU and LSTM layers: a whole sequence (forward over T steps and its BPTT) in one kernel
 * call, with the values and gradients of the cell stepped under `scan` (PyTorch's `nn.GRU` /
 * `nn.LSTM` equations, in `GatedCell` of kernels/backend.ts). Float32 runs on the kernel backend;
 * float64 runs the plain-TypeScript reference kernels in float64, so the gradient checks exercise
 * this primitive's own derivative.
 */
import { apply } from "../autodiff.ts";
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import type { Rule } from "../rule.ts";
import { Tensor } from "../tensor.ts";
import {
  GATES,
  type GatedBackwardArgs,
  type GatedCell,
  type GatedForwardArgs,
} from "../../kernels/backend.ts";
import { getBackend } from "../../kernels/index.ts";
import { gatedBackwardRef, gatedForwardRef } from "../../kernels/js/gated.ts";
import type { FloatArray } from "../../kernels/js/gemm.ts";
import { expectShape, sameDtype } from "./operands.ts";
import { spares } from "./spares.ts";

export interface GatedAttrs {
  readonly cell: GatedCell;
}

/** The primitive's inputs in order: x, wIh, wHh, bIh, bHh, h0, then c0 for the LSTM. */
function kernelArgs<A extends FloatArray>(inputs: readonly Tensor[], cell: GatedCell): GatedForwardArgs<A> {
  const [x, wIh, wHh, bIh, bHh, h0, c0] = inputs as Tensor[];
  const [T, B, I] = (x as Tensor).shape as [number, number, number];
  const data = (t: Tensor | undefined) => t?.data as A;
  return {
    cell,
    T,
    B,
    I,
    H: (h0 as Tensor).shape[1] as number,
    x: data(x),
    wIh: data(wIh),
    wHh: data(wHh),
    bIh: data(bIh),
    bHh: data(bHh),
    h0: data(h0),
    c0: cell === "lstm" ? data(c0) : null,
  };
}

const float64 = (inputs: readonly Tensor[]) => inputs[0]!.dtype === "float64";

/**
 * Gate arrays whose one reader, the derivative, is done with them (see {@link spares}): the
 * gates are an output no caller receives ({@link run} keeps only the states).
 */
const gateSpares = spares();

/** A kept array of `n` floats for the forward's gates, if there is one. */
function spareGates(n: number): { gatesInto?: Float32Array } {
  const gatesInto = gateSpares.take(n);
  return gatesInto ? { gatesInto } : {};
}

export const gatedRules = {
  gatedLayer: {
    name: "gatedLayer",
    forward: (inputs, { cell }: GatedAttrs) => {
      const a = kernelArgs(inputs, cell);
      const r = float64(inputs)
        ? gatedForwardRef(a as GatedForwardArgs<Float64Array>)
        : getBackend().gatedForward({ ...(a as GatedForwardArgs), ...spareGates(a.T * a.B * 4 * a.H) });
      const state = [a.T, a.B, a.H];
      // The gates ride along as the second output for the derivative; callers ignore it.
      const outs = [new Tensor(state, r.hs), new Tensor([a.T, a.B, 4 * a.H], r.gates)];
      if (r.cs) outs.push(new Tensor(state, r.cs));
      return outs;
    },
    vjp: (cts, inputs, outputs, { cell }: GatedAttrs, needs) => {
      const [dHs, , dCs] = cts;
      if (!dHs && !dCs) return inputs.map(() => null);
      const data = (t: Tensor | null | undefined) => (t ? t.data : null);
      const b = {
        ...kernelArgs(inputs, cell),
        hs: outputs[0]!.data,
        gates: outputs[1]!.data,
        cs: data(outputs[2]),
        dHs: data(dHs),
        dCs: data(dCs),
        skipDx: !needs[0],
      };
      let r;
      if (float64(inputs)) r = gatedBackwardRef(b as GatedBackwardArgs<Float64Array>);
      else {
        r = getBackend().gatedBackward(b as GatedBackwardArgs);
        gateSpares.keep(b.gates as Float32Array);
      }
      const grads = [r.dX, r.dWIh, r.dWHh, r.dBIh, r.dBHh, r.dh0, r.dc0];
      return inputs.map((t, i) => (needs[i] && grads[i] ? new Tensor(t.shape, grads[i]) : null));
    },
  } satisfies Rule<GatedAttrs>,
};

/** The weights of a GRU or LSTM layer in PyTorch's layout (see `GatedCell`). */
export interface GatedLayerParams {
  /** `[I, G·H]` (PyTorch's `weight_ih_l0` transposed). */
  readonly wIh: Tensor;
  /** `[H, G·H]` */
  readonly wHh: Tensor;
  /** `[G·H]` */
  readonly bIh: Tensor;
  /** `[G·H]` */
  readonly bHh: Tensor;
}

/** Checks shapes and runs the primitive. */
function run(cell: GatedCell, x: Tensor, p: GatedLayerParams, states: readonly Tensor[]): Tensor[] {
  const where = `${cell}Layer`;
  const G = GATES[cell];
  if (x.rank !== 3 || x.shape[0] === 0) {
    throw new ShapeError(`${where}: x must be [T, B, I] with T ≥ 1, got ${fmtShape(x.shape)}`);
  }
  const [, B, I] = x.shape as [number, number, number];
  const H = p.wHh.shape[0] as number;
  expectShape(where, "wHh", p.wHh, [H, G * H], `[H, ${G}H] = ${fmtShape([H, G * H])}`);
  expectShape(where, "wIh", p.wIh, [I, G * H], `[I, ${G}H] = ${fmtShape([I, G * H])}`);
  expectShape(where, "bIh", p.bIh, [G * H], `[${G}H] = ${fmtShape([G * H])}`);
  expectShape(where, "bHh", p.bHh, [G * H], `[${G}H] = ${fmtShape([G * H])}`);
  states.forEach((s, i) =>
    expectShape(where, i === 0 ? "h0" : "c0", s, [B, H], `[B, H] = ${fmtShape([B, H])}`),
  );
  return apply(gatedRules.gatedLayer, sameDtype([x, p.wIh, p.wHh, p.bIh, p.bHh, ...states]), { cell });
}

/**
 * A GRU layer over a whole sequence in one fused kernel call, forward and BPTT: the values and
 * gradients of stepping `nn.GRU`'s cell (gate order r, z, n).
 * @param x `[T, B, I]` inputs
 * @param h0 `[B, H]` initial state
 * @returns `[T, B, H]`: the states h_0 … h_{T-1}
 * @example const hs = gruLayer(xs, params, zeros([B, H])); // params from gru(...).init
 */
export function gruLayer(x: Tensor, params: GatedLayerParams, h0: Tensor): Tensor {
  return run("gru", x, params, [h0])[0] as Tensor;
}

/**
 * An LSTM layer over a whole sequence in one fused kernel call, forward and BPTT: the values and
 * gradients of stepping `nn.LSTM`'s cell (gate order i, f, g, o).
 * @param x `[T, B, I]` inputs
 * @param h0 `[B, H]`, c0 `[B, H]` initial states
 * @returns `hs` and `cs`, `[T, B, H]` each
 */
export function lstmLayer(
  x: Tensor,
  params: GatedLayerParams,
  h0: Tensor,
  c0: Tensor,
): { hs: Tensor; cs: Tensor } {
  const [hs, , cs] = run("lstm", x, params, [h0, c0]);
  if (!hs || !cs) throw new ValueError("lstmLayer: the kernel returned no cell states");
  return { hs, cs };
}
