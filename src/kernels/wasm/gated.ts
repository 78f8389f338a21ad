/**
 * The fused GRU / LSTM layers on a {@link Machine}: copy in, run by fixed batch-row shards, copy
 * out. Each step's gate products run inside the kernel; BPTT keeps every step's gate gradients,
 * and the weight gradients are products over all T·B rows afterwards (split by `gemmOn` the same
 * way on any thread count). The forward leaves its tape (inputs, states, gates) in a kept block
 * that its backward reads in place (see resident.ts).
 */
import {
  GATES,
  type GatedBackwardArgs,
  type GatedBackwardResult,
  type GatedForwardArgs,
  type GatedForwardResult,
} from "../backend.ts";
import { DeferredOutputs } from "./deferred.ts";
import { batchShards, packed, product, putTransposed, stateBase, weightsFor, withOnes } from "./layerHost.ts";
import { splitRange } from "./executor.ts";
import { FEW, MR, NR, type Machine } from "./machine.ts";
import { Residents, keepArrays, recordCopy } from "./resident.ts";

const cellCode = (a: GatedForwardArgs) => (a.cell === "gru" ? 0 : 1);

/** The recurrent flops of the forward, which decide whether a call is worth the pool. */
const flopsOf = (a: GatedForwardArgs) => 2 * a.T * a.B * a.H * GATES[a.cell] * (a.H + a.I);

/**
 * The step product's weights [W_hh; W_ih; b] [H + I + 1, G·H] (see the kernel's `gatedForward`):
 * b = b_ih + b_hh; for the GRU the n block's input rows are zero and its bias is b_hh_n alone, so
 * that block gives gh_n.
 */
function stepWeights(a: GatedForwardArgs): Float32Array {
  const { H, I } = a;
  const GH = GATES[a.cell] * H;
  const w = new Float32Array((H + I + 1) * GH);
  w.set(a.wHh);
  w.set(a.wIh, H * GH);
  const bias = w.subarray((H + I) * GH);
  for (let j = 0; j < GH; j++) bias[j] = a.bIh[j]! + a.bHh[j]!;
  if (a.cell === "gru") {
    for (let k = H; k < H + I; k++) w.fill(0, k * GH + 2 * H, (k + 1) * GH);
    bias.set(a.bHh.subarray(2 * H), 2 * H);
  }
  return w;
}

/** The GRU's [W_ih_n; b_ih_n] [I + 1, H]: the input side of n. */
function inputSideOfN(a: GatedForwardArgs): Float32Array {
  const { H, I } = a;
  const w = new Float32Array((I + 1) * H);
  for (let k = 0; k < I; k++) w.set(a.wIh.subarray(k * 3 * H + 2 * H, (k + 1) * 3 * H), k * H);
  w.set(a.bIh.subarray(2 * H), I * H);
  return w;
}

/**
 * Arena offsets of a forward's tape: xa [T, B, I+1], [h0; hs], [c0; cs] (LSTM, else 0), gates;
 * and whose kept block holds them.
 */
interface Tape {
  readonly xa: number;
  /** tanh(c_t) [T, B, H] (LSTM, else 0), which the backward reads instead of recomputing it. */
  readonly tcs: number;
  readonly hBase: number;
  readonly cBase: number;
  readonly gates: number;
  readonly owner: object;
}

const tapes = new Residents<Tape>();

/** What a tape is filled from besides the states it is found by, and its sizes. */
const sourcesOf = (a: GatedForwardArgs, cs: Float32Array | null, gates: Float32Array) => [
  a.x,
  a.h0,
  a.c0,
  cs,
  gates,
];
const sizesOf = (a: GatedForwardArgs) => [cellCode(a), a.T, a.B, a.I, a.H];

/**
 * Whether the kernels compute a readout to O outputs after H states over `rows` rows as `gemm`
 * would: by the thin product's dots forward (O < NR), and backward by the microkernel's chains,
 * the product of the cotangent with W_outᵀ being neither thin (H ≥ NR, rows ≥ MR) nor blocked.
 */
const foldsReadout = (O: number, H: number, rows: number) => O < NR && H >= NR && rows >= MR;

