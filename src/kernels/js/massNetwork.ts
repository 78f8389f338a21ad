/**
 * The fused neural-mass network kernel: T steps of N nodes (B batch rows) over a connectome with
 * conduction delays, forward and its adjoint (BPTT), in plain loops over Float64Array lanes.
 *
 * One step t, lanes l = b·N + i, channels c, delays d_ij in steps, ring buffer of H = max d + 1
 * past channel values:
 * ```
 * ch_t      = pre(x_t, θ)                                  (the pre program)
 * S_t[c][i] = Σ_j W_ij ch_{t − d_ij}[c][j]                 (delayed weighted sums)
 * x_{t+1}, y_t = step(x_t, S_t, rowSum, u_t, ξ_t, θ)      (the step program: coupling post,
 *                                                          integrator stages, noise, readouts)
 * ```
 * ξ_t are standard normals from `rng.fork()` taken once per step (so a step-by-step run drawing
 * from the same forks sees the same numbers). The adjoint keeps only segment starts (state, ring,
 * random stream) and recomputes each segment backward, so memory grows with T / checkpoint + the
 * segment length, not with T.
 */
import type { Rng } from "../../base/random.ts";
import { type Program, ProgramRunner } from "./massProgram.ts";
import { fillNormals } from "../../base/ziggurat.ts";

/** Sizes of a network run. */
export interface MassShape {
  readonly B: number;
  readonly N: number;
  readonly T: number;
  /** State slots (model variables, then noise processes). */
  readonly ns: number;
  /** Channels sent per node. */
  readonly k: number;
  /** Stimulus inputs per node. */
  readonly m: number;
  /** Standard normals per node and step. */
  readonly nx: number;
  /** Parameter lanes. */
  readonly np: number;
  /** Readouts per node. */
  readonly c: number;
  /** Ring length: the largest delay + 1. */
  readonly H: number;
  /** Readouts are averaged over windows of this many steps. */
  readonly every: number;
}

/**
 * The programs and the connectome. The step program's inputs are
 * `[state (ns), sums (k), rowSum (1), stimulus (m), normals (nx), params (np)]` and its outputs
 * `[next state (ns), readouts (c)]`; the pre program maps `[state (ns), params (np)]` to the k
 * channels.
 */
export interface MassKernel {
  readonly shape: MassShape;
  readonly step: Program;
  readonly pre: Program;
  /** `[N·N]` target-major weights. */
  readonly weights: Float64Array;
  /** `[N·N]` delays in steps (all < H), or null for none. */
  readonly delays: Int32Array | null;
  /** `[N]` row sums of the weights. */
  readonly rowSum: Float64Array;
}

/** Inputs of a run, lane layouts as in {@link MassShape}. */
export interface MassInputs {
  /** `[ns][B][N]` */
  readonly state0: Float64Array;
  /** `[B][H−1][k][N]`: channel values at times −1 … −(H−1). */
  readonly history0: Float64Array;
  /** `[np][B][N]` */
  readonly params: Float64Array;
  /** `[T][B][m][N]`, or null when m = 0. */
  readonly stimulus: ArrayLike<number> | null;
  /** Noise source (required when nx > 0); advanced by T forks. */
  readonly rng: Rng | null;
}

/** What the forward pass returns. */
export interface MassOutputs {
  /** `[T/every][B][c][N]` averaged readouts. */
  readonly observed: Float64Array;
  /** `[ns][B][N]` */
  readonly final: Float64Array;
  /** `[B][H−1][k][N]`: channel values at times T−1 … T−H+1. */
  readonly history: Float64Array;
}

/** Gradients of a run with respect to its inputs. */
export interface MassGradients {
  readonly state0: Float64Array;
  readonly history0: Float64Array;
  readonly params: Float64Array;
  /** `[T][B][m][N]`, or null when m = 0. */
  readonly stimulus: Float64Array | null;
}

