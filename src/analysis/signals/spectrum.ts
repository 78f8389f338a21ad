/**
 * Power spectra by Welch's method (Hann-windowed, overlapping segments, averaged periodograms) and
 * the peak frequency, for the rhythms of neural masses (e.g. Jansen–Rit's alpha).
 */
import { ValueError } from "../../base/errors.ts";

/** Options of {@link welch}. */
export interface WelchOptions {
  /** Sampling rate (samples per unit time; e.g. Hz for signals sampled in seconds). */
  readonly fs: number;
  /** Segment length in samples (default the largest power of two ≤ min(256, signal length)). */
  readonly segment?: number;
  /** Overlap between segments in samples (default segment / 2). */
  readonly overlap?: number;
  /** Remove each segment's mean before its periodogram (default true). */
  readonly detrend?: boolean;
}

/** A one-sided power spectral density. */
export interface Spectrum {
  /** `[segment/2 + 1]` frequencies, 0 … fs/2. */
  readonly freqs: Float64Array;
  /** `[segment/2 + 1]` power spectral density (signal unit² per frequency unit). */
  readonly power: Float64Array;
}

/** In-place radix-2 FFT of (re, im); the length must be a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const c = Math.cos(ang * k);
        const s = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const tr = (re[b] as number) * c - (im[b] as number) * s;
        const ti = (re[b] as number) * s + (im[b] as number) * c;
        re[b] = (re[a] as number) - tr;
        im[b] = (im[a] as number) - ti;
        re[a] = (re[a] as number) + tr;
        im[a] = (im[a] as number) + ti;
      }
    }
  }
}

/**
 * Welch's power spectral density of one signal: the average over segments of
 * `|FFT(w · x_seg)|² / (fs Σ w²)`, doubled except at 0 and fs/2 (one-sided), with a Hann window w.
 * The segment length must be a power of two.
 */
export function welch(x: ArrayLike<number>, options: WelchOptions): Spectrum {
  const where = "welch";
  const { fs } = options;
  if (!(Number.isFinite(fs) && fs > 0)) throw new ValueError(`${where}: fs must be a number > 0, got ${fs}`);
  const n = x.length;
  const seg = options.segment ?? 2 ** Math.floor(Math.log2(Math.max(2, Math.min(256, n))));
  if (!Number.isInteger(seg) || seg < 2 || (seg & (seg - 1)) !== 0 || seg > n) {
    throw new ValueError(`${where}: segment must be a power of two in [2, ${n}] samples, got ${seg}`);
  }
  const overlap = options.overlap ?? seg / 2;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= seg) {
    throw new ValueError(`${where}: overlap must be an integer in [0, ${seg - 1}], got ${overlap}`);
  }
  const hop = seg - overlap;
  const w = Float64Array.from({ length: seg }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / seg));
  const scale = 1 / (fs * w.reduce((s, v) => s + v * v, 0));
  const bins = seg / 2 + 1;
  const power = new Float64Array(bins);
  let count = 0;
  const re = new Float64Array(seg);
  const im = new Float64Array(seg);
  for (let start = 0; start + seg <= n; start += hop) {
    let m = 0;
    if (options.detrend ?? true) {
      for (let i = 0; i < seg; i++) m += x[start + i] as number;
      m /= seg;
    }
    for (let i = 0; i < seg; i++) {
      re[i] = ((x[start + i] as number) - m) * (w[i] as number);
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < bins; k++) {
      const p = ((re[k] as number) ** 2 + (im[k] as number) ** 2) * scale;
      power[k] = (power[k] as number) + (k === 0 || k === seg / 2 ? p : 2 * p);
    }
    count++;
  }
  for (let k = 0; k < bins; k++) power[k] = (power[k] as number) / count;
  const freqs = Float64Array.from({ length: bins }, (_, k) => (k * fs) / seg);
  return { freqs, power };
}

/**
 * The frequency of the largest power within `[min, max]` (default: above 0), refined by a parabola
 * through the peak bin and its neighbours.
 */
export function peakFrequency(spectrum: Spectrum, band: { min?: number; max?: number } = {}): number {
  const { freqs, power } = spectrum;
  const lo = band.min ?? (freqs[1] as number);
  const hi = band.max ?? (freqs[freqs.length - 1] as number);
  let best = -1;
  for (let k = 0; k < freqs.length; k++) {
    const f = freqs[k] as number;
    if (f >= lo && f <= hi && (best < 0 || (power[k] as number) > (power[best] as number))) best = k;
  }
  if (best < 0) throw new ValueError(`peakFrequency: no frequency bin in [${lo}, ${hi}]`);
  if (best === 0 || best === freqs.length - 1) return freqs[best] as number;
  const [a, b, c] = [power[best - 1] as number, power[best] as number, power[best + 1] as number];
  const denom = a - 2 * b + c;
  const shift = denom === 0 ? 0 : (0.5 * (a - c)) / denom;
  return (freqs[best] as number) + shift * ((freqs[1] as number) - (freqs[0] as number));
}
