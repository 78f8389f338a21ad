/**
 * Reference GRU and LSTM sequence kernels (forward over T steps and BPTT) in plain TypeScript,
 * generic over float32 / float64 so the tests can check them against finite differences. Equations
 * in `GatedCell` (backend.ts).
 */
import {
  GATES,
  type GatedBackwardArgs,
  type GatedBackwardResult,
  type GatedForwardArgs,
  type GatedForwardResult,
} from "../backend.ts";
import { gemmRef, type FloatArray } from "./gemm.ts";
import { columnSums } from "./layer.ts";
import { allocLike } from "./recurrence.ts";

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Rows `t` of a `[T, rows, n]` array. */
function step<A extends FloatArray>(x: A, t: number, size: number): A {
  return x.subarray(t * size, (t + 1) * size) as A;
}

/** `[B, N]` ← `x` `[B, K]` times `w` `[K, N]` plus the row vector `b`. */
function affine<A extends FloatArray>(x: A, w: A, b: A, B: number, K: number, N: number): A {
  const out = allocLike(w, B * N);
  for (let r = 0; r < B; r++) out.set(b, r * N);
  gemmRef(false, false, B, N, K, 1, x, w, 1, out);
  return out;
}

/** Forward: the states and the gates BPTT reads (see `GatedForwardResult`). */
export function gatedForwardRef<A extends FloatArray>(a: GatedForwardArgs<A>): GatedForwardResult<A> {
  const { T, B, I, H, cell } = a;
  const G = GATES[cell];
  const hs = a.hsInto ?? allocLike(a.h0, T * B * H);
  const cs = cell === "lstm" ? (a.csInto ?? allocLike(a.h0, T * B * H)) : null;
  const gates = a.gatesInto ?? allocLike(a.h0, T * B * 4 * H);
  let h = a.h0;
  let c = a.c0 ?? a.h0;
  for (let t = 0; t < T; t++) {
    const gi = affine(step(a.x, t, B * I), a.wIh, a.bIh, B, I, G * H);
    const gh = affine(h, a.wHh, a.bHh, B, H, G * H);
    const hNext = step(hs, t, B * H);
    const cNext = cs ? step(cs, t, B * H) : hNext;
    const gt = step(gates, t, B * 4 * H);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const [row, at, out] = [b * G * H + j, b * H + j, b * 4 * H + j];
        if (cell === "gru") {
          const r = sigmoid(gi[row]! + gh[row]!);
          const z = sigmoid(gi[row + H]! + gh[row + H]!);
          const ghn = gh[row + 2 * H]!;
          const n = Math.tanh(gi[row + 2 * H]! + r * ghn);
          hNext[at] = (1 - z) * n + z * h[at]!;
          [gt[out], gt[out + H], gt[out + 2 * H], gt[out + 3 * H]] = [r, z, n, ghn];
        } else {
          const pre = (k: number) => gi[row + k * H]! + gh[row + k * H]!;
          const [i, f, g, o] = [sigmoid(pre(0)), sigmoid(pre(1)), Math.tanh(pre(2)), sigmoid(pre(3))];
          const cn = f * c[at]! + i * g;
          cNext[at] = cn;
          hNext[at] = o * Math.tanh(cn);
          [gt[out], gt[out + H], gt[out + 2 * H], gt[out + 3 * H]] = [i, f, g, o];
        }
      }
    }
    h = hNext;
    c = cNext;
  }
  return { hs, cs, gates };
}

/**
 * BPTT. With `g = dL/dh_t` (total) per step, the gate pre-activation gradients `da` `[B, G·H]`:
 * GRU: `dn = g (1 − z)`, `da_n = dn (1 − n²)`, `da_r = da_n gh_n r (1 − r)`,
 * `da_z = g (h_{t-1} − n) z (1 − z)`; the `gh` side gets `[da_r, da_z, da_n r]`, the `gi` side
 * `[da_r, da_z, da_n]`; `dh_{t-1} = g z + dgh W_hhᵀ`.
 * LSTM: with `dc = dL/dc_t` (total), `tc = tanh(c_t)`, `dc += g o (1 − tc²)`,
 * `da = [dc g i(1 − i), dc c_{t-1} f(1 − f), dc i (1 − g²), g tc o(1 − o)]`,
 * `dc_{t-1} = dc f`, `dh_{t-1} = da W_hhᵀ`. Weight gradients: `dW_ih = Σ x_tᵀ dgi`,
 * `dW_hh = Σ h_{t-1}ᵀ dgh`, biases the column sums.
 */
