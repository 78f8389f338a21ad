// GRU and LSTM layers over T steps, forward and BPTT, for the batch rows [b0, b1) only: rows are
// independent through time, so threads take disjoint row shards and never synchronise per step.
// Equations: `GatedCell` in backend.ts and the JS reference gated.ts. Pointers are byte offsets.
import { NR, madd } from "./microkernel";
import { copyBytes, zeroBytes } from "./bulk";
import { ld, st } from "./lanes";
import { packBytes, rowsTimes, rowsTimesPacked } from "./rows";
import { dot } from "./thin";
import { Gate } from "./vmath";

const GRU = 0;

/** Gate blocks of a cell: 3 (GRU) or 4 (LSTM). */
function gatesOf(cell: i32): i32 {
  return cell == GRU ? 3 : 4;
}

/**
 * Scratch bytes of a forward shard of `rows` rows: packing space for the step product's operand
 * [h_{t-1} | xa_t] (inner size H + Ia), that operand row-major, the [rows, G·H] product and, for
 * the GRU, the [rows, H] input side of n.
 */
export function gatedForwardScratchBytes(rows: i32, H: i32, cell: i32, Ia: i32): i32 {
  const K = H + Ia;
  const gin = cell == GRU ? rows * H : 0;
  return <i32>packBytes(rows, K) + ((rows * K + rows * gatesOf(cell) * H + gin) << 2);
}

/** Scratch bytes of a backward shard: packing space for the rows of the [rows, G·H] gate gradients. */
export function gatedBackwardScratchBytes(rows: i32, H: i32, cell: i32): i32 {
  return <i32>packBytes(rows, gatesOf(cell) * H);
}

/**
 * Forward for rows [b0, b1). `xa` [T, B, Ia] is the input with a column of ones appended. Each
 * step's gate pre-activations are one product [h_{t-1} | xa_t] W with `wP` holding W packed
 * [H + Ia, G·H]: [W_hh; W_ih; b_ih + b_hh] for the LSTM; for the GRU the same with the n block's
 * input rows zero and its bias b_hh_n, so that its n columns are gh_n = h_{t-1} W_hh_n + b_hh_n,
 * and `wiN` holds [W_ih_n; b_ih_n] [Ia, H] (row-major when Ia ≤ FEW, else packed by packB) for
 * n's input side. `hBase` holds [h0; h_0; …; h_{T-1}] and, for the LSTM, `cBase` [c0; c_0; …]
 * (and `tcs` [T, B, H], when ≠ 0, receives tanh(c_t), which the backward then need not recompute)
 * ((T+1) x B x H floats each; the caller writes h0 and c0). `gates` [T, B, 4H] receives per row
 * [r, z, n, gh_n] (GRU) or [i, f, g, o] (LSTM). `scratch` holds
 * gatedForwardScratchBytes(b1 - b0, H, cell, Ia).
 * With a readout (`ys` ≠ 0), ys [T, B, O] receives h_t W_out (+ b_out when `bOut` ≠ 0), `wOutT`
 * holding W_outᵀ [O, H]: each float the `dot` of the thin product `gemmThin`, then the bias added.
 */
