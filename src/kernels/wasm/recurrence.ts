/**
 * The fused recurrence on a {@link Machine}: copy in, run by batch-row shards, copy out. The input
 * projection and the readout, when folded in, run inside the same kernel step by step, so the
 * forward's `[T, B, H]` drive exists only as each step's rows; BPTT keeps the drive gradient in
 * the arena, sums each shard's weight gradients over all steps at its end, and the shards' sums
 * are added here. The forward leaves its states and pre-activations in a kept block that its
 * backward reads in place (see resident.ts).
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
import { DeferredOutputs } from "./deferred.ts";
import {
  batchShards,
  packed,
  product,
  shardSum,
  stateBase,
  transposed,
  weightsFor,
  withBias,
  withOnes,
} from "./layerHost.ts";
import { FEW, type Machine } from "./machine.ts";
import { Residents, keepArrays } from "./resident.ts";

/** The largest inner size of a call's products: H, the inputs with the ones column, or the outputs. */
const innerSize = (a: RecurrenceForwardArgs) => Math.max(a.H, (a.input?.I ?? 0) + 1, a.readout?.O ?? 0);

/** The forward's recurrent flops, which decide whether a call is worth the pool. */
const flopsOf = (a: RecurrenceForwardArgs) => 2 * a.T * a.B * a.H * a.H;

const codes = (a: RecurrenceForwardArgs) => [
  ACTIVATIONS.indexOf(a.activation),
  UPDATE_ORDERS.indexOf(a.order),
];

/**
 * Arena offsets of a forward's tape: [h0; h_0 … h_{T-1}], the pre-activations (0: none) and the
 * input with its ones column (0: none), and whose kept block holds them.
 */
interface Tape {
  readonly hBase: number;
  readonly pre: number;
  readonly xa: number;
  readonly owner: object;
}

const tapes = new Residents<Tape>();

/** `KernelBackend.recurrenceForward` on the machine (arguments already validated). */
export function recurrenceForwardOn(m: Machine, a: RecurrenceForwardArgs): RecurrenceForwardResult {
  const { T, B, H, input, readout } = a;
  const BH = B * H;
  const { arena } = m;
  // The states and pre-activations go into a block later resets keep, for the backward.
  const owner = {};
  const withPre = !derivativeFromStates(a);
  const outs = new DeferredOutputs(arena, [
    { n: T * BH, defer: a.backwardOnly?.hs === true, into: a.hsInto },
    { n: T * BH, defer: withPre && a.backwardOnly?.pre === true, into: a.preInto },
  ]);
  const Ia = input ? input.I + 1 : 0;
  const [hBase, pre, xa] = keepArrays(
    m,
    owner,
    [(T + 1) * BH, withPre ? T * BH : 0, T * B * Ia],
    outs.onGiveUp,
  ) as [number, number, number];
  arena.view(hBase, BH).set(a.h0);
  const drive = a.drive ? arena.put(a.drive) : 0;
  let wInP = 0;
  if (input) {
    withOnes(m, input.x, T * B, input.I, xa);
    const w = withBias(input.wIn, input.b);
    wInP = weightsFor(m, w, Ia, H);
  }
  const wp = packed(m, a.wRec, H, H, false);
  let [O, y, wOutP, bOut] = [0, 0, 0, 0];
  if (readout) {
    [O, y, bOut] = [readout.O, arena.floats(T * B * readout.O), arena.put(readout.bOut)];
    wOutP = O <= FEW ? arena.put(transposed(readout.wOut, H, O)) : packed(m, readout.wOut, H, O, false);
  }
  const [act, order] = codes(a);
  m.run(
    "recurrenceForward",
    batchShards(m, B, (rows) => m.exports.recurrenceScratchBytes(rows, innerSize(a))).map((s) => [
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
  const [hsOut, preOrNull] = outs.take([hBase + BH * 4, pre]) as [Float32Array, Float32Array | null];
  const preOut = preOrNull ?? new Float32Array(0);
  tapes.record(hsOut, owner, [a.h0, preOut, input?.x ?? null], [T, B, H], { hBase, pre, xa, owner });
  return { hs: hsOut, pre: preOut, ys: readout ? arena.view(y, T * B * readout.O).slice() : null };
}

/** `KernelBackend.recurrenceBackward` on the machine (arguments already validated). */
export function recurrenceBackwardOn(m: Machine, a: RecurrenceBackwardArgs): RecurrenceBackwardResult {
  const { T, B, H, input, readout } = a;
  const BH = B * H;
  const rows = T * B;
  const { arena } = m;
  arena.reset();
  const kept = tapes.find(m, a.hs, [a.h0, a.pre, input?.x ?? null], [T, B, H]);
  const hBase = kept ? kept.hBase : stateBase(m, T, a.h0, a.hs);
  const dHs = a.dHs ? arena.put(a.dHs) : 0;
  const dYs = readout && a.dYs ? arena.put(a.dYs) : 0;
  let [O, wOutTP] = [0, 0];
  if (readout && dYs) {
    O = readout.O;
    wOutTP = O <= FEW ? arena.put(transposed(readout.wOut, H, O)) : packed(m, readout.wOut, O, H, true);
  }
  const pre = a.pre.length === 0 ? 0 : kept ? kept.pre : arena.put(a.pre);
  const wtp = packed(m, a.wRec, H, H, true);
  // The kernel keeps the [T, B, H] drive gradient for the weight gradients; it is copied out only
  // for the drive's own cotangent.
  const wantDrive = a.drive !== null && !a.skip?.dDrive;
  const wantX = input !== undefined && !a.skip?.dX;
  const wantH0 = !a.skip?.dh0;
  const dDrive = arena.floats(T * BH);
  const dh0 = arena.floats(BH);
  const g = arena.floats(BH);
  const Ia = input ? input.I + 1 : 0;
  const xa = !input ? 0 : kept ? kept.xa : withOnes(m, input.x, rows, input.I);
  const gradFloats = m.exports.recurrenceGradFloats(H, Ia, O);
  const [act, order] = codes(a);
  const parts = batchShards(m, B, (r) => m.exports.recurrenceBackwardScratchBytes(r, H, innerSize(a))).map(
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
      wantH0 ? 1 : 0,
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
  // The forward's deferred outputs were read here: giving the block up need not copy them out.
  if (kept) arena.release(kept.owner);
  // Each shard summed its rows' weight gradients: [dWRec; dW_in; db; dW_outᵀ].
  const grads = shardSum(
    m,
    parts.map((s) => s.grads),
    gradFloats,
  );
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
    dh0: wantH0 ? arena.view(dh0, BH).slice() : null,
    input: inputGrads ?? null,
    readout: readoutGrads,
  };
}