interface Snapshot {
  readonly state: Float64Array;
  /** The ring without its copies (see {@link Machine.saveRing}). */
  readonly ring: Float64Array;
  readonly rng: Rng | null;
}

/** Connectome entries with a non-zero weight, grouped by target. */
interface Sparse {
  readonly start: Int32Array;
  readonly source: Int32Array;
  readonly weight: Float64Array;
  readonly delay: Int32Array;
}

function sparse(k: MassKernel): Sparse {
  const { N } = k.shape;
  const start = new Int32Array(N + 1);
  const source: number[] = [];
  const weight: number[] = [];
  const delay: number[] = [];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const w = k.weights[i * N + j] as number;
      if (w === 0) continue;
      source.push(j);
      weight.push(w);
      delay.push(k.delays ? (k.delays[i * N + j] as number) : 0);
    }
    start[i + 1] = source.length;
  }
  return {
    start,
    source: Int32Array.from(source),
    weight: Float64Array.from(weight),
    delay: Int32Array.from(delay),
  };
}

/** A forward pass with its segment snapshots, for {@link massNetworkBackward}. */
export interface MassTape {
  readonly kernel: MassKernel;
  readonly inputs: MassInputs;
  readonly checkpoint: number;
  readonly snapshots: readonly Snapshot[];
  readonly outputs: MassOutputs;
}

const mod = (t: number, H: number) => ((t % H) + H) % H;

/** `dst[l] = src[at + l]` for every lane (no views allocated on the hot path). */
function copyFrom(dst: Float64Array, src: Float64Array, at: number): void {
  for (let l = 0; l < dst.length; l++) dst[l] = src[at + l] as number;
}

/** Ring values read per edge when the delayed sums of several steps are computed together. */
const WIDTH = 8;

/**
 * Shared machinery of both passes: the runners, the ring and one step's pieces.
 *
 * The ring is lane-major and doubled: lane l's channel c at time τ sits at
 * `((l · 2H + p) · k + c)` for both p = τ mod H and p = τ mod H + H. An edge with delay d read at
 * step t then finds its value at p = t mod H + H − d with no wrap-around test, and successive steps
 * read neighbouring addresses of the same source lane, so an edge's cache line serves several
 * steps (a slot-major ring put every edge's read of every step on a fresh line).
 */
class Machine {
  readonly stepRun: ProgramRunner;
  readonly preRun: ProgramRunner;
  readonly L: number;
  readonly sp: Sparse;
  /** Ring of channel values, layout `[L][2H][k]` (see the class comment). */
  readonly ring: Float64Array;
  /** S_t, `[k][L]`: a view of the step program's sum inputs. */
  readonly sums: Float64Array;
  /** ξ_t, `[nx][L]`: a view of the step program's normal inputs. */
  readonly normals: Float64Array;
  /** Per edge, its read position relative to lane 0 at ring phase 0: `(j · 2H + H − d) · k`. */
  readonly back: Int32Array;
  /** Per edge, its delay as a distance in a slot-major `[H][k][L]` array: `d · k · L`. */
  readonly lag: Int32Array;
  /**
   * Steps whose sums are computed together ({@link WIDTH} / k when k is 1 or 2 and every delay is
   * at least that many steps; 1 otherwise; see {@link delayedSums}).
   */
  readonly block: number;
  /** S for steps `blockAt … blockAt + block − 1`, `[block][k][L]`; blockAt −1 when none is held. */
  private readonly blockSums: Float64Array;
  private blockAt = -1;