export function gatedForward(
  cell: i32,
  T: i32,
  B: i32,
  H: i32,
  b0: i32,
  b1: i32,
  xa: usize,
  Ia: i32,
  wP: usize,
  wiN: usize,
  hBase: usize,
  cBase: usize,
  tcs: usize,
  gates: usize,
  scratch: usize,
  ys: usize,
  O: i32,
  wOutT: usize,
  bOut: usize,
): void {
  const G = gatesOf(cell);
  const GH = G * H;
  const K = H + Ia;
  const rows = b1 - b0;
  const stepBytes = (<usize>(B * H)) << 2;
  const gateRowBytes = (<usize>GH) << 2;
  const hb = (<usize>H) << 2;
  const ib = (<usize>Ia) << 2;
  const kb = (<usize>K) << 2;
  // The operand, the product and n's input side, each addressed like rows b0..b1 of a [B, ·] array.
  const cat = scratch + packBytes(rows, K) - <usize>b0 * kb;
  const pre = cat + <usize>b1 * kb - <usize>b0 * gateRowBytes;
  const gin = pre + <usize>b1 * gateRowBytes - <usize>b0 * hb;
  for (let t = 0; t < T; t++) {
    const hPrev = hBase + <usize>t * stepBytes;
    const h = hPrev + stepBytes;
    const xt = xa + <usize>t * ((<usize>(B * Ia)) << 2);
    for (let r = b0; r < b1; r++) {
      copyBytes(cat + <usize>r * kb, hPrev + <usize>r * hb, hb);
      copyBytes(cat + <usize>r * kb + hb, xt + <usize>r * ib, ib);
    }
    rowsTimesPacked(cat, K, wP, pre, GH, b0, b1, scratch, 0);
    if (cell == GRU) {
      for (let r = b0; r < b1; r++) {
        if (!finiteFloats(xt + <usize>r * ib, Ia))
          ghnOfHidden(cat + <usize>r * kb, H, K, wP, pre + <usize>r * gateRowBytes);
      }
      zeroBytes(gin + <usize>b0 * hb, <usize>rows * hb);
      rowsTimes(xt, Ia, wiN, gin, H, b0, b1, scratch);
    }
    const gt = gates + <usize>t * ((<usize>(B * 4 * H)) << 2);
    for (let r = b0; r < b1; r++) {
      const a = pre + <usize>r * gateRowBytes;
      const c = gin + <usize>r * hb;
      const o = gt + <usize>r * ((<usize>(4 * H)) << 2);
      const row = (<usize>(r * H)) << 2;
      const cPrev = cBase + <usize>t * stepBytes + row;
      const tc = tcs ? tcs + <usize>t * stepBytes + row : 0;
      // Two passes over the row: first the gates that need only the products (GRU r and z, the
      // LSTM's four), into the tape, then what needs them (GRU n and h, LSTM c and h). Within a
      // pass the lanes are independent, so the processor overlaps neighbouring lanes' long exp
      // chains; in one pass each lane waited for a sigmoid and then the tanh that reads it.
      // Whole vectors first, then the last 1-3 lanes (`ld`/`st`), each pass inlined for both so
      // the vector loop carries no per-load tests.
      let j = 0;
      for (; j + 4 <= H; j += 4) Row.gatesAt(cell, a, o, H, j, true);
      for (; j < H; j++) Row.gatesAt(cell, a, o, H, j, false);
      j = 0;
      for (; j + 4 <= H; j += 4)
        Row.stateAt(cell, a, c, o, H, hPrev + row, h + row, cPrev, cPrev + stepBytes, tc, j, true);
      for (; j < H; j++)
        Row.stateAt(cell, a, c, o, H, hPrev + row, h + row, cPrev, cPrev + stepBytes, tc, j, false);
      if (ys) readoutRow(h + row, H, wOutT, bOut, ys + ((<usize>((t * B + r) * O)) << 2), O);
    }
  }
}

/** Whether the n floats at p are all finite (x - x is 0 for them, NaN for ±∞ and NaN). */
function finiteFloats(p: usize, n: i32): bool {
  let ok = true;
  for (let k = 0; k < n; k++) {
    const x = load<f32>(p + ((<usize>k) << 2));
    ok = ok && x - x == 0;
  }
  return ok;
}

/**
 * A GRU row's n columns of the step product, gh_n = h_{t-1} W_hh_n + b_hh_n, again from h alone
 * (`cat`'s first H floats, and W's packed rows 0..H-1 and the bias row K-1) for a row whose input
 * is not finite: the product multiplied it by the n block's zero input rows, 0 · ±∞ = NaN, where
 * gh_n has no input term. Rounding may differ from the product's (a plain sum); values are the
 * reference's up to it.
 */
function ghnOfHidden(cat: usize, H: i32, K: i32, wP: usize, pre: usize): void {
  for (let j = 2 * H; j < 3 * H; j++) {
    const col = wP + ((<usize>((j / NR) * NR * K + (j % NR))) << 2);
    let s: f32 = 0;
    for (let k = 0; k < H; k++)
      s += load<f32>(cat + ((<usize>k) << 2)) * load<f32>(col + ((<usize>(k * NR)) << 2));
    store<f32>(pre + ((<usize>j) << 2), s + load<f32>(col + ((<usize>((K - 1) * NR)) << 2)));
  }
}

/**
 * y ← the layers' gate sigmoid (`kind` 0) or tanh (1) of x ({@link Gate}), for `n` floats at byte
 * offsets `x` and `y`, whole vectors only (the caller pads both to a multiple of four floats): the
 * tests' view of the functions the kernels inline.
 */
export function gateActivate(x: usize, y: usize, n: i32, kind: i32): void {
  for (let o: usize = 0; o < (<usize>n) << 2; o += 16) {
    const v = v128.load(x + o);
    v128.store(y + o, kind == 0 ? Gate.sigmoid(v) : Gate.tanh(v));
  }
}

