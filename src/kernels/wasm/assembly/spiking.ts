// The fused spiking chain (synapse → LIF → synapse → leaky readout), forward and BPTT, for the
// batch rows [b0, b1) only: rows are independent through time, so threads take disjoint row shards.
// Equations: see spiking.ts in the JS reference. Pointers are byte offsets; states are f64 and
// neuron-major ([N, rows]) in the shard's scratch, so inner loops run over the batch.
import { zeroBytes } from "./bulk";

function f32At(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + ((<usize>i) << 2));
}
function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
function setF64(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}
function setF32(p: usize, i: i32, v: f64): void {
  store<f32>(p + ((<usize>i) << 2), <f32>v);
}
function i32At(p: usize, i: i32): i32 {
  return load<i32>(p + ((<usize>i) << 2));
}

/** σ'(x) with scale k: 0 sigmoid, 1 fast sigmoid, 2 arctan, 3 triangle, 4 Gaussian. */
function surrogate(kind: i32, x: f64, k: f64): f64 {
  if (kind == 1) {
    const d = k * Math.abs(x) + 1;
    return 1 / (d * d);
  }
  if (kind == 0) {
    const s = 1 / (1 + Math.exp(-k * x));
    return k * s * (1 - s);
  }
  if (kind == 2) {
    const y = (Math.PI * k * x) / 2;
    return k / 2 / (1 + y * y);
  }
  if (kind == 3) return k * Math.max(0, 1 - k * Math.abs(x));
  return (k / Math.sqrt(2 * Math.PI)) * Math.exp(-(k * x * (k * x)) / 2);
}

/** Scratch bytes of a forward shard of `rows` batch rows. */
export function spikingForwardScratchBytes(rows: i32, N: i32, O: i32): i32 {
  return (2 * N + 2 * O) * rows * 8;
}

/** Scratch bytes of a backward shard: the adjoint states plus private dW1 [nIn, N] and dW2 [N, O]. */
export function spikingBackwardScratchBytes(rows: i32, nIn: i32, N: i32, O: i32): i32 {
  return ((2 * N + 2 * O) * rows + nIn * N + N * O) * 8;
}

/**
 * Forward for rows [b0, b1). Events: `start` [T·B + 1] i32, `index` i32 and `value` f32 list the
 * non-zero inputs of each (t, b). Writes u [T, B, O] and s, v, v1 [T, B, N] (f32).
 */
export function spikingForward(
  T: i32,
  B: i32,
  N: i32,
  O: i32,
  b0: i32,
  b1: i32,
  start: usize,
  index: usize,
  value: usize,
  w1: usize,
  w2: usize,
  u: usize,
  s: usize,
  v: usize,
  v1: usize,
  synDecay: f64,
  cv: f64,
  ci: f64,
  c0: f64,
  vTh: f64,
  vReset: f64,
  v0: f64,
  hard: i32,
  outDecay: f64,
  scratch: usize,
): void {
  const R = b1 - b0;
  const g1 = scratch;
  const V = g1 + ((<usize>(N * R)) << 3);
  const g2 = V + ((<usize>(N * R)) << 3);
  const U = g2 + ((<usize>(O * R)) << 3);
  zeroBytes(g1, (<usize>(N * R)) << 3);
  for (let i = 0; i < N * R; i++) setF64(V, i, v0);
  zeroBytes(g2, (<usize>(2 * O * R)) << 3);
  for (let t = 0; t < T; t++) {
    const row0 = t * B;
    for (let i = 0; i < N * R; i++) setF64(g1, i, synDecay * f64At(g1, i));
    for (let i = 0; i < O * R; i++) setF64(g2, i, synDecay * f64At(g2, i));
    for (let r = 0; r < R; r++) {
      const end = i32At(start, row0 + b0 + r + 1);
      for (let e = i32At(start, row0 + b0 + r); e < end; e++) {
        const wi = i32At(index, e) * N;
        const xv = f32At(value, e);
        for (let j = 0; j < N; j++) setF64(g1, j * R + r, f64At(g1, j * R + r) + xv * f32At(w1, wi + j));
      }
    }
    for (let j = 0; j < N; j++) {
      for (let r = 0; r < R; r++) {
        const pre = cv * f64At(V, j * R + r) + ci * f64At(g1, j * R + r) + c0;
        const at = (row0 + b0 + r) * N + j;
        setF32(v1, at, pre);
        if (pre >= vTh) {
          const post = hard ? vReset : pre - vTh;
          setF64(V, j * R + r, post);
          setF32(v, at, post);
          setF32(s, at, 1);
          for (let q = 0; q < O; q++) setF64(g2, q * R + r, f64At(g2, q * R + r) + f32At(w2, j * O + q));
        } else {
          setF64(V, j * R + r, pre);
          setF32(v, at, pre);
          setF32(s, at, 0);
        }
      }
    }
    for (let q = 0; q < O; q++) {
      for (let r = 0; r < R; r++) {
        const x = outDecay * f64At(U, q * R + r) + (1 - outDecay) * f64At(g2, q * R + r);
        setF64(U, q * R + r, x);
        setF32(u, (row0 + b0 + r) * O + q, x);
      }
    }
  }
}