  constructor(
    readonly kernel: MassKernel,
    readonly inputs: MassInputs,
  ) {
    const { B, N, H, k, nx, ns, m, np } = kernel.shape;
    const L = B * N;
    this.L = L;
    this.stepRun = new ProgramRunner(kernel.step, L);
    this.preRun = new ProgramRunner(kernel.pre, L);
    this.sp = sparse(kernel);
    this.lag = Int32Array.from(this.sp.delay, (d) => d * k * L);
    const shortest = this.sp.delay.reduce((a, d) => Math.min(a, d), Infinity);
    this.block = (k === 1 || k === 2) && shortest >= WIDTH / k ? WIDTH / k : 1;
    this.blockSums = new Float64Array(this.block > 1 ? WIDTH * L : 0);
    this.back = Int32Array.from(this.sp.delay, (d, e) => ((this.sp.source[e] as number) * 2 * H + H - d) * k);
    this.ring = new Float64Array(2 * H * k * L);
    // The step program's inputs are slot-major (slot s at s · L), so its k sum inputs and nx
    // normal inputs are each one contiguous block: the kernel writes them in place.
    const values = this.stepRun.values;
    this.sums = values.subarray(ns * L, (ns + k) * L);
    const nOff = ns + k + 1 + m;
    this.normals = values.subarray(nOff * L, (nOff + nx) * L);
    // Constant inputs: the row sums and the parameters.
    const rowSlot = this.stepRun.inputs[ns + k] as Float64Array;
    for (let b = 0; b < B; b++) rowSlot.set(kernel.rowSum, b * N);
    const sOff = nOff + nx;
    for (let p = 0; p < np; p++) {
      const lanes = inputs.params.subarray(p * L, (p + 1) * L);
      (this.stepRun.inputs[sOff + p] as Float64Array).set(lanes);
      (this.preRun.inputs[ns + p] as Float64Array).set(lanes);
    }
  }

  /** Loads the ring from `history0` (times −1 … −(H−1), ring positions H−1 … 1 and their copies). */
  loadHistory(): void {
    this.blockAt = -1;
    const { B, N, H, k } = this.kernel.shape;
    const h0 = this.inputs.history0;
    const ring = this.ring;
    for (let b = 0; b < B; b++) {
      for (let h = 1; h < H; h++) {
        for (let c = 0; c < k; c++) {
          const src = ((b * (H - 1) + (h - 1)) * k + c) * N;
          let at = (b * N * 2 * H + H - h) * k + c;
          for (let i = 0; i < N; i++, at += 2 * H * k) {
            const v = h0[src + i] as number;
            ring[at] = v;
            ring[at + H * k] = v;
          }
        }
      }
    }
  }

  /** `[B][H−1][k][N]`: the channel values at times T−1 … T−H+1. */
  readHistory(T: number): Float64Array {
    const { B, N, H, k } = this.kernel.shape;
    const out = new Float64Array(B * (H - 1) * k * N);
    const ring = this.ring;
    for (let b = 0; b < B; b++) {
      for (let h = 1; h < H; h++) {
        for (let c = 0; c < k; c++) {
          const dst = ((b * (H - 1) + (h - 1)) * k + c) * N;
          let at = (b * N * 2 * H + mod(T - h, H)) * k + c;
          for (let i = 0; i < N; i++, at += 2 * H * k) out[dst + i] = ring[at] as number;
        }
      }
    }
    return out;
  }

  /** The ring's contents without the copies: `[L][H][k]`. */
  saveRing(): Float64Array {
    const { H, k } = this.kernel.shape;
    const span = H * k;
    const out = new Float64Array(this.L * span);
    for (let l = 0; l < this.L; l++) out.set(this.ring.subarray(2 * l * span, (2 * l + 1) * span), l * span);
    return out;
  }

  /** Restores a ring saved by {@link saveRing} (both copies). */
  restoreRing(saved: Float64Array): void {
    this.blockAt = -1;
    const { H, k } = this.kernel.shape;
    const span = H * k;
    for (let l = 0; l < this.L; l++) {
      const part = saved.subarray(l * span, (l + 1) * span);
      this.ring.set(part, 2 * l * span);
      this.ring.set(part, (2 * l + 1) * span);
    }
  }