/** y[0:O] ← h[0:H] W_out (+ b_out when `bOut` ≠ 0), `wOutT` holding W_outᵀ [O, H]. */
function readoutRow(h: usize, H: i32, wOutT: usize, bOut: usize, y: usize, O: i32): void {
  for (let k = 0; k < O; k++) {
    const v = dot(h, wOutT + ((<usize>(k * H)) << 2), H);
    store<f32>(y + ((<usize>k) << 2), bOut ? v + load<f32>(bOut + ((<usize>k) << 2)) : v);
  }
}

/**
 * Lanes [p, p + 4) (or lane p alone) of the row dy[0:O] W_outᵀ, `wOutT` holding W_outᵀ [O, H]:
 * the multiply-add chain over k from zero that the GEMM microkernel runs for the product.
 */
function readoutCotangent(dy: usize, O: i32, wOutT: usize, H: i32, p: usize, full: bool): v128 {
  let v = f32x4.splat(0);
  for (let k = 0; k < O; k++) {
    v = madd(
      f32x4.splat(load<f32>(dy + ((<usize>k) << 2))),
      ld(wOutT + ((<usize>(k * H)) << 2) + p, full),
      v,
    );
  }
  return v;
}

/**
 * BPTT for rows [b0, b1) (layouts as in the forward; `tcs` may be 0, tanh(c_t) then recomputed).
 * `whTP` is W_hhᵀ [G·H, H] packed. The
 * cotangents `dHs`, `dCs` [T, B, H] may be 0 (none). The LSTM's `dGi` [T, B, 4H] receives the
 * gate gradients (its two sides share them); the GRU's `dGh` [T, B, 3H] receives the hidden-side
 * ones and `dGi` [T, B, H] n's input side alone (r's and z's are dgh's floats): the caller forms
 * the weight gradients from them afterwards, as products over all T·B rows
 * (dW_hh = Σ_t h_{t-1}ᵀ dgh, [dW_ih; db_ih] = Σ_t xa_tᵀ dgi), which one step's few rows would
 * give an inner size too small for the microkernel. `g` and `dh0` are [B, H] buffers the
 * gradient ping-pongs between (the last lands in dh0); `dc` [B, H] carries dL/dc (LSTM; ends as
 * dc0). `scratch` holds gatedBackwardScratchBytes(b1 - b0, H, cell).
 * With a readout cotangent (`dYs` [T, B, O] ≠ 0, `dHs` then 0), dL/dh_t from outside is
 * dYs_t W_outᵀ (`wOutT` holding W_outᵀ [O, H]), each float as the GEMM forms that product.
 */
