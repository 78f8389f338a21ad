/**
 * Ridge regression for readouts (NG-RC, echo-state networks): `W = (XᵀX + αI)⁻¹ XᵀY`, solved in
 * float64 by Cholesky. XᵀX and XᵀY are accumulated batch by batch, so memory does not grow with
 * the length of the data.
 */
import { ShapeError, ValueError, fmtShape } from "../base/errors.ts";
import { Tensor } from "../core/tensor.ts";
import { cholesky, choleskySolve } from "../linalg/cholesky.ts";

/**
 * How the intercept is handled:
 * - `"centered"` (default, as reservoirpy): fit on centred data, intercept unpenalised;
 * - `"penalized"` (as BrainPy and Gauthier et al.): a constant feature 1, penalised like the rest;
 * - `"none"`: no intercept.
 */
export type RidgeBias = "centered" | "penalized" | "none";

export interface RidgeOptions {
  /** The penalty α ≥ 0 (S4a: 1e-6). */
  readonly alpha: number;
  readonly bias?: RidgeBias;
}

/** A fitted linear readout `y = x W + b`: W `[F, O]`, b `[O]` (float64). */
export interface LinearReadout {
  readonly weights: Tensor;
  readonly bias: Tensor;
}

/** Accumulates sufficient statistics over batches, then solves once. */
export class RidgeTrainer {
  private F = -1;
  private O = -1;
  private n = 0;
  private xtx = new Float64Array(0);
  private xty = new Float64Array(0);
  private sx = new Float64Array(0);
  private sy = new Float64Array(0);
  readonly alpha: number;
  readonly bias: RidgeBias;

  constructor(options: RidgeOptions) {
    if (!(options.alpha >= 0) || !Number.isFinite(options.alpha)) {
      throw new ValueError(`RidgeTrainer: alpha must be a finite number >= 0, got ${options.alpha}`);
    }
    const bias = options.bias ?? "centered";
    if (!["centered", "penalized", "none"].includes(bias)) {
      throw new ValueError(
        `RidgeTrainer: bias must be one of centered, penalized, none, got ${String(bias)}`,
      );
    }
    this.alpha = options.alpha;
    this.bias = bias;
  }

  /** Number of rows accumulated so far. */
  get count(): number {
    return this.n;
  }

  /**
   * Adds rows of features X `[N, F]` (or `[T, B, F]`, flattened) and targets Y `[N, O]`.
   * Rows containing NaN or infinities are refused.
   */
  accumulate(X: Tensor, Y: Tensor): this {
    const F = X.shape.at(-1) ?? 0;
    const O = Y.shape.at(-1) ?? 0;
    const N = F > 0 ? X.size / F : 0;
    if (O === 0 || Y.size / O !== N) {
      throw new ShapeError(
        `RidgeTrainer.accumulate: X and Y must have the same number of rows, got ${fmtShape(X.shape)} and ${fmtShape(Y.shape)}`,
      );
    }
    if (this.F === -1) this.allocate(F, O);
    if (F !== this.F || O !== this.O) {
      throw new ShapeError(
        `RidgeTrainer.accumulate: expected ${this.F} features and ${this.O} targets per row, got ${F} and ${O}`,
      );
    }
    const x = X.data;
    const y = Y.data;
    for (let i = 0; i < x.length; i++)
      if (!Number.isFinite(x[i] as number))
        throw new ValueError(`RidgeTrainer.accumulate: X must be finite, got ${x[i]} at flat index ${i}`);
    for (let i = 0; i < y.length; i++)
      if (!Number.isFinite(y[i] as number))
        throw new ValueError(`RidgeTrainer.accumulate: Y must be finite, got ${y[i]} at flat index ${i}`);
    const { xtx, xty, sx, sy } = this;
    for (let r = 0; r < N; r++) {
      const xr = r * F;
      const yr = r * O;
      for (let a = 0; a < F; a++) {
        const xa = x[xr + a] as number;
        sx[a] = (sx[a] as number) + xa;
        if (xa === 0) continue;
        for (let b = a; b < F; b++) xtx[a * F + b] = (xtx[a * F + b] as number) + xa * (x[xr + b] as number);
        for (let o = 0; o < O; o++) xty[a * O + o] = (xty[a * O + o] as number) + xa * (y[yr + o] as number);
      }
      for (let o = 0; o < O; o++) sy[o] = (sy[o] as number) + (y[yr + o] as number);
    }
    this.n += N;
    return this;
  }

  /** Solves for the readout from everything accumulated. */
  solve(): LinearReadout {
    if (this.n === 0)
      throw new ValueError("RidgeTrainer.solve: no data accumulated; call accumulate(X, Y) first");
    const { F, O, n, alpha } = this;
    const withConst = this.bias === "penalized";
    const D = withConst ? F + 1 : F;
    const A = new Float64Array(D * D);
    const R = new Float64Array(D * O);
    const mx = this.sx.map((v) => v / n);
    const my = this.sy.map((v) => v / n);
    const centre = this.bias === "centered";
    for (let a = 0; a < F; a++) {
      for (let b = a; b < F; b++) {
        const v = (this.xtx[a * F + b] as number) - (centre ? n * (mx[a] as number) * (mx[b] as number) : 0);
        A[a * D + b] = v;
        A[b * D + a] = v;
      }
      for (let o = 0; o < O; o++)
        R[a * O + o] =
          (this.xty[a * O + o] as number) - (centre ? n * (mx[a] as number) * (my[o] as number) : 0);
    }
    if (withConst) {
      for (let a = 0; a < F; a++) {
        A[a * D + F] = this.sx[a] as number;
        A[F * D + a] = this.sx[a] as number;
      }
      A[F * D + F] = n;
      for (let o = 0; o < O; o++) R[F * O + o] = this.sy[o] as number;
    }
    for (let a = 0; a < D; a++) A[a * D + a] = (A[a * D + a] as number) + alpha;
    const W = choleskySolve(cholesky(A, D, "RidgeTrainer.solve"), D, R, O);
    const bias = new Float64Array(O);
    if (withConst) bias.set(W.subarray(F * O, D * O));
    if (centre)
      for (let o = 0; o < O; o++) {
        let s = my[o] as number;
        for (let a = 0; a < F; a++) s -= (mx[a] as number) * (W[a * O + o] as number);
        bias[o] = s;
      }
    return { weights: new Tensor([F, O], W.slice(0, F * O)), bias: new Tensor([O], bias) };
  }

  private allocate(F: number, O: number): void {
    this.F = F;
    this.O = O;
    this.xtx = new Float64Array(F * F);
    this.xty = new Float64Array(F * O);
    this.sx = new Float64Array(F);
    this.sy = new Float64Array(O);
  }
}
