/**
 * The array inputs plots accept (tensors or nested number arrays) and their conversion to a small
 * row-major view, so figure code reads values without caring where they came from.
 */
import { ShapeError, fmtShape } from "../base/errors.ts";
import { Tensor } from "../core/tensor.ts";

/** A vector `[n]`: a rank-1 tensor or any array of numbers. */
export type VectorLike = Tensor | ArrayLike<number>;
/** A matrix `[rows, cols]`: a rank-2 tensor or nested rows of equal length. */
export type MatrixLike = Tensor | readonly (readonly number[])[];
/** A stack of matrices `[count, rows, cols]`: a rank-3 tensor or nested arrays. */
export type MatrixStackLike = Tensor | readonly (readonly (readonly number[])[])[];

/** A read-only row-major matrix. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values, length `rows * cols`. */
  readonly data: ArrayLike<number>;
}

/** The value at row `i`, column `j`. */
export function at(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j] as number;
}

/** Column `j` as a new array. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = at(m, i, j);
  return out;
}

function tensorOfRank(x: Tensor, rank: number, where: string, name: string): Tensor {
  if (x.rank !== rank) {
    throw new ShapeError(`${where}: ${name} must have rank ${rank}, got shape ${fmtShape(x.shape)}`);
  }
  return x;
}

/** A vector's values; `where` and `name` label errors. */
export function asVector(x: VectorLike, where: string, name: string): ArrayLike<number> {
  return x instanceof Tensor ? tensorOfRank(x, 1, where, name).data : x;
}

/** A matrix view of `x`; rows of nested input must all have the same length. */
export function asMatrix(x: MatrixLike, where: string, name: string): Matrix {
  if (x instanceof Tensor) {
    const t = tensorOfRank(x, 2, where, name);
    return { rows: t.shape[0] as number, cols: t.shape[1] as number, data: t.data };
  }
  const cols = x[0]?.length ?? 0;
  x.forEach((row, i) => {
    if (row.length !== cols) {
      throw new ShapeError(
        `${where}: ${name} rows must have equal lengths, got ${row.length} at row ${i}, expected ${cols}`,
      );
    }
  });
  return { rows: x.length, cols, data: x.flat() };
}

/** One matrix view per leading index of `x` (`[count, rows, cols]`). */
export function asMatrices(x: MatrixStackLike, where: string, name: string): Matrix[] {
  if (x instanceof Tensor) {
    const t = tensorOfRank(x, 3, where, name);
    const [count, rows, cols] = t.shape as [number, number, number];
    return Array.from({ length: count }, (_, b) => ({
      rows,
      cols,
      data: t.data.subarray(b * rows * cols, (b + 1) * rows * cols),
    }));
  }
  return x.map((m, b) => asMatrix(m, where, `${name}[${b}]`));
}

/** Throws unless `m` has `rows` rows (`where`/`name` label the error). */
export function assertRows(m: Matrix, rows: number, where: string, name: string): void {
  if (m.rows !== rows) {
    throw new ShapeError(`${where}: ${name} must have ${rows} time steps, got ${m.rows}`);
  }
}