export function gatedBackward(
  cell: i32,
  T: i32,
  B: i32,
  H: i32,
  b0: i32,
  b1: i32,
  whTP: usize,
  hBase: usize,
  cBase: usize,
  tcs: usize,
  gates: usize,
  dHs: usize,
  dCs: usize,
  dGi: usize,
  dGh: usize,
  g: usize,
  dh0: usize,
  dc: usize,
  scratch: usize,
  dYs: usize,
  O: i32,
  wOutT: usize,
): void {
  const G = gatesOf(cell);
  const GH = G * H;
  const stepBytes = (<usize>(B * H)) << 2;
  const gateRowBytes = (<usize>GH) << 2;
  const p0 = (<usize>(b0 * H)) << 2;
  const p1 = (<usize>(b1 * H)) << 2;
  if (cell != GRU) zeroBytes(dc + p0, p1 - p0);
  // Ping-pong so that the last gradient lands in dh0 (see recurrenceBackward).
  let cur = T % 2 == 0 ? dh0 : g;
  let next = T % 2 == 0 ? g : dh0;
  const yRowBytes = (<usize>O) << 2;
  if (dHs) copyBytes(cur + p0, dHs + <usize>(T - 1) * stepBytes + p0, p1 - p0);
  else if (dYs) {
    for (let r = b0; r < b1; r++) {
      const dy = dYs + <usize>((T - 1) * B + r) * yRowBytes;
      for (let j = 0; j < H;) {
        const full = j + 4 <= H;
        const p = (<usize>j) << 2;
        st(cur + ((<usize>(r * H)) << 2) + p, readoutCotangent(dy, O, wOutT, H, p, full), full);
        j += full ? 4 : 1;
      }
    }
  } else zeroBytes(cur + p0, p1 - p0);
  for (let t = T - 1; t >= 0; t--) {
    const hPrev = hBase + <usize>t * stepBytes;
    const gt = gates + <usize>t * ((<usize>(B * 4 * H)) << 2);
    const dgi = dGi + <usize>t * (cell == GRU ? stepBytes : (<usize>(B * GH)) << 2);
    // The LSTM's two sides share one gradient.
    const dgh = cell == GRU ? dGh + <usize>t * ((<usize>(B * GH)) << 2) : dgi;
    const dHsPrev = t > 0 && dHs ? dHs + <usize>(t - 1) * stepBytes : 0;
    for (let r = b0; r < b1; r++) {
      const row = (<usize>(r * H)) << 2;
      const dyPrev = t > 0 && dYs ? dYs + <usize>((t - 1) * B + r) * yRowBytes : 0;
      const o = gt + <usize>r * ((<usize>(4 * H)) << 2);
      const di = dgi + <usize>r * (cell == GRU ? (<usize>H) << 2 : gateRowBytes);
      const dh = dgh + <usize>r * gateRowBytes;
      const cPrev = cBase + <usize>t * stepBytes + row;
      // The LSTM's tanh(c_t): the forward's, or recomputed into the row's slot of `next`.
      const tc = tcs ? tcs + <usize>t * stepBytes + row : next + row;
      if (cell != GRU && !tcs) {
        // tanh(c_t) of the whole row first, into the row's slot of `next`, which the loop below
        // reads lane by lane before overwriting it: a pass of independent tanh chains overlaps
        // well, one tanh amid the loop's long step did not (same operations, same results).
        const ct = cPrev + stepBytes;
        let j = 0;
        for (; j + 4 <= H; j += 4)
          st(next + row + ((<usize>j) << 2), Gate.tanh(v128.load(ct + ((<usize>j) << 2))), true);
        for (; j < H; j++)
          st(next + row + ((<usize>j) << 2), Gate.tanh(ld(ct + ((<usize>j) << 2), false)), false);
      }
      const dcs = dCs ? dCs + <usize>t * stepBytes + row : 0;
      const outer = dHsPrev ? dHsPrev + row : 0;
      const g = cur + row;
      const nx = next + row;
      const hp = hPrev + row;
      const dcr = dc + row;
      // Whole vectors, then the last 1-3 lanes, as in the forward.
      let j = 0;
      for (; j + 4 <= H; j += 4)
        Row.gradAt(cell, H, o, g, nx, tc, hp, cPrev, dcr, dcs, di, dh, outer, dyPrev, O, wOutT, j, true);
      for (; j < H; j++)
        Row.gradAt(cell, H, o, g, nx, tc, hp, cPrev, dcr, dcs, di, dh, outer, dyPrev, O, wOutT, j, false);
    }
    rowsTimesPacked(dgh, GH, whTP, next, H, b0, b1, scratch);
    const swap = cur;
    cur = next;
    next = swap;
  }
}

/**
 * One row's lanes [j, j + 4) (or lane j alone) of the layers' pointwise steps, as static methods marked
 * `@inline` (see vmath.ts' `Inlined`): inlined with `full` a constant, the vector loops carry no per-load tests.
 */
class Row {
  /**
   * Lanes [j, j + 4) (or lane j alone) of a row's first pass: the gates that need only the step
   * product's row `a`, into the tape row `o`: GRU r, z; the LSTM's i, f, g, o.
   */
  @inline static gatesAt(cell: i32, a: usize, o: usize, H: i32, j: i32, full: bool): void {
    const p = (<usize>j) << 2;
    const hb = (<usize>H) << 2;
    st(o + p, Gate.sigmoid(ld(a + p, full)), full);
    st(o + hb + p, Gate.sigmoid(ld(a + hb + p, full)), full);
    if (cell != GRU) {
      st(o + 2 * hb + p, Gate.tanh(ld(a + 2 * hb + p, full)), full);
      st(o + 3 * hb + p, Gate.sigmoid(ld(a + 3 * hb + p, full)), full);
    }
  }

