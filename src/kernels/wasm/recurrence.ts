/**
 * The fused recurrence on a {@link Machine}: copy in, run by batch-row shards, copy out. The input
 * projection and the readout, when folded in, run inside the same kernel step by step, so the
 * `[T, B, H]` drive exists only as each step's rows; BPTT sums each shard's weight gradients as it
 * goes, and the shards' sums are added here.
 */
import {
  ACTIVATIONS,
  UPDATE_ORDERS,
  derivativeFromStates,
  type RecurrenceBackwardArgs,
  type RecurrenceBackwardResult,
  type RecurrenceForwardArgs,
  type RecurrenceForwardResult,
} from "../backend.ts";
import { columnSums } from "../js/layer.ts";
import { reductionShards, splitRange } from "./executor.ts";
import { gemmOn } from "./gemm.ts";
import { FEW, MR, NR, type Machine } from "./machine.ts";

/** Smallest recurrence shard worth cutting, in batch rows: each shard streams wRec every step. */
const RECURRENCE_GRAIN = 16;

/**
 * Packs a [K, N] matrix (or, with `transpose`, the transpose of a [N, K] one) into the NR-column
 * slivers the microkernel reads.
 */
function packed(m: Machine, w: Float32Array, K: number, N: number, transpose: boolean): number {
  const src = m.arena.put(w);
  const wp = m.arena.floats(Math.ceil(N / NR) * NR * K);
  m.exports.packB(src, +transpose, transpose ? K : N, 0, K, 0, N, 1, wp);
  return wp;
}

/** The largest inner size of a call's products: H, the inputs with the ones column, or the outputs. */
const innerSize = (a: RecurrenceForwardArgs) => Math.max(a.H, (a.input?.I ?? 0) + 1, a.readout?.O ?? 0);

/** The forward's recurrent flops, which decide whether a call is worth the pool. */
const flopsOf = (a: RecurrenceForwardArgs) => 2 * a.T * a.B * a.H * a.H;

/**
 * The batch-row shards of a call, each with `scratchBytes(rows)` private bytes: a fixed split of
 * the batch (see `reductionShards`), so BPTT's weight gradients sum the same partial sums in the
 * same order whatever the thread count. Inner boundaries fall on whole tiles of rows, so the
 * pointwise loops' scalar tails land on the same elements however the batch is cut.
 */
function shards(
  m: Machine,
  a: RecurrenceForwardArgs,
  scratchBytes: (rows: number) => number,
): Array<{ b0: number; b1: number; scratch: number }> {
  return splitRange(a.B, reductionShards(a.B, RECURRENCE_GRAIN, 2 * MR), MR).map(([b0, b1]) => ({
    b0,
    b1,
    scratch: m.arena.alloc(scratchBytes(b1 - b0)),
  }));
}

const codes = (a: RecurrenceForwardArgs) => [
  ACTIVATIONS.indexOf(a.activation),
  UPDATE_ORDERS.indexOf(a.order),
];

/** x [rows, I] with a column of ones appended, [rows, I + 1], copied into the arena. */
function withOnes(m: Machine, x: Float32Array, rows: number, I: number): number {
  const p = m.arena.floats(rows * (I + 1));
  const xa = m.arena.view(p, rows * (I + 1));
  for (let r = 0, i = 0, o = 0; r < rows; r++) {
    for (let k = 0; k < I; k++) xa[o++] = x[i++]!;
    xa[o++] = 1;
  }
  return p;
}

/** [W; b]: the weights [K, N] with the bias row [N] appended. */
function withBias(w: Float32Array, b: Float32Array): Float32Array {
  const wb = new Float32Array(w.length + b.length);
  wb.set(w);
  wb.set(b, w.length);
  return wb;
}

/** The transpose [cols, rows] of a row-major [rows, cols] matrix. */
function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
  return t;
}

/** A fresh `[M, N]` array ← op(A) op(B) for arena operands `a`, `b`. */
function product(
  m: Machine,
  tA: boolean,
  tB: boolean,
  M: number,
  N: number,
  K: number,
  a: number,
  b: number,
) {
  const c = m.arena.floats(M * N);
  gemmOn(m, tA, tB, M, N, K, 1, a, b, 0, c);
  return m.arena.view(c, M * N).slice();
}

