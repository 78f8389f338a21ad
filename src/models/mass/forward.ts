/**
 * Forward models from neural activity to recorded signals, beside Balloon–Windkessel BOLD: the
 * canonical haemodynamic response (a double gamma) convolved with activity, and a linear lead
 * field for EEG/MEG. Both are tensor operations, so objectives on the signals are differentiable.
 */
import { ShapeError, ValueError } from "../../base/errors.ts";
import {
  type Tensor,
  fromData,
  gather,
  matmul,
  padAxis,
  reshape,
  tensor,
  transpose,
} from "../../core/index.ts";

/** Options of {@link canonicalHrf}; the defaults are SPM's canonical response. */
export interface HrfOptions {
  /** Delay of the response peak, s (gamma shape; default 6). */
  readonly peak?: number;
  /** Delay of the undershoot, s (default 16). */
  readonly undershoot?: number;
  /** Peak-to-undershoot amplitude ratio (default 6). */
  readonly ratio?: number;
  /** Length of the kernel, s (default 32). */
  readonly duration?: number;
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7), accurate to ~1e-15 for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const gammaPdf = (t: number, shape: number) =>
  t <= 0 ? 0 : Math.exp((shape - 1) * Math.log(t) - t - logGamma(shape));

/**
 * The canonical double-gamma haemodynamic response sampled every `dt` seconds,
 * `h(t) = Γ(t; a1) − Γ(t; a2) / c` with gamma densities of shapes `a1 = peak`, `a2 = undershoot`
 * (unit scale) and ratio c (Friston et al. 1998; SPM's `spm_hrf`), normalised to unit sum so a
 * constant activity of 1 gives a steady signal of 1.
 * @returns `[⌈duration / dt⌉]` the kernel, `h[k]` at `t = k dt`
 */
export function canonicalHrf(dt: number, options: HrfOptions = {}): Float64Array {
  const where = "canonicalHrf";
  if (!(Number.isFinite(dt) && dt > 0))
    throw new ValueError(`${where}: dt must be a number > 0 (s), got ${dt}`);
  const { peak = 6, undershoot = 16, ratio = 6, duration = 32 } = options;
  for (const [name, v] of [
    ["peak", peak],
    ["undershoot", undershoot],
    ["ratio", ratio],
    ["duration", duration],
  ] as const) {
    if (!(Number.isFinite(v) && v > 0))
      throw new ValueError(`${where}: ${name} must be a number > 0, got ${v}`);
  }
  const K = Math.max(1, Math.ceil(duration / dt));
  const h = Float64Array.from(
    { length: K },
    (_, k) => gammaPdf(k * dt, peak) - gammaPdf(k * dt, undershoot) / ratio,
  );
  const total = h.reduce((s, v) => s + v, 0);
  if (!(total > 0))
    throw new ValueError(`${where}: the kernel sums to ${total}; lengthen duration or shorten dt`);
  return h.map((v) => v / total);
}

/**
 * Causal convolution of activity with a haemodynamic kernel along time:
 * `y_t = Σ_{k=0}^{K−1} h_k x_{t−k}` (zero before t = 0). Differentiable; memory `T·K·M`, so
 * downsample the activity first (e.g. to 0.1 s).
 * @param x `[T, ...]` activity sampled every `dt` seconds
 * @param kernel the kernel, default {@link canonicalHrf}`(dt)`
 * @returns `[T, ...]`
 */
export function convolveHrf(x: Tensor, dt: number, kernel: Float64Array = canonicalHrf(dt)): Tensor {
  if (x.rank < 1) throw new ShapeError(`convolveHrf: need a signal [T, ...], got a scalar`);
  const [T, ...rest] = x.shape as [number, ...number[]];
  const M = rest.reduce((a, b) => a * b, 1);
  const K = kernel.length;
  const padded = padAxis(reshape(x, [T, M]), 0, K - 1, T + K - 1); // x_{t−k} at row t + K − 1 − k
  const idx = new Int32Array(T * K);
  for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) idx[t * K + k] = t + K - 1 - k;
  const lagged = reshape(gather(padded, idx, 0), [T, K, M]);
  const h = fromData(x.dtype === "float64" ? kernel : Float32Array.from(kernel), [1, 1, K]);
  const y = matmul(h, lagged); // [T, 1, M]
  return reshape(y, [T, ...rest]);
}

/**
 * A linear lead-field readout for EEG/MEG: sensor signals `y = L x`, `y_s = Σ_i L_si x_i`.
 * Differentiable.
 * @param x `[..., N]` source activity per region
 * @param leadField `[S, N]` gain of region i at sensor s (rows, or a tensor)
 * @returns `[..., S]`
 */
export function leadFieldReadout(x: Tensor, leadField: Tensor | readonly (readonly number[])[]): Tensor {
  const where = "leadFieldReadout";
  const L = Array.isArray(leadField)
    ? (() => {
        const rows = leadField as readonly (readonly number[])[];
        const n = rows[0]?.length ?? 0;
        const bad = rows.findIndex((r) => r.length !== n);
        if (rows.length === 0 || n === 0 || bad >= 0) {
          throw new ShapeError(`${where}: the lead field must be a non-empty [S, N] matrix with equal rows`);
        }
        return tensor(
          rows.map((r) => [...r]),
          undefined,
          x.dtype,
        );
      })()
    : (leadField as Tensor);
  if (L.rank !== 2)
    throw new ShapeError(`${where}: the lead field must be [S, N], got [${L.shape.join(", ")}]`);
  const N = x.shape[x.rank - 1];
  if (L.shape[1] !== N) {
    throw new ShapeError(
      `${where}: the lead field's [S, N] must have N = ${N} regions like the signal [..., ${N}], got [${L.shape.join(", ")}]`,
    );
  }
  return matmul(x, transpose(L));
}
