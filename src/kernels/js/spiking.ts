/**
 * The fused spiking chain of S4c: input spikes → exponential synapse → LIF → exponential synapse →
 * leaky-integrator readout, forward over T steps and its BPTT with a surrogate derivative, in one
 * call. The input projection is event-driven: only active inputs are visited, forward and back.
 *
 * One step, per batch row (x_t `[nIn]`, W₁ `[nIn, N]`, W₂ `[N, O]`):
 * ```
 * g₁ ← a g₁ + x_t W₁                      exponential synapse (a = e^{−dt/τ_syn})
 * v₁ = cv V + ci g₁ + c0                  LIF integration (exponential or Euler: affine in V and I)
 * s  = H(v₁ − θ)                          spike; backward: σ'(v₁ − θ)
 * V  ← v₁ + (V_reset − v₁) s̄  (hard)  |  v₁ − θ s̄  (soft);   s̄ = s, gradient-free if detachReset
 * g₂ ← a g₂ + s W₂
 * U  ← k U + (1 − k) g₂                   leaky integrator (k = e^{−dt/τ_out})
 * ```
 */
import { ValueError } from "../../base/errors.ts";

/** Surrogate derivatives σ'(x) with scale k (the same formulas as the tensor spike functions). */
export const SURROGATE_DERIVATIVES = {
  sigmoid: (x: number, k: number) => {
    const s = 1 / (1 + Math.exp(-k * x));
    return k * s * (1 - s);
  },
  fastSigmoid: (x: number, k: number) => 1 / (k * Math.abs(x) + 1) ** 2,
  arctan: (x: number, k: number) => k / 2 / (1 + ((Math.PI * k * x) / 2) ** 2),
  triangle: (x: number, k: number) => k * Math.max(0, 1 - k * Math.abs(x)),
  gaussian: (x: number, k: number) => (k / Math.sqrt(2 * Math.PI)) * Math.exp(-((k * x) ** 2) / 2),
} as const;

export type SurrogateKind = keyof typeof SURROGATE_DERIVATIVES;

/** The surrogates in the order the WASM kernel numbers them. */
export const SURROGATE_KINDS: readonly SurrogateKind[] = [
  "sigmoid",
  "fastSigmoid",
  "arctan",
  "triangle",
  "gaussian",
];

/** Constants of the chain (see the module equations). */
export interface SpikingChainConstants {
  readonly synDecay: number;
  readonly cv: number;
  readonly ci: number;
  readonly c0: number;
  readonly vTh: number;
  readonly vReset: number;
  /** Initial membrane potential (V_rest). */
  readonly v0: number;
  readonly reset: "hard" | "soft";
  readonly detachReset: boolean;
  readonly outDecay: number;
  readonly surrogate: SurrogateKind;
  readonly surrogateScale: number;
}

export interface SpikingChainShape {
  readonly T: number;
  readonly B: number;
  readonly nIn: number;
  readonly N: number;
  readonly O: number;
}

/** Active inputs per (t, b): `start[(t·B + b)]..start[t·B + b + 1]` index into `index`. */
export interface EventList {
  readonly start: Int32Array;
  readonly index: Int32Array;
  readonly value: Float32Array;
  /** Whether every value is finite. */
  readonly finite: boolean;
}

const eventCache = new WeakMap<Float32Array, EventList>();

/** The non-zero inputs of x `[T, B, nIn]`, cached per buffer (tensors are immutable). */
export function inputEvents(x: Float32Array, rows: number, nIn: number): EventList {
  const cached = eventCache.get(x);
  if (cached && cached.start.length === rows + 1) return cached;
  let nnz = 0;
  let finite = true;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v !== 0) {
      nnz++;
      finite &&= v - v === 0;
    }
  }
  const start = new Int32Array(rows + 1);
  const index = new Int32Array(nnz);
  const value = new Float32Array(nnz);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    start[r] = k;
    const base = r * nIn;
    for (let i = 0; i < nIn; i++) {
      const v = x[base + i] as number;
      if (v !== 0) {
        index[k] = i;
        value[k++] = v;
      }
    }
  }
  start[rows] = k;
  const events = { start, index, value, finite };
  eventCache.set(x, events);
  return events;
}

/** The hidden layer's states over time, `[T, B, N]` each. */
export interface SpikingChainStates {
  /** Spikes (0/1). */
  readonly s: Float32Array;
  /** Membrane potential after the reset (what a monitor of V records). */
  readonly v: Float32Array;
}

/**
 * What a forward call computes: the readout potential U `[T, B, O]` (`"u"`), its maximum over time
 * `[B, O]` (`"uMax"`, without U leaving the kernel), or the hidden spikes and potentials
 * (`"states"`, which cost more than the readout).
 */
export type SpikingChainOutput = "u" | "uMax" | "states";

