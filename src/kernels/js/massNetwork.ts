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

/** Shared machinery of both passes: the runners, the ring and one step's pieces. */
class Machine {
  readonly stepRun: ProgramRunner;
  readonly preRun: ProgramRunner;
  readonly L: number;
  readonly sp: Sparse;
  /** Ring of channel values: slot (τ mod H), layout `[k][L]`. */
  readonly ring: Float64Array;
  readonly sums: Float64Array;
  readonly normals: Float64Array;
  /** Per edge, its delay as a distance in the ring: `d · k · L`. */
  readonly lag: Int32Array;

  constructor(
    readonly kernel: MassKernel,
    readonly inputs: MassInputs,
  ) {
    const { B, N, H, k, nx } = kernel.shape;
    this.L = B * N;
    this.stepRun = new ProgramRunner(kernel.step, this.L);
    this.preRun = new ProgramRunner(kernel.pre, this.L);
    this.sp = sparse(kernel);
    this.lag = Int32Array.from(this.sp.delay, (d) => d * k * this.L);
    this.ring = new Float64Array(H * k * this.L);
    this.sums = new Float64Array(k * this.L);
    this.normals = new Float64Array(nx * this.L);
    const { ns, np } = kernel.shape;
    // Constant inputs: the row sums and the parameters.
    const rowSlot = this.stepRun.inputs[ns + k] as Float64Array;
    for (let b = 0; b < B; b++) rowSlot.set(kernel.rowSum, b * N);
    const sOff = ns + k + 1 + kernel.shape.m + nx;
    for (let p = 0; p < np; p++) {
      const lanes = inputs.params.subarray(p * this.L, (p + 1) * this.L);
      (this.stepRun.inputs[sOff + p] as Float64Array).set(lanes);
      (this.preRun.inputs[ns + p] as Float64Array).set(lanes);
    }
  }

  /** Loads the ring from `history0` (times −1 … −(H−1)). */
  loadHistory(): void {
    const { B, N, H, k } = this.kernel.shape;
    for (let b = 0; b < B; b++) {
      for (let h = 1; h < H; h++) {
        const slot = mod(-h, H);
        for (let c = 0; c < k; c++) {
          const src = ((b * (H - 1) + (h - 1)) * k + c) * N;
          this.ring.set(this.inputs.history0.subarray(src, src + N), (slot * k + c) * this.L + b * N);
        }
      }
    }
  }

  /** Loads x_t (`state` from `at`) into the pre program's inputs. */
  loadPre(state: Float64Array, at: number): void {
    const { ns } = this.kernel.shape;
    for (let s = 0; s < ns; s++) copyFrom(this.preRun.inputs[s] as Float64Array, state, at + s * this.L);
  }

  /** Computes ch_t = pre(x_t) (`state` from `at`) into ring slot t. */
  channels(t: number, state: Float64Array, at: number): void {
    const { k, H } = this.kernel.shape;
    const L = this.L;
    this.loadPre(state, at);
    this.preRun.forward();
    const slot = t % H;
    for (let c = 0; c < k; c++) this.ring.set(this.preRun.outputs[c] as Float64Array, (slot * k + c) * L);
  }