  /** Loads x_t (`state` from `at`) into the pre program's inputs. */
  loadPre(state: Float64Array, at: number): void {
    const { ns } = this.kernel.shape;
    for (let s = 0; s < ns; s++) copyFrom(this.preRun.inputs[s] as Float64Array, state, at + s * this.L);
  }

  /** Computes ch_t = pre(x_t) (x_t already in the pre program's inputs) into the ring at time t. */
  channels(t: number): void {
    const { k, H } = this.kernel.shape;
    const L = this.L;
    this.preRun.forward();
    const ring = this.ring;
    const stride = 2 * H * k;
    const far = H * k;
    for (let c = 0; c < k; c++) {
      const ch = this.preRun.outputs[c] as Float64Array;
      let at = (t % H) * k + c;
      for (let l = 0; l < L; l++, at += stride) {
        const v = ch[l] as number;
        ring[at] = v;
        ring[at + far] = v;
      }
    }
  }

  /**
   * S_t from the ring into {@link sums}. When every delay is at least {@link block} steps, the
   * sums of that many steps are computed together at the first of them (their reads all lie at or
   * before it, so the ring already holds them): each edge's index and weight are then loaded once
   * for the block's {@link WIDTH} values, which sit side by side in the ring, and WIDTH
   * independent sums run at once. Each sum still adds its target's edges in source order, so the
   * values are the same as step by step.
   */
  delayedSums(t: number): void {
    if (this.block === 1) {
      this.sumsFrom(t, 1, this.sums);
      return;
    }
    if (this.blockAt < 0 || t < this.blockAt || t >= this.blockAt + this.block) {
      this.sumsFrom(t, this.block, this.blockSums);
      this.blockAt = t;
    }
    const size = this.kernel.shape.k * this.L;
    const from = (t - this.blockAt) * size;
    const sums = this.sums;
    const block = this.blockSums;
    for (let l = 0; l < size; l++) sums[l] = block[from + l] as number;
  }

  /**
   * S for `steps` (1 or {@link block}) steps from t, `[steps][k][L]`, into `out`. Edge e of
   * target i reads step t + q's channel c at `back[e] + (b · N · 2H + t mod H + q) · k + c`: one
   * addition per edge, no wrap-around test (in a block every delay is at least its length, so
   * t + q − d never passes t, and the doubled ring holds the block's reads side by side). Each
   * sum adds its target's edges in source order, whatever the layout or block.
   */
  private sumsFrom(t: number, steps: number, out: Float64Array): void {
    const { B, N, k, H } = this.kernel.shape;
    const { start, weight } = this.sp;
    const back = this.back;
    const L = this.L;
    const ring = this.ring;
    for (let b = 0; b < B; b++) {
      const row = b * N;
      const at = (row * 2 * H + (t % H)) * k;
      for (let i = 0; i < N; i++) {
        const from = start[i] as number;
        const end = start[i + 1] as number;
        const l = row + i;
        if (steps > 1) {
          // WIDTH values per edge: [step q][channel c] at q · k + c, out[(q · k + c) · L + l].
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0,
            s4 = 0,
            s5 = 0,
            s6 = 0,
            s7 = 0;
          for (let e = from; e < end; e++) {
            const o = (back[e] as number) + at;
            const w = weight[e] as number;
            s0 += w * (ring[o] as number);
            s1 += w * (ring[o + 1] as number);
            s2 += w * (ring[o + 2] as number);
            s3 += w * (ring[o + 3] as number);
            s4 += w * (ring[o + 4] as number);
            s5 += w * (ring[o + 5] as number);
            s6 += w * (ring[o + 6] as number);
            s7 += w * (ring[o + 7] as number);
          }
          out[l] = s0;
          out[L + l] = s1;
          out[2 * L + l] = s2;
          out[3 * L + l] = s3;
          out[4 * L + l] = s4;
          out[5 * L + l] = s5;
          out[6 * L + l] = s6;
          out[7 * L + l] = s7;
        } else if (k === 1) {
          let s0 = 0;
          for (let e = from; e < end; e++)
            s0 += (weight[e] as number) * (ring[(back[e] as number) + at] as number);
          out[l] = s0;
        } else if (k === 2) {
          let s0 = 0,
            s1 = 0;
          for (let e = from; e < end; e++) {
            const o = (back[e] as number) + at;
            const w = weight[e] as number;
            s0 += w * (ring[o] as number);
            s1 += w * (ring[o + 1] as number);
          }
          out[l] = s0;
          out[L + l] = s1;
        } else {
          for (let c = 0; c < k; c++) {
            let acc = 0;
            for (let e = from; e < end; e++)
              acc += (weight[e] as number) * (ring[(back[e] as number) + at + c] as number);
            out[c * L + l] = acc;
          }
        }
      }
    }
  }

