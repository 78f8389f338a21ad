/**
 * The fused spiking chain on a {@link Machine}: copy in, run by batch-row shards, copy out. What
 * the backward pass reads of the forward (v1 and the spikes; for the readout's maximum over time
 * also U and that maximum) and the input events stay in the machine's memory, kept for the
 * backward call; if another call took that memory since, the backward copies the events in again
 * and runs the forward again inside each shard. Either way nothing of the tape is copied out or
 * back in.
 */
import {
  SURROGATE_KINDS,
  type SpikingChainConstants,
  type SpikingChainForward,
  type SpikingChainOutput,
  type SpikingChainShape,
  type EventList,
  inputEvents,
} from "../js/spiking.ts";
import { reductionShards, splitRange } from "./executor.ts";
import type { Machine } from "./machine.ts";

/** The kernel's readout codes (READOUT_* in the assembly): none, U at every step, its maximum over time. */
const READOUT = { states: 0, u: 1, uMax: 2 } as const satisfies Record<SpikingChainOutput, number>;

/** Smallest shard worth cutting, in batch rows. */
const SPIKING_GRAIN = 32;

/** Offsets of the input events in the arena: [start, index, value]. */
type EventsAt = [number, number, number];

/** Where each kept forward's events are, by its tape handle (they sit in its kept block). */
const keptEvents = new WeakMap<object, EventsAt>();

/** Bytes of an event list in the arena. */
const eventBytes = (ev: EventList) => 4 * (ev.start.length + ev.index.length + ev.value.length);

/** Copies the events to `at`, with room for them (see {@link eventBytes}). */
function writeEvents(m: Machine, ev: EventList, at: number): EventsAt {
  const { buffer } = m.arena.memory;
  const index = at + 4 * ev.start.length;
  const value = index + 4 * ev.index.length;
  new Int32Array(buffer, at, ev.start.length).set(ev.start);
  new Int32Array(buffer, index, ev.index.length).set(ev.index);
  new Float32Array(buffer, value, ev.value.length).set(ev.value);
  return [at, index, value];
}

/** Copies the events in, above the kept block. */
const putEvents = (m: Machine, ev: EventList): EventsAt => writeEvents(m, ev, m.arena.alloc(eventBytes(ev)));

/** Rough flops of a call (about 10 per neuron per row per step), to decide on the pool. */
const flopsOf = (sh: SpikingChainShape) => 10 * sh.T * sh.B * (sh.N + sh.O);

/**
 * Batch-row shards: a fixed split of the batch (see `reductionShards`), so the shards' weight
 * gradients add up in the same order whatever the thread count.
 */
function rowShards(m: Machine, sh: SpikingChainShape, scratchBytes: (rows: number) => number) {
  const parts = reductionShards(sh.B, SPIKING_GRAIN, SPIKING_GRAIN / 4);
  return splitRange(sh.B, parts, 1).map(([b0, b1]) => ({
    b0,
    b1,
    scratch: m.arena.alloc(scratchBytes(b1 - b0)),
  }));
}

/** Bytes of one shard's tape for a readout (a READOUT code). */
const shardTapeBytes = (m: Machine, sh: SpikingChainShape, rows: number, readout: number) =>
  m.exports.spikingTapeBytes(sh.T, rows, sh.N, sh.O, readout);

/** Each shard's tape in a block of memory starting at `at` (0: none). */
function tapesAt(
  m: Machine,
  sh: SpikingChainShape,
  readout: number,
  at: number,
  parts: readonly { b0: number; b1: number }[],
): number[] {
  let next = at;
  return parts.map(({ b0, b1 }) => {
    const tape = at && next;
    next += shardTapeBytes(m, sh, b1 - b0, readout);
    return tape;
  });
}

/** Bytes of all the shards' tapes. */
function tapeBytes(m: Machine, sh: SpikingChainShape, readout: number): number {
  const parts = reductionShards(sh.B, SPIKING_GRAIN, SPIKING_GRAIN / 4);
  return splitRange(sh.B, parts, 1).reduce((n, [b0, b1]) => n + shardTapeBytes(m, sh, b1 - b0, readout), 0);
}

