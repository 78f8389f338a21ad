/**
 * The fused HORN layer on a {@link Machine}: copy in, run by fixed batch-row shards, copy out. The
 * gain is folded into the packed recurrent weights and the bias row of the input weights. The
 * forward leaves its tape (inputs, states, tanh(I)) in a kept block that its backward reads in
 * place (see resident.ts).
 */
import type { HornBackwardArgs, HornBackwardResult, HornForwardArgs, HornForwardResult } from "../backend.ts";
import { DeferredOutputs } from "./deferred.ts";
import {
  batchShards,
  copyOut,
  packed,
  product,
  shardSum,
  stateBase,
  weightsFor,
  withBias,
  withOnes,
} from "./layerHost.ts";
import type { Machine } from "./machine.ts";
import { Residents, keepArrays, recordCopy } from "./resident.ts";

const flopsOf = (a: HornForwardArgs) => 2 * a.T * a.B * a.H * (a.H + a.I);

/** α, ω, γ, v, [H] each, one after the other, in the arena. */
function constants(m: Machine, a: HornForwardArgs): number {
  const at = m.arena.floats(4 * a.H);
  const c = m.arena.view(at, 4 * a.H);
  [a.alpha, a.omega, a.gamma, a.v].forEach((k, i) => c.set(k, i * a.H));
  return at;
}

/** `gain * v`, rounded to float32 as `Float32Array.map` did. */
function scaled(v: Float32Array, gain: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = gain * v[i]!;
  return out;
}

/** Arena offsets of a forward's tape: ua [T, B, I+1], [x0; xs], [y0; ys], tanh(I) [T, B, H]. */
interface Tape {
  readonly ua: number;
  readonly xBase: number;
  readonly yBase: number;
  readonly tau: number;
  readonly owner: object;
}

const tapes = new Residents<Tape>();

/** What a tape is filled from besides the positions it is found by, and its sizes. */
const sourcesOf = (a: HornForwardArgs, ys: Float32Array, drive: Float32Array) => [a.u, a.x0, a.y0, ys, drive];
const sizesOf = (a: HornForwardArgs) => [a.T, a.B, a.I, a.H];

/** `KernelBackend.hornForward` on the machine (arguments already validated). */
export function hornForwardOn(m: Machine, a: HornForwardArgs): HornForwardResult {
  const { T, B, I, H } = a;
  const BH = B * H;
  const { arena } = m;
  const Ia = I + 1;
  const owner = {};
  // Under `final` the sequences are the backward's alone: they stay in the block until it reads
  // them there (or the block is given up first).
  const deferred = a.final === true;
  const outs = new DeferredOutputs(arena, [
    { n: T * BH, defer: deferred, into: a.xsInto },
    { n: T * BH, defer: deferred, into: a.ysInto },
    { n: T * BH, defer: deferred, into: a.driveInto },
  ]);
  const tape = keepArrays(m, owner, [T * B * Ia, (T + 1) * BH, (T + 1) * BH, T * BH], outs.onGiveUp);
  const [ua, xBase, yBase, tau] = tape as [number, number, number, number];
  withOnes(m, a.u, T * B, I, ua);
  stateBase(m, T, a.x0, undefined, xBase);
  stateBase(m, T, a.y0, undefined, yBase);
  const bias = new Float32Array(H);
  for (let j = 0; j < H; j++) bias[j] = a.bIh[j]! + a.gain * a.bHh[j]!;
  const wiP = weightsFor(m, withBias(a.wIh, bias), Ia, H);
  const whP = packed(m, a.wHh, H, H, false, a.gain);
  const consts = constants(m, a);
  m.run(
    "hornForward",
    batchShards(m, B, (rows) => m.exports.hornForwardScratchBytes(rows, H, Ia)).map((s) => [
      T,
      B,
      H,
      s.b0,
      s.b1,
      ua,
      Ia,
      wiP,
      whP,
      consts,
      a.dt,
      xBase,
      yBase,
      tau,
      s.scratch,
    ]),
    flopsOf(a),
  );
  const [xs, ys, drive] = outs.take([xBase + 4 * BH, yBase + 4 * BH, tau]) as Float32Array[];
  const lastOf = (base: number, into?: Float32Array) => copyOut(arena.view(base + 4 * T * BH, BH), into);
  const r = {
    xs: xs!,
    ys: ys!,
    drive: drive!,
    ...(deferred && { xLast: lastOf(xBase, a.xLastInto), yLast: lastOf(yBase, a.yLastInto) }),
  };
  tapes.record(r.xs, owner, sourcesOf(a, r.ys, r.drive), sizesOf(a), { ua, xBase, yBase, tau, owner });
  recordCopy(r.xs, owner, xBase + 4 * BH);
  recordCopy(r.ys, owner, yBase + 4 * BH);
  return r;
}