/** `KernelBackend.recurrenceForward` on the machine (arguments already validated). */
export function recurrenceForwardOn(m: Machine, a: RecurrenceForwardArgs): RecurrenceForwardResult {
  const { T, B, H, input, readout } = a;
  const BH = B * H;
  const { arena } = m;
  arena.reset();
  const drive = a.drive ? arena.put(a.drive) : 0;
  let [xa, Ia, wInP] = [0, 0, 0];
  if (input) {
    [xa, Ia] = [withOnes(m, input.x, T * B, input.I), input.I + 1];
    const w = withBias(input.wIn, input.b);
    wInP = Ia <= FEW ? arena.put(w) : packed(m, w, Ia, H, false);
  }
  const wp = packed(m, a.wRec, H, H, false);
  const hBase = arena.floats((T + 1) * BH);
  arena.view(hBase, BH).set(a.h0);
  const pre = derivativeFromStates(a) ? 0 : arena.floats(T * BH);
  let [O, y, wOutP, bOut] = [0, 0, 0, 0];
  if (readout) {
    [O, y, bOut] = [readout.O, arena.floats(T * B * readout.O), arena.put(readout.bOut)];
    wOutP = O <= FEW ? arena.put(transposed(readout.wOut, H, O)) : packed(m, readout.wOut, H, O, false);
  }
  const [act, order] = codes(a);
  m.run(
    "recurrenceForward",
    shards(m, a, (rows) => m.exports.recurrenceScratchBytes(rows, innerSize(a))).map((s) => [
      T,
      B,
      H,
      s.b0,
      s.b1,
      drive,
      xa,
      Ia,
      wInP,
      wp,
      hBase,
      pre,
      y,
      O,
      wOutP,
      bOut,
      a.alpha,
      act!,
      order!,
      s.scratch,
    ]),
    flopsOf(a),
  );
  return {
    hs: arena.view(hBase + BH * 4, T * BH).slice(),
    pre: pre ? arena.view(pre, T * BH).slice() : new Float32Array(0),
    ys: readout ? arena.view(y, T * B * readout.O).slice() : null,
  };
}

/** `KernelBackend.recurrenceBackward` on the machine (arguments already validated). */
export function recurrenceBackwardOn(m: Machine, a: RecurrenceBackwardArgs): RecurrenceBackwardResult {
  const { T, B, H, input, readout } = a;
  const BH = B * H;
  const rows = T * B;
  const { arena } = m;
  arena.reset();
  // [h0; h_0 … h_{T-1}]: its first T·B rows are h_{t-1} for every t, the A of the dWRec GEMM.
  const hBase = arena.floats((T + 1) * BH);
  arena.view(hBase, BH).set(a.h0);
  arena.view(hBase + BH * 4, T * BH).set(a.hs);
  const dHs = a.dHs ? arena.put(a.dHs) : 0;
  const dYs = readout && a.dYs ? arena.put(a.dYs) : 0;
  let [O, wOutTP] = [0, 0];
  if (readout && dYs) {
    O = readout.O;
    wOutTP = O <= FEW ? arena.put(transposed(readout.wOut, H, O)) : packed(m, readout.wOut, O, H, true);
  }
  const pre = a.pre.length > 0 ? arena.put(a.pre) : 0;
  const wtp = packed(m, a.wRec, H, H, true);
  // The [T, B, H] drive gradient is kept only for the drive's own cotangent and the input's.
  const wantDrive = a.drive !== null && !a.skip?.dDrive;
  const wantX = input !== undefined && !a.skip?.dX;
  const dDrive = wantDrive || wantX ? arena.floats(T * BH) : 0;
  const dh0 = arena.floats(BH);
  const g = arena.floats(BH);
  const [xa, Ia] = input ? [withOnes(m, input.x, rows, input.I), input.I + 1] : [0, 0];
  const gradFloats = m.exports.recurrenceGradFloats(H, Ia, O);
  const [act, order] = codes(a);
  const parts = shards(m, a, (r) => m.exports.recurrenceBackwardScratchBytes(r, H, innerSize(a))).map(
    (s) => ({
      ...s,
      grads: arena.floats(gradFloats),
    }),
  );
  m.run(
    "recurrenceBackward",
    parts.map((s) => [
      T,
      B,
      H,
      s.b0,
      s.b1,
      dHs,
      dYs,
      O,
      wOutTP,
      pre,
      hBase,
      wtp,
      dDrive,
      dh0,
      g,
      a.alpha,
      act!,
      order!,
      xa,
      Ia,
      s.grads,
      s.scratch,
    ]),
    2 * flopsOf(a),
  );
  // Each shard summed its rows' weight gradients: [dWRec; dW_in; db; dW_outᵀ].
  const grads = new Float32Array(gradFloats);
  for (const s of parts) {
    const part = arena.view(s.grads, gradFloats);
    for (let i = 0; i < gradFloats; i++) grads[i]! += part[i]!;
  }
  const inputGrads = input && {
    dX: wantX ? product(m, false, true, rows, input.I, H, dDrive, arena.put(input.wIn)) : null,
    dWIn: grads.slice(H * H, (H + input.I) * H),
    dB: grads.slice((H + input.I) * H, (H + Ia) * H),
  };
  const readoutGrads =
    readout && a.dYs
      ? {
          dWOut: transposed(grads.subarray((H + Ia) * H), O, H),
          dBOut: columnSums(a.dYs, rows, O),
        }
      : null;
  return {
    dDrive: wantDrive ? arena.view(dDrive, T * BH).slice() : null,
    dWRec: grads.slice(0, H * H),
    dh0: arena.view(dh0, BH).slice(),
    input: inputGrads ?? null,
    readout: readoutGrads,
  };
}