/**
 * BPTT for rows [b0, b1). dU [T, B, O], dS and dV [T, B, N] are f32 (a zero pointer means none).
 * The shard's dW1 [nIn, N] and dW2 [N, O] (f64) are written at the end of its scratch; the caller
 * adds the shards' parts.
 */
export function spikingBackward(
  T: i32,
  B: i32,
  nIn: i32,
  N: i32,
  O: i32,
  b0: i32,
  b1: i32,
  start: usize,
  index: usize,
  value: usize,
  w2: usize,
  s: usize,
  v1: usize,
  dU: usize,
  dS: usize,
  dV: usize,
  synDecay: f64,
  cv: f64,
  ci: f64,
  vTh: f64,
  vReset: f64,
  hard: i32,
  detach: i32,
  outDecay: f64,
  kind: i32,
  scale: f64,
  scratch: usize,
): void {
  const R = b1 - b0;
  const aU = scratch;
  const aG2 = aU + ((<usize>(O * R)) << 3);
  const aV = aG2 + ((<usize>(O * R)) << 3);
  const aG1 = aV + ((<usize>(N * R)) << 3);
  const dW1 = aG1 + ((<usize>(N * R)) << 3);
  const dW2 = dW1 + ((<usize>(nIn * N)) << 3);
  zeroBytes(scratch, <usize>spikingBackwardScratchBytes(R, nIn, N, O));
  for (let t = T - 1; t >= 0; t--) {
    const row0 = t * B;
    for (let q = 0; q < O; q++) {
      for (let r = 0; r < R; r++) {
        const i = q * R + r;
        const au = (dU ? f32At(dU, (row0 + b0 + r) * O + q) : 0) + outDecay * f64At(aU, i);
        setF64(aU, i, au);
        setF64(aG2, i, (1 - outDecay) * au + synDecay * f64At(aG2, i));
      }
    }
    for (let j = 0; j < N; j++) {
      for (let r = 0; r < R; r++) {
        const at = (row0 + b0 + r) * N + j;
        const spike = f32At(s, at);
        const pre = f32At(v1, at);
        let ds = dS ? f32At(dS, at) : 0;
        for (let q = 0; q < O; q++) {
          const g = f64At(aG2, q * R + r);
          ds += g * f32At(w2, j * O + q);
          if (spike != 0) setF64(dW2, j * O + q, f64At(dW2, j * O + q) + g);
        }
        const av = f64At(aV, j * R + r) + (dV ? f32At(dV, at) : 0);
        if (!detach) ds += hard ? (vReset - pre) * av : -vTh * av;
        const dv1 = ds * surrogate(kind, pre - vTh, scale) + av * (hard ? 1 - spike : 1);
        setF64(aV, j * R + r, cv * dv1);
        setF64(aG1, j * R + r, ci * dv1 + synDecay * f64At(aG1, j * R + r));
      }
    }
    for (let r = 0; r < R; r++) {
      const end = i32At(start, row0 + b0 + r + 1);
      for (let e = i32At(start, row0 + b0 + r); e < end; e++) {
        const wi = i32At(index, e) * N;
        const xv = f32At(value, e);
        for (let j = 0; j < N; j++) setF64(dW1, wi + j, f64At(dW1, wi + j) + xv * f64At(aG1, j * R + r));
      }
    }
  }
}