  /** S_t from the ring (after {@link channels} for step t). */
  /**
   * S_t from the ring (after {@link channels} for step t). Edge e (source j, delay d) reads ring
   * slot (t − d) mod H at `((t − d) mod H) · k · L + c · L + b · N + j`, computed in the loop
   * (a separate pass writing every edge's offset cost more than the sums themselves).
   */
  delayedSums(t: number): void {
    const { B, N, k, H } = this.kernel.shape;
    const { start, weight, source } = this.sp;
    const lag = this.lag;
    const L = this.L;
    const ring = this.ring;
    const sums = this.sums;
    const wrap = H * k * L;
    const now = (t % H) * k * L;
    for (let b = 0; b < B; b++) {
      const row = b * N;
      for (let i = 0; i < N; i++) {
        const end = start[i + 1] as number;
        if (k === 1) {
          let a0 = 0;
          for (let e = start[i] as number; e < end; e++) {
            let o = now - (lag[e] as number);
            if (o < 0) o += wrap;
            a0 += (weight[e] as number) * (ring[o + (source[e] as number) + row] as number);
          }
          sums[row + i] = a0;
        } else if (k === 2) {
          let a0 = 0;
          let a1 = 0;
          for (let e = start[i] as number; e < end; e++) {
            let o = now - (lag[e] as number);
            if (o < 0) o += wrap;
            o += (source[e] as number) + row;
            const w = weight[e] as number;
            a0 += w * (ring[o] as number);
            a1 += w * (ring[o + L] as number);
          }
          sums[row + i] = a0;
          sums[L + row + i] = a1;
        } else {
          for (let c = 0; c < k; c++) {
            let acc = 0;
            for (let e = start[i] as number; e < end; e++) {
              let o = now - (lag[e] as number);
              if (o < 0) o += wrap;
              acc += (weight[e] as number) * (ring[o + (source[e] as number) + c * L + row] as number);
            }
            sums[c * L + row + i] = acc;
          }
        }
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
    const { B, N, ns, k, m, nx } = this.kernel.shape;
    const L = this.L;
    const run = this.stepRun;
    for (let s = 0; s < ns; s++) copyFrom(run.inputs[s] as Float64Array, state, stateAt + s * L);
    for (let c = 0; c < k; c++) copyFrom(run.inputs[ns + c] as Float64Array, sums, sumsAt + c * L);
    const stim = this.inputs.stimulus;
    if (stim) {
      for (let q = 0; q < m; q++) {
        const lanes = run.inputs[ns + k + 1 + q] as Float64Array;
        for (let b = 0; b < B; b++) {
          const src = ((t * B + b) * m + q) * N;
          for (let i = 0; i < N; i++) lanes[b * N + i] = stim[src + i] as number;
        }
      }
    }
    for (let q = 0; q < nx; q++)
      copyFrom(run.inputs[ns + k + 1 + m + q] as Float64Array, normals, normalsAt + q * L);
  }

  /** Draws step t's normals (one fork of the run's stream). */
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
  const { B, N, T, ns, k, c: nc, H, every } = sh;
  const M = new Machine(kernel, inputs);
  const L = M.L;
  M.loadHistory();
  const state = Float64Array.from(inputs.state0);
  const rng = inputs.rng ? inputs.rng : null;
  const observed = new Float64Array((T / every) * B * nc * N);
  const snapshots: Snapshot[] = [];
  const scale = 1 / every;
  for (let t = 0; t < T; t++) {
    if (t % checkpoint === 0) {
      snapshots.push({ state: state.slice(), ring: M.ring.slice(), rng: rng ? rng.clone() : null });
    }
    M.channels(t, state, 0);
    M.delayedSums(t);
    M.draw(rng);
    M.loadStep(t, state, 0, M.sums, 0, M.normals, 0);
    M.stepRun.forward();
    for (let s = 0; s < ns; s++) state.set(M.stepRun.outputs[s] as Float64Array, s * L);
    const row = Math.floor(t / every);
    for (let q = 0; q < nc; q++) {
      const y = M.stepRun.outputs[ns + q] as Float64Array;
      for (let b = 0; b < B; b++) {
        const dst = ((row * B + b) * nc + q) * N;
        for (let i = 0; i < N; i++)
          observed[dst + i] = (observed[dst + i] as number) + scale * (y[b * N + i] as number);
      }
    }
  }
  const history = new Float64Array(B * (H - 1) * k * N);
  for (let b = 0; b < B; b++) {
    for (let h = 1; h < H; h++) {
      const slot = mod(T - h, H);
      for (let c = 0; c < k; c++) {
        const dst = ((b * (H - 1) + (h - 1)) * k + c) * N;
        history.set(M.ring.subarray((slot * k + c) * L + b * N, (slot * k + c) * L + (b + 1) * N), dst);
      }
    }
  }
  return { kernel, inputs, checkpoint, snapshots, outputs: { observed, final: state, history } };
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
    M.ring.set(snap.ring);
    const rng = snap.rng ? snap.rng.clone() : null;
    const xs = new Float64Array((K + 1) * ns * L);
    xs.set(snap.state, 0);
    const sums = new Float64Array(K * k * L);
    const normals = new Float64Array(K * sh.nx * L);
    for (let t = t0; t < t1; t++) {
      const xAt = (t - t0) * ns * L;
      M.channels(t, xs, xAt);
      M.delayedSums(t);
      sums.set(M.sums, (t - t0) * k * L);
      M.draw(rng);
      normals.set(M.normals, (t - t0) * sh.nx * L);
      M.loadStep(t, xs, xAt, M.sums, 0, M.normals, 0);
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
