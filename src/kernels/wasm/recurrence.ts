/**
 * The fused recurrence on a {@link Machine}: copy in, run by batch-row shards, copy out. The input
 * projection and the readout, when folded in, run as GEMMs on the same memory, so the `[T, B, H]`
 * drive and its gradient never leave it.
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
import { splitRange } from "./executor.ts";
import { gemmOn } from "./gemm.ts";
import { MR, NR, type Machine } from "./machine.ts";

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

/** The batch-row shards of a call and each one's private scratch. */
function shards(m: Machine, a: RecurrenceForwardArgs): Array<{ b0: number; b1: number; scratch: number }> {
  const flops = 2 * a.T * a.B * a.H * a.H;
  const K = Math.max(a.H, (a.input?.I ?? 0) + 1, a.readout?.O ?? 0);
  return splitRange(a.B, m.shards(flops, a.B, RECURRENCE_GRAIN), MR).map(([b0, b1]) => ({
    b0,
    b1,
    scratch: m.arena.alloc(m.exports.recurrenceScratchBytes(b1 - b0, K)),
  }));
}

const codes = (a: RecurrenceForwardArgs) => [
  ACTIVATIONS.indexOf(a.activation),
  UPDATE_ORDERS.indexOf(a.order),
];

/** `rows` ones in the arena: `onesᵀ X` sums the rows of X. */
function ones(m: Machine, rows: number): number {
  const p = m.arena.floats(rows);
  m.arena.view(p, rows).fill(1);
  return p;
}

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
  const [xa, Ia, wInP] = input
    ? [
        withOnes(m, input.x, T * B, input.I),
        input.I + 1,
        packed(m, withBias(input.wIn, input.b), input.I + 1, H, false),
      ]
    : [0, 0, 0];
  const wp = packed(m, a.wRec, H, H, false);
  const hBase = arena.floats((T + 1) * BH);
  arena.view(hBase, BH).set(a.h0);
  const pre = derivativeFromStates(a) ? 0 : arena.floats(T * BH);
  const [O, y, wOutP, bOut] = readout
    ? [
        readout.O,
        arena.floats(T * B * readout.O),
        packed(m, readout.wOut, H, readout.O, false),
        arena.put(readout.bOut),
      ]
    : [0, 0, 0, 0];
  const [act, order] = codes(a);
  m.exec.run(
    "recurrenceForward",
    shards(m, a).map((s) => [
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
  const hs = hBase + BH * 4;
  const dHs = a.dHs ? arena.put(a.dHs) : 0;
  const dYs = readout && a.dYs ? arena.put(a.dYs) : 0;
  const [O, wOutTP] = readout && dYs ? [readout.O, packed(m, readout.wOut, readout.O, H, true)] : [0, 0];
  const pre = a.pre.length > 0 ? arena.put(a.pre) : 0;
  const wtp = packed(m, a.wRec, H, H, true);
  const dDrive = arena.floats(T * BH);
  const dh0 = arena.floats(BH);
  const g = arena.floats(BH);
  const [act, order] = codes(a);
  m.exec.run(
    "recurrenceBackward",
    shards(m, a).map((s) => [
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
      s.scratch,
    ]),
  );
  const dWRec = product(m, true, false, H, H, rows, hBase, dDrive);
  let inputGrads = null;
  if (input) {
    // [dW_in; db] = [x, 1]ᵀ dDrive in one product.
    const { I } = input;
    const dWb = product(m, true, false, I + 1, H, rows, withOnes(m, input.x, rows, I), dDrive);
    inputGrads = {
      dX: a.skip?.dX ? null : product(m, false, true, rows, I, H, dDrive, arena.put(input.wIn)),
      dWIn: dWb.slice(0, I * H),
      dB: dWb.slice(I * H),
    };
  }
  const readoutGrads =
    readout && dYs
      ? {
          dWOut: product(m, true, false, H, readout.O, rows, hs, dYs),
          dBOut: product(m, true, false, 1, readout.O, rows, ones(m, rows), dYs),
        }
      : null;
  return {
    dDrive: a.drive && !a.skip?.dDrive ? arena.view(dDrive, T * BH).slice() : null,
    dWRec,
    dh0: arena.view(dh0, BH).slice(),
    input: inputGrads ?? null,
    readout: readoutGrads,
  };
}
