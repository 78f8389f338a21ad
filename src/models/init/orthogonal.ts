/** Orthogonal initialisation (Saxe et al. 2014): QR of a Gaussian matrix, in float64. */
import { ValueError } from "../../base/errors.ts";
import type { Rng } from "../../base/random.ts";
import { type DType, type Tensor, fromData } from "../../core/tensor.ts";

/**
 * Orthonormal columns of a `[rows, cols]` Gaussian matrix by modified Gram–Schmidt (rows >= cols),
 * signs fixed so that R has a positive diagonal (the Haar-distributed choice).
 */
function orthonormalColumns(rng: Rng, rows: number, cols: number): Float64Array {
  const q = new Float64Array(rows * cols);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let j = 0; j < cols; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += (q[i * cols + j] as number) * (q[i * cols + k] as number);
      for (let i = 0; i < rows; i++)
        q[i * cols + j] = (q[i * cols + j] as number) - dot * (q[i * cols + k] as number);
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += (q[i * cols + j] as number) ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < rows; i++) q[i * cols + j] = (q[i * cols + j] as number) / norm;
  }
  return q;
}

/**
 * A random `[rows, cols]` matrix with orthonormal columns (rows >= cols) or rows (rows < cols),
 * times `gain`. For a square matrix, `QᵀQ = I`.
 */
export function orthogonal(rng: Rng, rows: number, cols: number, gain = 1, dtype: DType = "float32"): Tensor {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new ValueError(`orthogonal: rows and cols must be positive integers, got ${rows} x ${cols}`);
  }
  const tall = rows >= cols;
  const [r, c] = tall ? [rows, cols] : [cols, rows];
  const q = orthonormalColumns(rng, r, c);
  const out = dtype === "float64" ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) out[tall ? i * cols + j : j * cols + i] = gain * (q[i * c + j] as number);
  }
  return fromData(out, [rows, cols]);
}
