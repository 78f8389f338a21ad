/**
 * Reference recurrence with its folded input projection and readout, written as the plain
 * composition `d = drive + x W_in + b`, the recurrence, `y = h W_out + b_out`, and its gradients.
 * Generic over float32 / float64 like the recurrence it wraps.
 */
import { type Activation, type UpdateOrder, derivativeFromStates } from "../backend.ts";
import { gemmRef, type FloatArray } from "./gemm.ts";
import { allocLike, recurrenceBackwardRef, recurrenceForwardRef } from "./recurrence.ts";

/** The arguments of `KernelBackend.recurrenceForward` over one float type `A`. */
export interface LayerInputs<A extends FloatArray> {
  readonly T: number;
  readonly B: number;
  readonly H: number;
  readonly drive: A | null;
  readonly wRec: A;
  readonly h0: A;
  readonly alpha: number;
  readonly activation: Activation;
  readonly order: UpdateOrder;
  readonly input?: { readonly I: number; readonly x: A; readonly wIn: A; readonly b: A };
  readonly readout?: { readonly O: number; readonly wOut: A; readonly bOut: A };
}

/** The forward's outputs (see `RecurrenceForwardResult`). */
export interface LayerStates<A extends FloatArray> {
  readonly hs: A;
  readonly pre: A;
  readonly ys: A | null;
}

/** `[rows, N]` ← `x` `[rows, K]` times `w` `[K, N]` plus the row vector `b` `[N]`, added into `out`. */
function addAffine<A extends FloatArray>(out: A, x: A, w: A, b: A, rows: number, K: number, N: number): A {
  for (let r = 0; r < rows; r++) for (let j = 0; j < N; j++) out[r * N + j]! += b[j]!;
  gemmRef(false, false, rows, N, K, 1, x, w, 1, out);
  return out;
}

/** Column sums of `x` `[rows, N]`. */
export function columnSums<A extends FloatArray>(x: A, rows: number, N: number): A {
  const out = allocLike(x, N);
  for (let r = 0; r < rows; r++) for (let j = 0; j < N; j++) out[j]! += x[r * N + j]!;
  return out;
}

/** Forward: the total drive, the recurrence over it, then the readout of every state. */
export function layerForwardRef<A extends FloatArray>(a: LayerInputs<A>): LayerStates<A> {
  const { T, B, H, input, readout } = a;
  const rows = T * B;
  const drive = a.drive ? (a.drive.slice() as A) : allocLike(a.wRec, rows * H);
  if (input) addAffine(drive, input.x, input.wIn, input.b, rows, input.I, H);
  const { hs, pre } = recurrenceForwardRef({ ...a, drive });
  const kept = derivativeFromStates(a) ? allocLike(hs, 0) : pre;
  const ys = readout
    ? addAffine(allocLike(hs, rows * readout.O), hs, readout.wOut, readout.bOut, rows, H, readout.O)
    : null;
  return { hs, pre: kept, ys };
}

/** The forward's inputs and outputs plus the output cotangents (see `RecurrenceBackwardArgs`). */
export interface LayerBackwardInputs<A extends FloatArray>
  extends LayerInputs<A>, Omit<LayerStates<A>, "ys"> {
  readonly dHs: A | null;
  readonly dYs?: A | null;
  readonly skip?: { readonly dDrive?: boolean; readonly dX?: boolean };
}

/**
 * BPTT: the readout's cotangent joins `dHs` (`dL/dh_t += dL/dy_t W_outᵀ`), the recurrence gives
 * `dL/dd_t`, and the projection's gradients follow from it: `dW_in = Σ x_tᵀ dL/dd_t`,
 * `db = Σ dL/dd_t`, `dx_t = dL/dd_t W_inᵀ`.
 */
export function layerBackwardRef<A extends FloatArray>(a: LayerBackwardInputs<A>) {
  const { T, B, H, input, readout } = a;
  const rows = T * B;
  const dHs = a.dHs ? (a.dHs.slice() as A) : allocLike(a.hs, rows * H);
  const dYs = readout && a.dYs ? a.dYs : null;
  if (readout && dYs) gemmRef(false, true, rows, H, readout.O, 1, dYs, readout.wOut, 1, dHs);
  const { dDrive, dWRec, dh0 } = recurrenceBackwardRef({ ...a, dHs });
  const inputGrads = input && {
    dX: a.skip?.dX
      ? null
      : gemmInto(allocLike(dDrive, rows * input.I), false, true, rows, input.I, H, dDrive, input.wIn),
    dWIn: gemmInto(allocLike(dDrive, input.I * H), true, false, input.I, H, rows, input.x, dDrive),
    dB: columnSums(dDrive, rows, H),
  };
  const readoutGrads =
    readout && dYs
      ? {
          dWOut: gemmInto(allocLike(dYs, H * readout.O), true, false, H, readout.O, rows, a.hs, dYs),
          dBOut: columnSums(dYs, rows, readout.O),
        }
      : null;
  return {
    dDrive: a.drive && !a.skip?.dDrive ? dDrive : null,
    dWRec,
    dh0,
    input: inputGrads ?? null,
    readout: readoutGrads,
  };
}

/** `out` ← op(A) op(B), returned. */
function gemmInto<A extends FloatArray>(
  out: A,
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  x: A,
  y: A,
): A {
  gemmRef(tA, tB, M, N, K, 1, x, y, 0, out);
  return out;
}