/** `KernelBackend.hornBackward` on the machine (arguments already validated). */
export function hornBackwardOn(m: Machine, a: HornBackwardArgs): HornBackwardResult {
  const { T, B, I, H } = a;
  const BH = B * H;
  const rows = T * B;
  const { arena } = m;
  arena.reset();
  const Ia = I + 1;
  const kept = tapes.find(m, a.xs, sourcesOf(a, a.ys, a.drive), sizesOf(a));
  const ua = kept ? kept.ua : withOnes(m, a.u, rows, I);
  const xBase = kept ? kept.xBase : stateBase(m, T, a.x0, a.xs);
  const yBase = kept ? kept.yBase : stateBase(m, T, a.y0, a.ys);
  const tau = kept ? kept.tau : arena.put(a.drive);
  const whTP = packed(m, a.wHh, H, H, true, a.gain);
  const consts = constants(m, a);
  const dXs = a.dXs ? arena.put(a.dXs) : 0;
  const dYs = a.dYs ? arena.put(a.dYs) : 0;
  const dXT = a.dXLast ? arena.put(a.dXLast) : 0;
  const dYT = a.dYLast ? arena.put(a.dYLast) : 0;
  const dI = arena.floats(rows * H);
  const [gx, gy] = [arena.floats(BH), arena.floats(BH)];
  const gradFloats = m.exports.hornGradFloats(H);
  const parts = batchShards(m, B, (r) => m.exports.hornBackwardScratchBytes(r, H)).map((s) => ({
    ...s,
    grads: arena.floats(gradFloats),
  }));
  m.run(
    "hornBackward",
    parts.map((s) => [
      T,
      B,
      H,
      s.b0,
      s.b1,
      whTP,
      consts,
      a.dt,
      xBase,
      yBase,
      tau,
      dXs,
      dYs,
      dXT,
      dYT,
      a.skipDState0 ? 1 : 0,
      dI,
      gx,
      gy,
      s.grads,
      s.scratch,
    ]),
    flopsOf(a),
  );
  // The forward's deferred outputs were read here: giving the block up need not copy them out.
  if (kept) arena.release(kept.owner);
  // [dα; dω; dγ; dv] summed over the shards in order.
  const perUnit = a.skipDConstants
    ? null
    : shardSum(
        m,
        parts.map((s) => s.grads),
        gradFloats,
      );
  const unit = (k: number) => perUnit && perUnit.slice(k * H, (k + 1) * H);
  const state0 = (g: number) => (a.skipDState0 ? null : arena.view(g, BH).slice());
  // The weight gradients over all T·B rows at once: [y_{-1} … y_{T-2}] is yBase's first T·B rows.
  // dW_ih and db_ih are views of one product's array (no other holder of it exists).
  const dWIhB = product(m, true, false, Ia, H, rows, ua, dI);
  const dBIh = dWIhB.subarray(I * H);
  return {
    dU: a.skipDu ? null : product(m, false, true, rows, I, H, dI, arena.put(a.wIh)),
    dWIh: dWIhB.subarray(0, I * H),
    dBIh,
    dWHh: product(m, true, false, H, H, rows, yBase, dI, a.gain),
    dBHh: scaled(dBIh, a.gain),
    dAlpha: unit(0),
    dOmega: unit(1),
    dGamma: unit(2),
    dV: unit(3),
    dx0: state0(gx),
    dy0: state0(gy),
  };
}