/** What a forward call returns. */
export interface SpikingChainForward {
  /** U `[T, B, O]` for `"u"`, `max_t U_t` `[B, O]` for `"uMax"`, null for `"states"`. */
  readonly u: Float32Array | null;
  /** The hidden states for `"states"`, else null. */
  readonly states: SpikingChainStates | null;
  /**
   * A handle to what the backward pass reads of this forward (v1 and the spikes) where the
   * backend keeps it for the backward call, else null; pass it to the backward call.
   */
  readonly tape: object | null;
}

/**
 * The maximum over time of U `[T, B, O]` (float32 values), `[B, O]`, the way the generic max takes
 * it: a step replaces the maximum only when greater, or NaN. `ties` counts the steps equal to it.
 */
function maxOverTime(u: Float32Array, T: number): { max: Float32Array; ties: Float64Array } {
  const n = u.length / T;
  const max = new Float32Array(n).fill(-Infinity);
  const ties = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const v = u[t * n + i] as number;
      const m = max[i] as number;
      if (v > m || Number.isNaN(v)) [max[i], ties[i]] = [v, 1];
      else if (v === m) ties[i]! += 1;
    }
  }
  return { max, ties };
}

/**
 * dL/dU `[T, B, O]` from dL/d(max_t U_t) `g` `[B, O]`: every step equal to the maximum gets the
 * share g / ties (float32), the others 0, as the generic max's cotangent.
 */
function maxCotangent(u: Float32Array, T: number, g: Float32Array): Float32Array {
  const { max, ties } = maxOverTime(u, T);
  const n = g.length;
  const dU = new Float32Array(u.length);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++)
      if (u[t * n + i] === max[i]) dU[t * n + i] = (g[i] as number) / (ties[i] as number);
  }
  return dU;
}

/** Checks the constants once at the boundary. */
export function checkSpikingChain(shape: SpikingChainShape, c: SpikingChainConstants): void {
  for (const [name, v] of Object.entries(shape)) {
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError(`spikingChain: ${name} must be a positive integer, got ${v}`);
  }
  if (!(c.synDecay >= 0 && c.synDecay < 1) || !(c.outDecay >= 0 && c.outDecay < 1)) {
    throw new ValueError(
      `spikingChain: decays must be in [0, 1), got synDecay=${c.synDecay}, outDecay=${c.outDecay}`,
    );
  }
  if (!(c.surrogate in SURROGATE_DERIVATIVES)) {
    throw new ValueError(
      `spikingChain: surrogate must be one of ${Object.keys(SURROGATE_DERIVATIVES).join(", ")}, got ${c.surrogate}`,
    );
  }
}

/**
 * Runs the chain forward over all T steps (all states start at rest), returning `output` (see
 * {@link SpikingChainOutput}). The backward pass runs it again rather than keeping anything between
 * the calls.
 */
export function spikingChainForward(
  sh: SpikingChainShape,
  c: SpikingChainConstants,
  x: Float32Array,
  w1: Float32Array,
  w2: Float32Array,
  output: SpikingChainOutput,
): SpikingChainForward {
  const { u, s, v } = runChain(sh, c, x, w1, w2);
  if (output === "states") return { u: null, states: { s, v }, tape: null };
  return { u: output === "uMax" ? maxOverTime(u, sh.T).max : u, states: null, tape: null };
}

/**
 * The forward with everything the backward pass reads: v1, the potential before the reset (the
 * surrogate's argument is v₁ − θ). The states are kept neuron-major (`[N, B]`), so every inner
 * loop runs over the batch.
 */
function runChain(
  sh: SpikingChainShape,
  c: SpikingChainConstants,
  x: Float32Array,
  w1: Float32Array,
  w2: Float32Array,
): { u: Float32Array; s: Float32Array; v: Float32Array; v1: Float32Array } {
  const { T, B, nIn, N, O } = sh;
  const { start, index, value } = inputEvents(x, T * B, nIn);
  const u = new Float32Array(T * B * O);
  const s = new Float32Array(T * B * N);
  const v = new Float32Array(T * B * N);
  const v1 = new Float32Array(T * B * N);
  const g1 = new Float64Array(N * B);
  const V = new Float64Array(N * B).fill(c.v0);
  const g2 = new Float64Array(O * B);
  const U = new Float64Array(O * B);
  const { synDecay: a, cv, ci, c0, vTh, vReset, outDecay: k } = c;
  const hard = c.reset === "hard";
  for (let t = 0; t < T; t++) {
    const row0 = t * B;
    for (let i = 0; i < N * B; i++) g1[i] = a * (g1[i] as number);
    for (let i = 0; i < O * B; i++) g2[i] = a * (g2[i] as number);
    for (let b = 0; b < B; b++) {
      for (let e = start[row0 + b] as number, end = start[row0 + b + 1] as number; e < end; e++) {
        const wi = (index[e] as number) * N;
        const xv = value[e] as number;
        for (let j = 0; j < N; j++) g1[j * B + b] = (g1[j * B + b] as number) + xv * (w1[wi + j] as number);
      }
    }
    for (let j = 0; j < N; j++) {
      const h = j * B;
      for (let b = 0; b < B; b++) {
        const pre = cv * (V[h + b] as number) + ci * (g1[h + b] as number) + c0;
        const at = (row0 + b) * N + j;
        v1[at] = pre;
        if (pre >= vTh) {
          const post = hard ? vReset : pre - vTh;
          V[h + b] = post;
          v[at] = post;
          s[at] = 1;
          for (let q = 0; q < O; q++) g2[q * B + b] = (g2[q * B + b] as number) + (w2[j * O + q] as number);
        } else {
          V[h + b] = pre;
          v[at] = pre;
        }
      }
    }
    for (let q = 0; q < O; q++) {
      for (let b = 0; b < B; b++) {
        const x1 = k * (U[q * B + b] as number) + (1 - k) * (g2[q * B + b] as number);
        U[q * B + b] = x1;
        u[(row0 + b) * O + q] = x1;
      }
    }
  }
  return { u, s, v, v1 };
}