/** `KernelBackend.gatedForward` on the machine (arguments already validated). */
export function gatedForwardOn(m: Machine, a: GatedForwardArgs): GatedForwardResult {
  const { T, B, I, H } = a;
  const GH = GATES[a.cell] * H;
  const BH = B * H;
  const { arena } = m;
  const Ia = I + 1;
  const owner = {};
  const deferStates = a.backwardOnly?.states === true;
  const outs = new DeferredOutputs(arena, [
    { n: T * BH, defer: deferStates, into: a.hsInto },
    { n: T * BH, defer: deferStates && a.c0 !== null, into: a.csInto },
    { n: T * B * 4 * H, defer: a.backwardOnly?.gates === true, into: a.gatesInto },
    { n: T * B * (a.readout?.O ?? 0), defer: false, into: a.readout?.ysInto },
  ]);
  const tape = keepArrays(
    m,
    owner,
    [T * B * Ia, (T + 1) * BH, a.c0 ? (T + 1) * BH : 0, a.c0 ? T * BH : 0, T * B * 4 * H],
    outs.onGiveUp,
  );
  const [xa, hBase, cBase, tcs, gates] = tape as [number, number, number, number, number];
  withOnes(m, a.x, T * B, I, xa);
  stateBase(m, T, a.h0, undefined, hBase);
  if (a.c0) stateBase(m, T, a.c0, undefined, cBase);
  const wP = packed(m, stepWeights(a), H + Ia, GH, false);
  const wiN = a.cell === "gru" ? weightsFor(m, inputSideOfN(a), Ia, H) : 0;
  const code = cellCode(a);
  const ro = a.readout && foldsReadout(a.readout.O, H, T * B) ? a.readout : undefined;
  const [O, ys, wOutT, bOut] = ro
    ? [ro.O, arena.floats(T * B * ro.O), putTransposed(m, ro.wOut, H, ro.O), ro.bOut ? arena.put(ro.bOut) : 0]
    : [0, 0, 0, 0];
  m.run(
    "gatedForward",
    batchShards(m, B, (rows) => m.exports.gatedForwardScratchBytes(rows, H, code, Ia)).map((s) => [
      code,
      T,
      B,
      H,
      s.b0,
      s.b1,
      xa,
      Ia,
      wP,
      wiN,
      hBase,
      cBase,
      tcs,
      gates,
      s.scratch,
      ys,
      O,
      wOutT,
      bOut,
    ]),
    flopsOf(a),
  );
  const [hs, cs, gatesOut, ysOut] = outs.take([hBase + BH * 4, cBase && cBase + BH * 4, gates, ys]) as [
    Float32Array,
    Float32Array | null,
    Float32Array,
    Float32Array | null,
  ];
  const r = { hs, cs, gates: gatesOut, ...(ysOut ? { ys: ysOut } : {}) };
  tapes.record(r.hs, owner, sourcesOf(a, r.cs, r.gates), sizesOf(a), { xa, tcs, hBase, cBase, gates, owner });
  recordCopy(r.hs, owner, hBase + BH * 4);
  if (r.cs) recordCopy(r.cs, owner, cBase + BH * 4);
  return r;
}

/**
 * The GRU's db_hh from its db_ih and the hidden-side gate gradients `dGh` [rows, 3H]: the two
 * sides' r and z gradients are the same floats, so their sums are db_ih's; n's are the column sums
 * of dgh's n block (the thin product of a row of ones, over those columns alone).
 */
function gruHiddenBias(m: Machine, dBIh: Float32Array, dGh: number, rows: number, H: number): Float32Array {
  const { arena, exports } = m;
  const ones = arena.put(new Float32Array(rows).fill(1));
  const sums = arena.floats(3 * H);
  const scratch = arena.floats(exports.gemmThinScratchFloats(1, rows, H));
  exports.gemmThin(1, 1, 0, 1, 3 * H, rows, 1, ones, dGh, 0, sums, 2 * H, 3 * H, scratch);
  const dBHh = dBIh.slice();
  dBHh.set(arena.view(sums + 8 * H, H), 2 * H);
  return dBHh;
}

/**
 * A fresh [M, N] ← Aᵀ B for arena operands A [K, M] with few columns (M ≤ FEW) and B [K, N]: the
 * input-weight gradient [dW_ih; db] over all T·B rows, by `fewRowsTransposed` reading B in place
 * (a packed product would copy all of B for a few rows of C), split over threads by columns.
 */
function fewInputsProduct(m: Machine, M: number, N: number, K: number, a: number, b: number): Float32Array {
  const c = m.arena.floats(M * N);
  const flops = 2 * M * N * K;
  const ranges = splitRange(N, m.shards(flops, N, 64), NR);
  m.run(
    "fewRowsTransposed",
    ranges.map(([n0, n1]) => [a, M, b, N, K, c, n0, n1]),
    flops,
  );
  return m.arena.view(c, M * N).slice();
}

/** A fresh [Ia, N] ← xaᵀ dG over `rows` rows: [dW_ih; db_ih] from the input-side gate gradients [rows, N]. */
function inputGrad(m: Machine, Ia: number, N: number, rows: number, xa: number, dG: number): Float32Array {
  return Ia <= FEW ? fewInputsProduct(m, Ia, N, rows, xa, dG) : product(m, true, false, Ia, N, rows, xa, dG);
}

/**
 * The GRU's [dW_ih; db_ih] [Ia, 3H]: r's and z's columns from dgh (the same floats as their input
 * side's; its n columns are replaced), n's from `dGiN` [rows, H].
 */