  /** Loads u_t into the step runner's stimulus inputs. */
  loadStimulus(t: number): void {
    const stim = this.inputs.stimulus;
    if (!stim) return;
    const { B, N, ns, k, m } = this.kernel.shape;
    for (let q = 0; q < m; q++) {
      const lanes = this.stepRun.inputs[ns + k + 1 + q] as Float64Array;
      for (let b = 0; b < B; b++) {
        const src = ((t * B + b) * m + q) * N;
        for (let i = 0; i < N; i++) lanes[b * N + i] = stim[src + i] as number;
      }
    }
  }

  /** Loads x_t, S_t, u_t and ξ_t (each array read from its offset) into the step runner's inputs. */
  loadStep(
    t: number,
    state: Float64Array,
    stateAt: number,
    sums: Float64Array,
    sumsAt: number,
    normals: Float64Array,
    normalsAt: number,
  ): void {
    const { ns, k, nx } = this.kernel.shape;
    const L = this.L;
    const values = this.stepRun.values;
    for (let s = 0; s < ns; s++) copyFrom(this.stepRun.inputs[s] as Float64Array, state, stateAt + s * L);
    values.set(sums.subarray(sumsAt, sumsAt + k * L), ns * L);
    this.loadStimulus(t);
    this.normals.set(normals.subarray(normalsAt, normalsAt + nx * L));
  }

  /** Draws step t's normals into {@link normals} (one fork of the run's stream). */
  draw(rng: Rng | null): void {
    if (this.kernel.shape.nx > 0) fillNormals((rng as Rng).fork(), this.normals);
  }
}

/**
 * Runs the network forward over T steps.
 * @param checkpoint segment length for the backward pass's recomputation
 */
export function massNetworkForward(kernel: MassKernel, inputs: MassInputs, checkpoint: number): MassTape {
  const sh = kernel.shape;
  const { B, N, T, ns, c: nc, every } = sh;
  const M = new Machine(kernel, inputs);
  const L = M.L;
  M.loadHistory();
  const stepRun = M.stepRun;
  // x_t lives in the step program's state inputs (slots 0 … ns−1, one block) and the pre
  // program's; each step's outputs are copied into both.
  const state = stepRun.values.subarray(0, ns * L);
  const preState = M.preRun.values.subarray(0, ns * L);
  state.set(inputs.state0);
  preState.set(inputs.state0);
  const next = Array.from({ length: ns }, (_, s) => stepRun.outputs[s] as Float64Array);
  const readouts = Array.from({ length: nc }, (_, q) => stepRun.outputs[ns + q] as Float64Array);
  const rng = inputs.rng ? inputs.rng : null;
  const observed = new Float64Array((T / every) * B * nc * N);
  const snapshots: Snapshot[] = [];
  const scale = 1 / every;
  for (let t = 0; t < T; t++) {
    if (t % checkpoint === 0) {
      snapshots.push({ state: state.slice(), ring: M.saveRing(), rng: rng ? rng.clone() : null });
    }
    M.channels(t);
    M.delayedSums(t);
    M.draw(rng);
    M.loadStimulus(t);
    stepRun.forward();
    for (let s = 0; s < ns; s++) {
      const x = next[s] as Float64Array;
      state.set(x, s * L);
      preState.set(x, s * L);
    }
    const row = Math.floor(t / every);
    for (let q = 0; q < nc; q++) {
      const y = readouts[q] as Float64Array;
      for (let b = 0; b < B; b++) {
        const dst = ((row * B + b) * nc + q) * N;
        for (let i = 0; i < N; i++)
          observed[dst + i] = (observed[dst + i] as number) + scale * (y[b * N + i] as number);
      }
    }
  }
  const outputs = { observed, final: state.slice(), history: M.readHistory(T) };
  return { kernel, inputs, checkpoint, snapshots, outputs };
}