  /**
   * Lanes [j, j + 4) (or lane j alone) of a row's second pass: GRU n from gh_n (the product's n
   * columns) and n's input side `c` [H] (into the tape with gh_n), and h from `hp` into `hOut`;
   * LSTM c from `cp` into `cOut`, and h (and tanh(c) into `tcOut` ≠ 0).
   */
  @inline static stateAt(
    cell: i32,
    a: usize,
    c: usize,
    o: usize,
    H: i32,
    hp: usize,
    hOut: usize,
    cp: usize,
    cOut: usize,
    tcOut: usize,
    j: i32,
    full: bool,
  ): void {
    const p = (<usize>j) << 2;
    const hb = (<usize>H) << 2;
    if (cell == GRU) {
      const rg = ld(o + p, full);
      const z = ld(o + hb + p, full);
      const ghn = ld(a + 2 * hb + p, full);
      const n = Gate.tanh(f32x4.add(ld(c + p, full), f32x4.mul(rg, ghn)));
      const keep = f32x4.sub(f32x4.splat(1), z);
      st(hOut + p, f32x4.add(f32x4.mul(keep, n), f32x4.mul(z, ld(hp + p, full))), full);
      st(o + 2 * hb + p, n, full);
      st(o + 3 * hb + p, ghn, full);
    } else {
      const i = ld(o + p, full);
      const f = ld(o + hb + p, full);
      const g = ld(o + 2 * hb + p, full);
      const og = ld(o + 3 * hb + p, full);
      const cv = f32x4.add(f32x4.mul(f, ld(cp + p, full)), f32x4.mul(i, g));
      st(cOut + p, cv, full);
      const th = Gate.tanh(cv);
      if (tcOut) st(tcOut + p, th, full);
      st(hOut + p, f32x4.mul(og, th), full);
    }
  }

  /**
   * Lanes [j, j + 4) (or lane j alone) of one row of one step of BPTT: from dL/dh_t (`g`) and the
   * tape row `o`, the gate gradients into `di` (input side) and `dh` (hidden side, GRU), the LSTM's
   * dL/dc carried in `dc` (plus `dcs` ≠ 0 from outside), and into `next` the part of dL/dh_{t-1}
   * that does not pass through W_hh: the GRU's g z, plus the cotangent from outside (`outer` ≠ 0, or
   * the readout's from `dy` ≠ 0). The LSTM reads tanh(c_t) at `tcRow` (which may be `next`).
   */
  @inline static gradAt(
    cell: i32,
    H: i32,
    o: usize,
    g: usize,
    next: usize,
    tcRow: usize,
    hp: usize,
    cp: usize,
    dc: usize,
    dcs: usize,
    di: usize,
    dh: usize,
    outer: usize,
    dy: usize,
    O: i32,
    wOutT: usize,
    j: i32,
    full: bool,
  ): void {
    const p = (<usize>j) << 2;
    const hb = (<usize>H) << 2;
    const gv = ld(g + p, full);
    const one = f32x4.splat(1);
    let carried = f32x4.splat(0);
    if (cell == GRU) {
      const rg = ld(o + p, full);
      const z = ld(o + hb + p, full);
      const n = ld(o + 2 * hb + p, full);
      const ghn = ld(o + 3 * hb + p, full);
      const dan = f32x4.mul(f32x4.mul(gv, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dar = f32x4.mul(f32x4.mul(dan, ghn), f32x4.mul(rg, f32x4.sub(one, rg)));
      const daz = f32x4.mul(f32x4.mul(gv, f32x4.sub(ld(hp + p, full), n)), f32x4.mul(z, f32x4.sub(one, z)));
      st(di + p, dan, full);
      st(dh + p, dar, full);
      st(dh + hb + p, daz, full);
      st(dh + 2 * hb + p, f32x4.mul(dan, rg), full);
      carried = f32x4.mul(gv, z);
    } else {
      const i = ld(o + p, full);
      const f = ld(o + hb + p, full);
      const gg = ld(o + 2 * hb + p, full);
      const og = ld(o + 3 * hb + p, full);
      const tc = ld(tcRow + p, full);
      let dct = f32x4.add(ld(dc + p, full), f32x4.mul(f32x4.mul(gv, og), f32x4.sub(one, f32x4.mul(tc, tc))));
      if (dcs) dct = f32x4.add(dct, ld(dcs + p, full));
      st(di + p, f32x4.mul(f32x4.mul(dct, gg), f32x4.mul(i, f32x4.sub(one, i))), full);
      st(di + hb + p, f32x4.mul(f32x4.mul(dct, ld(cp + p, full)), f32x4.mul(f, f32x4.sub(one, f))), full);
      st(di + 2 * hb + p, f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(gg, gg))), full);
      st(di + 3 * hb + p, f32x4.mul(f32x4.mul(gv, tc), f32x4.mul(og, f32x4.sub(one, og))), full);
      st(dc + p, f32x4.mul(dct, f), full);
    }
    if (outer) carried = f32x4.add(carried, ld(outer + p, full));
    else if (dy) carried = f32x4.add(carried, readoutCotangent(dy, O, wOutT, H, p, full));
    st(next + p, carried, full);
  }
}