/**
 * BPTT of {@link spikingChainForward}: given dL/dU `[T, B, O]` (or dL/d(max_t U_t) `[B, O]` when
 * `output` is `"uMax"`), and dL/ds and dL/dV `[T, B, N]` from uses of the spikes or potentials
 * outside the chain (each may be null), returns dL/dW₁ and dL/dW₂.
 * It first runs the forward again for the spikes and pre-reset potentials (this backend keeps no
 * tape); the adjoint states are neuron-major like the forward's.
 */
export function spikingChainBackward(
  sh: SpikingChainShape,
  c: SpikingChainConstants,
  x: Float32Array,
  w1: Float32Array,
  w2: Float32Array,
  output: SpikingChainOutput,
  dOut: Float32Array | null,
  dS: Float32Array | null,
  dV: Float32Array | null,
): { dW1: Float32Array; dW2: Float32Array } {
  const { T, B, nIn, N, O } = sh;
  const { start, index, value } = inputEvents(x, T * B, nIn);
  const dW1 = new Float64Array(nIn * N);
  const dW2 = new Float64Array(N * O);
  const aU = new Float64Array(O * B);
  const aG2 = new Float64Array(O * B);
  const aV = new Float64Array(N * B);
  const aG1 = new Float64Array(N * B);
  const { synDecay: a, cv, ci, vTh, vReset, outDecay: k, detachReset } = c;
  const sigma = SURROGATE_DERIVATIVES[c.surrogate];
  const scale = c.surrogateScale;
  const hard = c.reset === "hard";
  const { s: S, v1: V1, u } = runChain(sh, c, x, w1, w2);
  const dU = output === "uMax" && dOut ? maxCotangent(u, T, dOut) : dOut;
  for (let t = T - 1; t >= 0; t--) {
    const row0 = t * B;
    for (let q = 0; q < O; q++) {
      for (let b = 0; b < B; b++) {
        const i = q * B + b;
        const au = (dU ? (dU[(row0 + b) * O + q] as number) : 0) + k * (aU[i] as number);
        aU[i] = au;
        aG2[i] = (1 - k) * au + a * (aG2[i] as number);
      }
    }
    for (let j = 0; j < N; j++) {
      const h = j * B;
      for (let b = 0; b < B; b++) {
        const at = (row0 + b) * N + j;
        const spike = S[at] as number;
        const pre = V1[at] as number;
        let ds = dS ? (dS[at] as number) : 0;
        for (let q = 0; q < O; q++) {
          const g = aG2[q * B + b] as number;
          ds += g * (w2[j * O + q] as number);
          if (spike) dW2[j * O + q] = (dW2[j * O + q] as number) + g;
        }
        const av = (aV[h + b] as number) + (dV ? (dV[at] as number) : 0);
        if (!detachReset) ds += hard ? (vReset - pre) * av : -vTh * av;
        const dv1 = ds * sigma(pre - vTh, scale) + av * (hard ? 1 - spike : 1);
        aV[h + b] = cv * dv1;
        aG1[h + b] = ci * dv1 + a * (aG1[h + b] as number);
      }
    }
    for (let b = 0; b < B; b++) {
      for (let e = start[row0 + b] as number, end = start[row0 + b + 1] as number; e < end; e++) {
        const wi = (index[e] as number) * N;
        const xv = value[e] as number;
        for (let j = 0; j < N; j++) dW1[wi + j] = (dW1[wi + j] as number) + xv * (aG1[j * B + b] as number);
      }
    }
  }
  return { dW1: Float32Array.from(dW1), dW2: Float32Array.from(dW2) };
}