export function gatedBackwardRef<A extends FloatArray>(a: GatedBackwardArgs<A>): GatedBackwardResult<A> {
  const { T, B, I, H, cell } = a;
  const G = GATES[cell];
  const GH = G * H;
  const dGi = allocLike(a.h0, T * B * GH);
  const dGh = allocLike(a.h0, T * B * GH);
  const hPrevAll = allocLike(a.h0, T * B * H);
  hPrevAll.set(a.h0);
  hPrevAll.set(a.hs.subarray(0, (T - 1) * B * H), B * H);
  let g = allocLike(a.h0, B * H);
  let dc = allocLike(a.h0, B * H);
  for (let t = T - 1; t >= 0; t--) {
    if (a.dHs) for (let i = 0; i < B * H; i++) g[i]! += a.dHs[t * B * H + i]!;
    if (a.dCs) for (let i = 0; i < B * H; i++) dc[i]! += a.dCs[t * B * H + i]!;
    const hPrev = step(hPrevAll, t, B * H);
    const gt = step(a.gates, t, B * 4 * H);
    const dgi = step(dGi, t, B * GH);
    const dgh = step(dGh, t, B * GH);
    const gPrev = allocLike(a.h0, B * H);
    const dcPrev = allocLike(a.h0, B * H);
    const cPrev = cell === "lstm" ? (t > 0 ? step(a.cs!, t - 1, B * H) : a.c0!) : null;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const [row, at, gate] = [b * GH + j, b * H + j, b * 4 * H + j];
        const [p, q, s, w] = [gt[gate]!, gt[gate + H]!, gt[gate + 2 * H]!, gt[gate + 3 * H]!];
        if (cell === "gru") {
          const [r, z, n, ghn] = [p, q, s, w];
          const dan = g[at]! * (1 - z) * (1 - n * n);
          const dar = dan * ghn * r * (1 - r);
          const daz = g[at]! * (hPrev[at]! - n) * z * (1 - z);
          [dgi[row], dgi[row + H], dgi[row + 2 * H]] = [dar, daz, dan];
          [dgh[row], dgh[row + H], dgh[row + 2 * H]] = [dar, daz, dan * r];
          gPrev[at] = g[at]! * z;
        } else {
          const [i, f, gg, o] = [p, q, s, w];
          const tc = Math.tanh(a.cs![t * B * H + at]!);
          const dct = dc[at]! + g[at]! * o * (1 - tc * tc);
          const da = [
            dct * gg * i * (1 - i),
            dct * cPrev![at]! * f * (1 - f),
            dct * i * (1 - gg * gg),
            g[at]! * tc * o * (1 - o),
          ];
          for (let k = 0; k < 4; k++) dgi[row + k * H] = dgh[row + k * H] = da[k]!;
          dcPrev[at] = dct * f;
        }
      }
    }
    gemmRef(false, true, B, H, GH, 1, dgh, a.wHh, 1, gPrev);
    g = gPrev;
    dc = dcPrev;
  }
  const rows = T * B;
  const dWIh = allocLike(a.h0, I * GH);
  gemmRef(true, false, I, GH, rows, 1, a.x, dGi, 0, dWIh);
  const dWHh = allocLike(a.h0, H * GH);
  gemmRef(true, false, H, GH, rows, 1, hPrevAll, dGh, 0, dWHh);
  let dX: A | null = null;
  if (!a.skipDx) {
    dX = allocLike(a.h0, rows * I);
    gemmRef(false, true, rows, I, GH, 1, dGi, a.wIh, 0, dX);
  }
  return {
    dX,
    dWIh,
    dWHh,
    dBIh: columnSums(dGi, rows, GH),
    dBHh: columnSums(dGh, rows, GH),
    dh0: g,
    dc0: cell === "lstm" ? dc : null,
  };
}
