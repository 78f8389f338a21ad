/** The fused recurrence on a {@link Machine}: copy in, run by batch-row shards, copy out. */
import {
  ACTIVATIONS,
  UPDATE_ORDERS,
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

/** Packs wRec (or its transpose) into the NR-column slivers the microkernel reads. */
function packed(m: Machine, wRec: Float32Array, H: number, transpose: boolean): number {
  const w = m.arena.put(wRec);
  const wp = m.arena.floats(Math.ceil(H / NR) * NR * H);
  m.exports.packB(w, +transpose, H, 0, H, 0, H, 1, wp);
  return wp;
}

/** The batch-row shards of a call and each one's private scratch. */
function shards(m: Machine, a: RecurrenceForwardArgs): Array<{ b0: number; b1: number; scratch: number }> {
  const flops = 2 * a.T * a.B * a.H * a.H;
  return splitRange(a.B, m.shards(flops, a.B, RECURRENCE_GRAIN), MR).map(([b0, b1]) => ({
    b0,
    b1,
    scratch: m.arena.alloc(m.exports.recurrenceScratchBytes(b1 - b0, a.H)),
  }));
}

const codes = (a: RecurrenceForwardArgs) => [
  ACTIVATIONS.indexOf(a.activation),
  UPDATE_ORDERS.indexOf(a.order),
];

/** `KernelBackend.recurrenceForward` on the machine (arguments already validated). */
export function recurrenceForwardOn(m: Machine, a: RecurrenceForwardArgs): RecurrenceForwardResult {
  const { T, B, H } = a;
  const BH = B * H;
  const { arena } = m;
  arena.reset();
  const drive = arena.put(a.drive);
  const wp = packed(m, a.wRec, H, false);
  const hBase = arena.floats((T + 1) * BH);
  arena.view(hBase, BH).set(a.h0);
  const pre = arena.floats(T * BH);
  const [act, order] = codes(a);
  m.exec.run(
    "recurrenceForward",
    shards(m, a).map((s) => [T, B, H, s.b0, s.b1, drive, wp, hBase, pre, a.alpha, act!, order!, s.scratch]),
  );
  return { hs: arena.view(hBase + BH * 4, T * BH).slice(), pre: arena.view(pre, T * BH).slice() };
}

/** `KernelBackend.recurrenceBackward` on the machine (arguments already validated). */
export function recurrenceBackwardOn(m: Machine, a: RecurrenceBackwardArgs): RecurrenceBackwardResult {
  const { T, B, H } = a;
  const BH = B * H;
  const { arena } = m;
  arena.reset();
  const dHs = arena.put(a.dHs);
  const pre = arena.put(a.pre);
  const wtp = packed(m, a.wRec, H, true);
  // [h0; h_0 … h_{T-1}]: its first T·B rows are h_{t-1} for every t, the A of the dWRec GEMM.
  const hBase = arena.floats((T + 1) * BH);
  arena.view(hBase, BH).set(a.h0);
  arena.view(hBase + BH * 4, T * BH).set(a.hs);
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
      pre,
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
  const dW = arena.floats(H * H);
  gemmOn(m, true, false, H, H, T * B, 1, hBase, dDrive, 0, dW);
  return {
    dDrive: arena.view(dDrive, T * BH).slice(),
    dWRec: arena.view(dW, H * H).slice(),
    dh0: arena.view(dh0, BH).slice(),
  };
}