/**
 * The adjoint of {@link massNetworkForward}: gradients of `Σ gObserved·observed + gFinal·final +
 * gHistory·history` with respect to every input (null cotangents count as zero).
 */
export function massNetworkBackward(
  tape: MassTape,
  gObserved: ArrayLike<number> | null,
  gFinal: ArrayLike<number> | null,
  gHistory: ArrayLike<number> | null,
): MassGradients {
  const { kernel, inputs, checkpoint, snapshots } = tape;
  const sh = kernel.shape;
  const { B, N, T, ns, k, m, np, c: nc, H, every } = sh;
  const M = new Machine(kernel, inputs);
  const L = M.L;
  const { start, weight, source } = M.sp;
  const lag = M.lag;
  const wrap = H * k * L;
  const gParams = new Float64Array(np * L);
  const gStim = m > 0 ? new Float64Array(T * B * m * N) : null;
  const lamX = gFinal ? Float64Array.from(gFinal) : new Float64Array(ns * L);
  /** Adjoints of channel values, slot (τ mod H), layout [k][L]. */
  const lamCh = new Float64Array(H * k * L);
  if (gHistory) {
    for (let b = 0; b < B; b++) {
      for (let h = 1; h < H; h++) {
        const slot = mod(T - h, H);
        for (let c = 0; c < k; c++) {
          const src = ((b * (H - 1) + (h - 1)) * k + c) * N;
          for (let i = 0; i < N; i++)
            lamCh[(slot * k + c) * L + b * N + i] =
              (lamCh[(slot * k + c) * L + b * N + i] as number) + (gHistory[src + i] as number);
        }
      }
    }
  }
  const stepRun = M.stepRun;
  const preRun = M.preRun;
  const pOff = ns + k + 1 + m + sh.nx;
  const scale = 1 / every;

  for (let seg = snapshots.length - 1; seg >= 0; seg--) {
    const snap = snapshots[seg] as Snapshot;
    const t0 = seg * checkpoint;
    const t1 = Math.min(T, t0 + checkpoint);
    const K = t1 - t0;
    // Recompute the segment: states, sums and normals.
    M.restoreRing(snap.ring);
    const rng = snap.rng ? snap.rng.clone() : null;
    const xs = new Float64Array((K + 1) * ns * L);
    xs.set(snap.state, 0);
    const sums = new Float64Array(K * k * L);
    const normals = new Float64Array(K * sh.nx * L);
    for (let t = t0; t < t1; t++) {
      const xAt = (t - t0) * ns * L;
      M.loadPre(xs, xAt);
      M.channels(t);
      M.delayedSums(t);
      sums.set(M.sums, (t - t0) * k * L);
      M.draw(rng);
      normals.set(M.normals, (t - t0) * sh.nx * L);
      for (let s = 0; s < ns; s++) copyFrom(stepRun.inputs[s] as Float64Array, xs, xAt + s * L);
      M.loadStimulus(t);
      stepRun.forward();
      for (let s = 0; s < ns; s++) xs.set(stepRun.outputs[s] as Float64Array, (t - t0 + 1) * ns * L + s * L);
    }
    // Reverse through the segment.
    for (let t = t1 - 1; t >= t0; t--) {
      const xAt = (t - t0) * ns * L;
      M.loadStep(t, xs, xAt, sums, (t - t0) * k * L, normals, (t - t0) * sh.nx * L);
      for (let s = 0; s < ns; s++) stepRun.seed(s, lamX, s * L);
      if (gObserved) {
        const row = Math.floor(t / every);
        for (let q = 0; q < nc; q++) {
          const base = (stepRun.program.outputs[ns + q] as number) * L;
          for (let b = 0; b < B; b++) {
            const src = ((row * B + b) * nc + q) * N;
            for (let i = 0; i < N; i++) {
              stepRun.adjoint[base + b * N + i] =
                (stepRun.adjoint[base + b * N + i] as number) + scale * (gObserved[src + i] as number);
            }
          }
        }
      }
      stepRun.backward();
      for (let s = 0; s < ns; s++) lamX.set(stepRun.inputAdjoints[s] as Float64Array, s * L);
      for (let p = 0; p < np; p++) {
        const g = stepRun.inputAdjoints[pOff + p] as Float64Array;
        for (let l = 0; l < L; l++) gParams[p * L + l] = (gParams[p * L + l] as number) + (g[l] as number);
      }
      if (gStim) {
        for (let q = 0; q < m; q++) {
          const g = stepRun.inputAdjoints[ns + k + 1 + q] as Float64Array;
          for (let b = 0; b < B; b++) {
            const dst = ((t * B + b) * m + q) * N;
            for (let i = 0; i < N; i++) gStim[dst + i] = g[b * N + i] as number;
          }
        }
      }
      // The delayed sums: scatter their adjoints to the channel values they read.
      const now = (t % H) * k * L;
      for (let c = 0; c < k; c++) {
        const gS = stepRun.inputAdjoints[ns + c] as Float64Array;
        for (let b = 0; b < B; b++) {
          const base = c * L + b * N;
          for (let i = 0; i < N; i++) {
            const g = gS[b * N + i] as number;
            if (g === 0) continue;
            const end = start[i + 1] as number;
            for (let e = start[i] as number; e < end; e++) {
              let r = now - (lag[e] as number);
              if (r < 0) r += wrap;
              r += (source[e] as number) + base;
              lamCh[r] = (lamCh[r] as number) + (weight[e] as number) * g;
            }
          }
        }
      }
      stepRun.clearInputAdjoints();
      // ch_t's adjoint is complete: back through the pre program into x_t.
      const slot = mod(t, H);
      M.loadPre(xs, xAt);
      for (let c = 0; c < k; c++) preRun.seed(c, lamCh, (slot * k + c) * L);
      preRun.backward();
      for (let s = 0; s < ns; s++) {
        const g = preRun.inputAdjoints[s] as Float64Array;
        for (let l = 0; l < L; l++) lamX[s * L + l] = (lamX[s * L + l] as number) + (g[l] as number);
      }
      for (let p = 0; p < np; p++) {
        const g = preRun.inputAdjoints[ns + p] as Float64Array;
        for (let l = 0; l < L; l++) gParams[p * L + l] = (gParams[p * L + l] as number) + (g[l] as number);
      }
      preRun.clearInputAdjoints();
      lamCh.fill(0, slot * k * L, (slot + 1) * k * L);
    }
  }
  const gHistory0 = new Float64Array(B * (H - 1) * k * N);
  for (let b = 0; b < B; b++) {
    for (let h = 1; h < H; h++) {
      const slot = mod(-h, H);
      for (let c = 0; c < k; c++) {
        const dst = ((b * (H - 1) + (h - 1)) * k + c) * N;
        gHistory0.set(lamCh.subarray((slot * k + c) * L + b * N, (slot * k + c) * L + (b + 1) * N), dst);
      }
    }
  }
  return { state0: lamX, history0: gHistory0, params: gParams, stimulus: gStim };
}
