/**
 * FORCE learning (Sussillo & Abbott 2009): recursive least squares on a linear readout, online,
 * one time step at a time. With features r `[F]`, readout W `[F, O]` and target y:
 *
 * ```
 * e = Wᵀ r − y                     (error before the update)
 * k = P r / (1 + rᵀ P r)
 * P ← P − k rᵀ P
 * W ← W − k eᵀ
 * ```
 * with P initialised to I / α.
 */
import { ShapeError, ValueError } from "../base/errors.ts";
import { Tensor } from "../core/tensor.ts";

export interface ForceOptions {
  readonly nFeatures: number;
  readonly nOutputs: number;
  /** Regularisation: P starts at I / alpha (default 1). */
  readonly alpha?: number;
  /** Initial readout `[F, O]` (default zeros). */
  readonly weights?: Float64Array;
}

export class ForceTrainer {
  readonly weights: Float64Array;
  private readonly P: Float64Array;
  private readonly Pr: Float64Array;
  private readonly F: number;
  private readonly O: number;
  /** Number of updates so far. */
  steps = 0;

  constructor(options: ForceOptions) {
    const { nFeatures: F, nOutputs: O } = options;
    const alpha = options.alpha ?? 1;
    if (!Number.isInteger(F) || F < 1 || !Number.isInteger(O) || O < 1) {
      throw new ValueError(
        `ForceTrainer: nFeatures and nOutputs must be positive integers, got ${F} and ${O}`,
      );
    }
    if (!(alpha > 0)) throw new ValueError(`ForceTrainer: alpha must be > 0, got ${alpha}`);
    if (options.weights && options.weights.length !== F * O) {
      throw new ShapeError(
        `ForceTrainer: weights must have nFeatures*nOutputs = ${F * O} elements, got ${options.weights.length}`,
      );
    }
    this.F = F;
    this.O = O;
    this.weights = options.weights ? Float64Array.from(options.weights) : new Float64Array(F * O);
    this.P = new Float64Array(F * F);
    for (let i = 0; i < F; i++) this.P[i * F + i] = 1 / alpha;
    this.Pr = new Float64Array(F);
  }

  /** The readout's output `Wᵀ r` for features r `[F]`. */
  predict(r: ArrayLike<number>): Float64Array {
    const { F, O, weights } = this;
    const out = new Float64Array(O);
    for (let a = 0; a < F; a++) {
      const ra = r[a] as number;
      for (let o = 0; o < O; o++) out[o] = (out[o] as number) + ra * (weights[a * O + o] as number);
    }
    return out;
  }

  /** One RLS update towards `target` `[O]`; returns the error before the update. */
  step(r: ArrayLike<number>, target: ArrayLike<number>): Float64Array {
    const { F, O, P, Pr, weights } = this;
    if (r.length !== F || target.length !== O) {
      throw new ShapeError(
        `ForceTrainer.step: need r of length ${F} and target of length ${O}, got ${r.length} and ${target.length}`,
      );
    }
    const e = this.predict(r);
    for (let o = 0; o < O; o++) e[o] = (e[o] as number) - (target[o] as number);
    let rPr = 0;
    for (let a = 0; a < F; a++) {
      let s = 0;
      for (let b = 0; b < F; b++) s += (P[a * F + b] as number) * (r[b] as number);
      Pr[a] = s;
      rPr += (r[a] as number) * s;
    }
    const c = 1 / (1 + rPr);
    // P is symmetric, so rᵀP = (P r)ᵀ and the update is a rank-one downdate.
    for (let a = 0; a < F; a++) {
      const ka = (Pr[a] as number) * c;
      for (let b = 0; b < F; b++) P[a * F + b] = (P[a * F + b] as number) - ka * (Pr[b] as number);
      for (let o = 0; o < O; o++) weights[a * O + o] = (weights[a * O + o] as number) - ka * (e[o] as number);
    }
    this.steps++;
    return e;
  }

  /** The readout as a tensor `[F, O]` (float64). */
  readout(): Tensor {
    return new Tensor([this.F, this.O], Float64Array.from(this.weights));
  }
}
