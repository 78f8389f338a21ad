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
import { Tensor, allocate } from "../tensor.ts";
import {
  GATES,
  type GatedBackwardArgs,
  type GatedCell,
  type GatedForwardArgs,
  type GatedReadoutArgs,
  type KernelBackend,
} from "../../kernels/backend.ts";
import { getBackend } from "../../kernels/index.ts";
import { gatedBackwardRef, gatedForwardRef } from "../../kernels/js/gated.ts";
import type { FloatArray } from "../../kernels/js/gemm.ts";
import { ARITHMETIC_LOOPS } from "../../kernels/js/binary.ts";
import { addRowSums } from "./elementwise.ts";
import { productInto } from "./matmul.ts";
import { expectShape, sameDtype } from "./operands.ts";
import { spares } from "./spares.ts";

export interface GatedAttrs {
  readonly cell: GatedCell;
  /**
   * Inputs of a folded linear readout after the states: 0 (none), 1 (`wOut`) or 2 (`wOut`,
   * `bOut`). With one, the primitive's fourth output is `ys = hs W_out (+ b_out)` and no caller
   * receives the states (see {@link gruReadout}).
   */
  readonly readout: 0 | 1 | 2;
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

/**
 * `[T, B, H]` arrays no caller receives under a folded readout: the states `hs` (and the LSTM's
 * `cs`) and the readout's gradient with respect to them.
 */
const stateSpares = spares(6);

/** Kept arrays for the forward's gates and, under a readout, its states, where there are some. */
function spareOutputs(
  a: GatedForwardArgs,
  readout: boolean,
): { gatesInto?: Float32Array; hsInto?: Float32Array; csInto?: Float32Array } {
  const n = a.T * a.B * a.H;
  const states = !readout ? [] : a.cell === "lstm" ? (["hsInto", "csInto"] as const) : (["hsInto"] as const);
  return { ...gateSpares.into(["gatesInto"], 4 * n), ...stateSpares.into(states, n) };
}

/**
 * The readout arrays a backend computed inside the layer (see `GatedForwardArgs.readout`), with
 * that backend: the derivative hands it the readout's cotangent when it is still the backend.
 */
const foldedBy = new WeakMap<Tensor["data"], KernelBackend>();

/** The backend's readout arguments from the readout's inputs `[wOut, bOut?]`, with `ys` for `rows` rows (0: none). */
function readoutArgs([wOut, bOut]: readonly Tensor[], rows: number): GatedReadoutArgs {
  const O = wOut!.shape[1] as number;
  return {
    O,
    wOut: wOut!.data as Float32Array,
    bOut: bOut ? (bOut.data as Float32Array) : null,
    ...(rows > 0 ? { ysInto: allocate("float32", rows * O) as Float32Array } : {}),
  };
}

/** Where a folded readout's inputs start: after x, the four weights and the initial states. */
const readoutAt = (cell: GatedCell) => (cell === "lstm" ? 7 : 6);

/**
 * `ys` `[rows, O]` ← `hs W_out (+ b_out)`, as `add(matmul(hs, wOut), bOut)` computes it, bit for
 * bit: the same product, then the bias added in the dtype.
 */
export function readoutForward(
  hs: Tensor,
  wOut: Tensor,
  bOut: Tensor | undefined,
  rows: number,
): Float32Array | Float64Array {
  const [H, O] = wOut.shape as [number, number];
  const ys = allocate(hs.dtype, rows * O);
  productInto(false, false, rows, O, H, hs.data, wOut.data, ys);
  // Storing the float64 sum of two floats rounds it once: the float32 sum, as add's loops give.
  if (bOut) ARITHMETIC_LOOPS.add.rows(ys, bOut.data, ys);
  return ys;
}

/**
 * The readout's gradients from `dYs` `[rows, O]`, as the product's and the bias's derivatives
 * compute them: `dHs = dYs W_outᵀ` (with `withDHs`; into a kept array when there is one), `dW_out = hsᵀ dYs`
 * (added into zeros) and `db_out`, each column summed in float64 in row order, then rounded.
 */
export function readoutBackward(hs: Tensor, dYs: Tensor, wOut: Tensor, rows: number, withDHs: boolean) {
  const [H, O] = wOut.shape as [number, number];
  const f32 = hs.dtype === "float32";
  let dHs = null;
  if (withDHs) {
    // Not `allocate`: the reverse pass would pool an array allocated here once the derivative
    // returned, while the spares keep it too.
    dHs = f32 ? (stateSpares.take(rows * H) ?? new Float32Array(rows * H)) : allocate(hs.dtype, rows * H);
    productInto(false, true, rows, H, O, dYs.data, wOut.data, dHs);
  }
  const dW = allocate(hs.dtype, H * O);
  if (f32)
    getBackend().gemm(
      true,
      false,
      H,
      O,
      rows,
      1,
      hs.data as Float32Array,
      dYs.data as Float32Array,
      1,
      dW as Float32Array,
    );
  else productInto(true, false, H, O, rows, hs.data, dYs.data, dW);
  const dB = allocate(hs.dtype, O);
  addRowSums(dYs, dB);
  return { dHs, dW, dB };
}

export const gatedRules = {
  gatedLayer: {
    name: "gatedLayer",
    forward: (inputs, { cell, readout }: GatedAttrs) => {
      const a = kernelArgs(inputs, cell);
      const at = readoutAt(cell);
      const r = float64(inputs)
        ? gatedForwardRef(a as GatedForwardArgs<Float64Array>)
        : getBackend().gatedForward({
            ...(a as GatedForwardArgs),
            backwardOnly: { states: readout > 0, gates: true },
            ...spareOutputs(a as GatedForwardArgs, readout > 0),
            ...(readout > 0 ? { readout: readoutArgs(inputs.slice(at), a.T * a.B) } : {}),
          });
      const state = [a.T, a.B, a.H];
      // The gates ride along as the second output for the derivative; callers ignore it.
      const outs = [new Tensor(state, r.hs), new Tensor([a.T, a.B, 4 * a.H], r.gates)];
      if (r.cs) outs.push(new Tensor(state, r.cs));
      if (readout === 0) return outs;
      if (!r.cs) outs.push(new Tensor([0], new Float32Array(0)));
      const wOut = inputs[at] as Tensor;
      // The backend's own readout, computed inside the layer, or the product then the bias here.
      const ys = r.ys ?? readoutForward(outs[0]!, wOut, inputs[at + 1], a.T * a.B);
      if (r.ys) foldedBy.set(r.ys, getBackend());
      else foldedBy.delete(ys);
      outs.push(new Tensor([a.T, a.B, wOut.shape[1] as number], ys));
      return outs;
    },
    vjp: (cts, inputs, outputs, { cell, readout }: GatedAttrs, needs) => {
      const [, , dCs, dYs] = cts;
      const hs = outputs[0] as Tensor;
      const at = readoutAt(cell);
      // Under a readout no caller receives the states: their one cotangent is the readout's, which
      // the backend that computed the readout forms inside the layer.
      const folded =
        readout > 0 && dYs !== undefined && dYs !== null && foldedBy.get(outputs[3]!.data) === getBackend();
      const fromReadout =
        readout > 0 && dYs
          ? readoutBackward(hs, dYs, inputs[at] as Tensor, hs.size / hs.shape[2]!, !folded)
          : null;
      const dHs = fromReadout ? fromReadout.dHs : readout > 0 ? null : (cts[0]?.data ?? null);
      if (!dHs && !dCs && !folded) return inputs.map(() => null);
      const b = {
        ...kernelArgs(inputs, cell),
        hs: hs.data,
        gates: outputs[1]!.data,
        cs: cell === "lstm" ? outputs[2]!.data : null,
        dHs,
        dCs: dCs ? dCs.data : null,
        skipDx: !needs[0],
        ...(folded && dYs ? { dYs: dYs.data, readout: readoutArgs(inputs.slice(at, at + 1), 0) } : {}),
      };
      let r;
      if (float64(inputs)) r = gatedBackwardRef(b as GatedBackwardArgs<Float64Array>);
      else {
        r = getBackend().gatedBackward(b as GatedBackwardArgs);
        gateSpares.keep(b.gates as Float32Array);
        if (readout > 0) {
          stateSpares.keep(b.hs as Float32Array);
          if (b.cs) stateSpares.keep(b.cs as Float32Array);
          if (fromReadout?.dHs) stateSpares.keep(fromReadout.dHs as Float32Array);
        }
      }
      const grads = [r.dX, r.dWIh, r.dWHh, r.dBIh, r.dBHh, r.dh0, r.dc0].slice(0, at);
      if (readout > 0) grads.push(fromReadout?.dW ?? null, fromReadout?.dB ?? null);
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

/** A linear readout folded into a gated layer: `y_t = h_t w (+ b)`. */
export interface GatedReadout {
  /** `[H, O]` */
  readonly w: Tensor;
  /** `[O]` */
  readonly b?: Tensor;
}

/** Checks shapes and runs the primitive (with a folded readout when given). */
function run(
  cell: GatedCell,
  x: Tensor,
  p: GatedLayerParams,
  states: readonly Tensor[],
  readout?: GatedReadout,
): Tensor[] {
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
  const folded: Tensor[] = [];
  if (readout) {
    const O = readout.w.shape[1] as number;
    expectShape(where, "readout w", readout.w, [H, null], `[H, O] with H = ${H}`);
    folded.push(readout.w);
    if (readout.b) {
      expectShape(where, "readout b", readout.b, [O], `[O] = [${O}]`);
      folded.push(readout.b);
    }
  }
  const inputs = sameDtype([x, p.wIh, p.wHh, p.bIh, p.bHh, ...states, ...folded]);
  return apply(gatedRules.gatedLayer, inputs, READOUT_ATTRS[cell][folded.length as 0 | 1 | 2]);
}

/** The attribute objects, shared by every node. */
const READOUT_ATTRS: Readonly<Record<GatedCell, readonly GatedAttrs[]>> = {
  gru: [0, 1, 2].map((readout) => Object.freeze({ cell: "gru", readout }) as GatedAttrs),
  lstm: [0, 1, 2].map((readout) => Object.freeze({ cell: "lstm", readout }) as GatedAttrs),
};

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

/**
 * {@link gruLayer} followed by a linear readout at every step, `y_t = h_t w + b`, in one primitive:
 * the same values and gradients as `add(matmul(gruLayer(x, params, h0), w), b)`, bit for bit, but
 * the `[T, B, H]` states stay inside it (no caller receives them), so their arrays are reused from
 * one call to the next instead of allocated afresh.
 * @param x `[T, B, I]` inputs
 * @param h0 `[B, H]` initial state
 * @returns `[T, B, O]`: the readout at every step
 * @example const ys = gruReadout(xs, params, zeros([B, H]), { w: wOut, b: bOut });
 */
export function gruReadout(x: Tensor, params: GatedLayerParams, h0: Tensor, readout: GatedReadout): Tensor {
  return run("gru", x, params, [h0], readout)[3] as Tensor;
}

/**
 * {@link lstmLayer} followed by a linear readout at every step, as {@link gruReadout}.
 * @param x `[T, B, I]` inputs
 * @param h0 `[B, H]`, c0 `[B, H]` initial states
 * @returns `[T, B, O]`: the readout at every step
 */
export function lstmReadout(
  x: Tensor,
  params: GatedLayerParams,
  h0: Tensor,
  c0: Tensor,
  readout: GatedReadout,
): Tensor {
  return run("lstm", x, params, [h0, c0], readout)[3] as Tensor;
}