function gruInputGrad(
  m: Machine,
  Ia: number,
  H: number,
  rows: number,
  xa: number,
  dGh: number,
  dGiN: number,
): Float32Array {
  const g = inputGrad(m, Ia, 3 * H, rows, xa, dGh);
  const n = inputGrad(m, Ia, H, rows, xa, dGiN);
  for (let k = 0; k < Ia; k++) g.set(n.subarray(k * H, (k + 1) * H), k * 3 * H + 2 * H);
  return g;
}

/** The GRU's whole input-side gate gradients [rows, 3H] in the arena: dgh's r and z, then dGiN. */
function gruInputSide(m: Machine, H: number, rows: number, dGh: number, dGiN: number): number {
  const p = m.arena.floats(rows * 3 * H);
  const [v, gh, gin] = [
    m.arena.view(p, rows * 3 * H),
    m.arena.view(dGh, rows * 3 * H),
    m.arena.view(dGiN, rows * H),
  ];
  for (let r = 0; r < rows; r++) {
    v.set(gh.subarray(r * 3 * H, r * 3 * H + 2 * H), r * 3 * H);
    v.set(gin.subarray(r * H, (r + 1) * H), r * 3 * H + 2 * H);
  }
  return p;
}

/** `KernelBackend.gatedBackward` on the machine (arguments already validated). */
export function gatedBackwardOn(m: Machine, a: GatedBackwardArgs): GatedBackwardResult {
  const { T, B, I, H } = a;
  const GH = GATES[a.cell] * H;
  const BH = B * H;
  const rows = T * B;
  const { arena } = m;
  arena.reset();
  const Ia = I + 1;
  const kept = tapes.find(m, a.hs, sourcesOf(a, a.cs, a.gates), sizesOf(a));
  const xa = kept ? kept.xa : withOnes(m, a.x, rows, I);
  const hBase = kept ? kept.hBase : stateBase(m, T, a.h0, a.hs);
  const cBase = kept ? kept.cBase : a.c0 && a.cs ? stateBase(m, T, a.c0, a.cs) : 0;
  const gates = kept ? kept.gates : arena.put(a.gates);
  const whTP = packed(m, a.wHh, GH, H, true);
  const dHs = a.dHs ? arena.put(a.dHs) : 0;
  const dCs = cBase && a.dCs ? arena.put(a.dCs) : 0;
  const ro = a.dYs ? a.readout : undefined;
  const [O, dYs, wOutT] = ro ? [ro.O, arena.put(a.dYs!), putTransposed(m, ro.wOut, H, ro.O)] : [0, 0, 0];
  const gru = a.cell === "gru";
  // The GRU's dGi: n's input side alone [rows, H] (r's and z's are dGh's floats).
  const dGi = arena.floats(rows * (gru ? H : GH));
  // The LSTM's two sides share one gradient.
  const dGh = a.cell === "gru" ? arena.floats(rows * GH) : dGi;
  const [g, dh0, dc] = [arena.floats(BH), arena.floats(BH), arena.floats(BH)];
  const code = cellCode(a);
  m.run(
    "gatedBackward",
    batchShards(m, B, (r) => m.exports.gatedBackwardScratchBytes(r, H, code)).map((s) => [
      code,
      T,
      B,
      H,
      s.b0,
      s.b1,
      whTP,
      hBase,
      cBase,
      kept ? kept.tcs : 0,
      gates,
      dHs,
      dCs,
      dGi,
      dGh,
      g,
      dh0,
      dc,
      s.scratch,
      dYs,
      O,
      wOutT,
    ]),
    flopsOf(a),
  );
  // The forward's deferred outputs were read here: giving the block up need not copy them out.
  if (kept) arena.release(kept.owner);
  // The weight gradients over all T·B rows at once: [h_{-1} … h_{T-2}] is hBase's first T·B rows.
  const dWHh = product(m, true, false, H, GH, rows, hBase, dGh);
  const dWIhB = gru ? gruInputGrad(m, Ia, H, rows, xa, dGh, dGi) : inputGrad(m, Ia, GH, rows, xa, dGi);
  const dBIh = dWIhB.slice(I * GH);
  return {
    dX: a.skipDx
      ? null
      : product(
          m,
          false,
          true,
          rows,
          I,
          GH,
          gru ? gruInputSide(m, H, rows, dGh, dGi) : dGi,
          arena.put(a.wIh),
        ),
    dWIh: dWIhB.slice(0, I * GH),
    dWHh,
    dBIh,
    dBHh: a.cell === "gru" ? gruHiddenBias(m, dBIh, dGh, rows, H) : dBIh.slice(),
    dh0: arena.view(dh0, BH).slice(),
    dc0: cBase ? arena.view(dc, BH).slice() : null,
  };
}