/** `KernelBackend.spikingChainForward` on the machine. */
export function spikingForwardOn(
  m: Machine,
  sh: SpikingChainShape,
  c: SpikingChainConstants,
  x: Float32Array,
  w1: Float32Array,
  w2: Float32Array,
  output: SpikingChainOutput,
): SpikingChainForward {
  const { T, B, N, O } = sh;
  const { arena } = m;
  const states = output === "states";
  const readout = READOUT[output];
  const ev = inputEvents(x, T * B, sh.nIn);
  // The readout's backward reads the tape and the events: keep them (the hidden states' rare
  // backward runs again).
  const tape = states ? null : {};
  const bytes = tape ? tapeBytes(m, sh, readout) : 0;
  const tapeAt = tape ? arena.keep(bytes + eventBytes(ev), tape) : (arena.reset(), 0);
  const events = tape ? writeEvents(m, ev, tapeAt + bytes) : putEvents(m, ev);
  if (tape) keptEvents.set(tape, events);
  const [start, index, value] = events;
  const pw1 = arena.put(w1);
  const pw2 = arena.put(w2);
  const outFloats = output === "u" ? T * B * O : B * O;
  const u = states ? 0 : arena.floats(outFloats);
  const [s, v] = states ? [arena.floats(T * B * N), arena.floats(T * B * N)] : [0, 0];
  const parts = rowShards(m, sh, (rows) => m.exports.spikingForwardScratchBytes(rows, sh.nIn, N, O));
  const tapes = tapesAt(m, sh, readout, tapeAt, parts);
  m.run(
    "spikingForward",
    parts.map((p, i) => [
      T,
      B,
      sh.nIn,
      N,
      O,
      p.b0,
      p.b1,
      start,
      index,
      value,
      pw1,
      pw2,
      readout,
      u,
      s,
      v,
      tapes[i] as number,
      c.synDecay,
      c.cv,
      c.ci,
      c.c0,
      c.vTh,
      c.vReset,
      c.v0,
      c.reset === "hard" ? 1 : 0,
      c.outDecay,
      p.scratch,
    ]),
    flopsOf(sh),
  );
  return {
    u: states ? null : arena.view(u, outFloats).slice(),
    states: states ? { s: arena.view(s, T * B * N).slice(), v: arena.view(v, T * B * N).slice() } : null,
    tape,
  };
}

/**
 * Whether the backward may skip each row's steps after its readout's last maximum (see
 * `lastLiveStep` in the assembly): a gradient of the maximum alone, and finite numbers everywhere
 * the zero adjoints of those steps are multiplied (the kernel checks the potentials).
 */
function afterMaxSkippable(
  c: SpikingChainConstants,
  w2: Float32Array,
  ev: EventList,
  output: SpikingChainOutput,
  dOut: Float32Array | null,
  dS: Float32Array | null,
  dV: Float32Array | null,
): boolean {
  const constants = [c.synDecay, c.cv, c.ci, c.vTh, c.vReset, c.outDecay, c.surrogateScale];
  return (
    output === "uMax" &&
    dOut !== null &&
    !dS &&
    !dV &&
    ev.finite &&
    constants.every(Number.isFinite) &&
    w2.every(Number.isFinite)
  );
}

/**
 * `KernelBackend.spikingChainBackward` on the machine: each shard runs its rows' forward again,
 * then back; the shards' dW parts are added at the end, in a fixed order.
 */
export function spikingBackwardOn(
  m: Machine,
  sh: SpikingChainShape,
  c: SpikingChainConstants,
  x: Float32Array,
  w1: Float32Array,
  w2: Float32Array,
  output: SpikingChainOutput,
  dOut: Float32Array | null,
  dS: Float32Array | null,
  dV: Float32Array | null,
  tape: object | null,
): { dW1: Float32Array; dW2: Float32Array } {
  const { T, B, nIn, N, O } = sh;
  const { arena } = m;
  const readout = READOUT[output];
  arena.reset();
  const tapeAt = (tape && arena.kept(tape)) ?? 0;
  const kept = tape && tapeAt ? keptEvents.get(tape) : undefined;
  const ev = inputEvents(x, T * B, nIn);
  const [start, index, value] = kept ?? putEvents(m, ev);
  const afterMax = afterMaxSkippable(c, w2, ev, output, dOut, dS, dV) ? 1 : 0;
  const pw1 = arena.put(w1);
  const pw2 = arena.put(w2);
  const [pdU, pdS, pdV] = [dOut, dS, dV].map((a) => (a ? arena.put(a) : 0)) as [number, number, number];
  const parts = rowShards(m, sh, (rows) =>
    m.exports.spikingBackwardScratchBytes(T, rows, nIn, N, O, readout, tapeAt ? 1 : 0),
  );
  const tapes = tapesAt(m, sh, readout, tapeAt, parts);
  m.run(
    "spikingBackward",
    parts.map((p, i) => [
      T,
      B,
      nIn,
      N,
      O,
      p.b0,
      p.b1,
      start,
      index,
      value,
      pw1,
      pw2,
      readout,
      pdU,
      pdS,
      pdV,
      c.synDecay,
      c.cv,
      c.ci,
      c.c0,
      c.vTh,
      c.vReset,
      c.v0,
      c.reset === "hard" ? 1 : 0,
      c.detachReset ? 1 : 0,
      c.outDecay,
      SURROGATE_KINDS.indexOf(c.surrogate),
      c.surrogateScale,
      afterMax,
      tapes[i] as number,
      p.scratch,
    ]),
    3 * flopsOf(sh),
  );
  const dW1 = new Float64Array(nIn * N);
  const dW2 = new Float64Array(N * O);
  for (const p of parts) {
    const at = p.scratch + m.exports.spikingGradientsOffset(p.b1 - p.b0, N, O);
    const part = new Float64Array(arena.memory.buffer, at, nIn * N + N * O);
    for (let i = 0; i < nIn * N; i++) dW1[i] = (dW1[i] as number) + (part[i] as number);
    for (let i = 0; i < N * O; i++) dW2[i] = (dW2[i] as number) + (part[nIn * N + i] as number);
  }
  return { dW1: Float32Array.from(dW1), dW2: Float32Array.from(dW2) };
}
