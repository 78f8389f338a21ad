import { range } from "../channels.ts";
import type { BaseParams, TaskSpec } from "../spec.ts";
import { merged } from "../merge.ts";

/** Options of {@link SpatialSuppressMotion}. */
export type SpatialSuppressMotionParams = BaseParams;

/**
 * Conditions: `direction` 1–4 (left, right, up, down), `contrast` 0.05 (small, low contrast) or
 * 0.99 (large, high contrast), and the stimulus `diameter` that follows from the contrast (1 or 8).
 */
export type SpatialSuppressMotionConditions = {
  readonly direction: number;
  readonly contrast: number;
  readonly diameter?: number;
};

/** Direction angles of left, right, up, down. */
const THETA = [-Math.PI / 2, Math.PI / 2, 0, Math.PI];
const ANTI = [1, 0, 3, 2];
const ORTHO = [
  [2, 3],
  [2, 3],
  [0, 1],
  [0, 1],
];
/** Frames (0-based) where Tadin et al.'s human data are given, and the probabilities there. */
const FRAMES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 14, 17, 20, 27, 35, 36, 37, 38];
const FLAT = Array(7).fill(0.249) as number[];
const HIGH_CORRECT = [...FLAT, 0.249, 0.249, 0.249, 0.27, 0.32, 0.4583, 0.65, 0.85, 0.99, 0.99, 0.99, 0.99];
const HIGH_ANTI = [...FLAT, 0.249, 0.29, 0.31, 0.4, 0.475, 0.4167, 0.3083, 0.075, 0.04, 0.04, 0.03, 0.03];
const LOW_CORRECT = [...FLAT, 0.25, 0.26, 0.2583, 0.325, 0.45, 0.575, 0.875, 0.933, 0.99, 0.99, 0.99, 0.99];
const LOW_ANTI = [
  ...FLAT,
  0.25,
  0.26,
  0.2583,
  0.267,
  0.1417,
  0.1167,
  0.058,
  0.016,
  0.003,
  0.003,
  0.003,
  0.003,
];

/** Piecewise-linear interpolation through `(FRAMES, ys)`, extrapolating the end segments (scipy `slinear`). */
function interpolate(ys: readonly number[], x: number): number {
  let k = 0;
  while (k < FRAMES.length - 2 && x > (FRAMES[k + 1] as number)) k++;
  const x0 = FRAMES[k] as number;
  const x1 = FRAMES[k + 1] as number;
  const y0 = ys[k] as number;
  const y1 = ys[k + 1] as number;
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/**
 * Center-surround motion (Tadin et al. 2003): a drifting grating, small and low-contrast or large and
 * high-contrast, moves in one of four directions; report the direction. No fixation or decision: the
 * target on every step is the probability that humans report each direction after that many frames
 * (interpolated from the paper's data: large high-contrast stimuli are hard at first, surround
 * suppression), so `gt` is `[T, 4]` and the task is trained by regression on it. NeuroGym defines no
 * reward (RL performance stays 0; the RL action is ignored).
 *
 * Obs: 32 units, 4 direction pools × 8 sizes; pool `d` unit `s` is `(cos(θ_d − θ_dir) + 1)·contrast/2`
 * for `s < diameter`, else 0. Actions `[direction×4]`. dt 8.3 ms (a 120-Hz frame): 36 frames.
 */
export const SpatialSuppressMotion: TaskSpec<SpatialSuppressMotionParams, SpatialSuppressMotionConditions> = {
  name: "SpatialSuppressMotion",
  summary: "Report the motion direction of a small or large grating (center-surround suppression).",
  reference: {
    authors: "Tadin, Lappin, Gilroy & Blake",
    year: 2003,
    title: "Perceptual consequences of centre-surround antagonism in visual motion processing",
    venue: "Nature 424:312",
    link: "https://www.nature.com/articles/nature01800",
  },
  tags: ["perceptual", "plaid", "motion", "center-surround"],
  regression: true,
  gtDim: 4,
  defaults: { dtMs: 8.3, timing: { stimulus: 300 }, rewards: { abort: -0.1, correct: 1, fail: 0 } },
  layout: () => ({ observation: { stimulus: range(0, 32) }, actions: { direction: range(0, 4) } }),
  responsePeriods: () => ["stimulus"],
  draw: (rng) => ({ direction: rng.choice([1, 2, 3, 4]), contrast: rng.choice([0.05, 0.99]) }),
  build(b, c) {
    const diameter = c.contrast === 0.05 ? 1 : c.contrast === 0.99 ? 8 : (c.diameter ?? 8);
    b.addPeriod("stimulus");
    const d = c.direction - 1;
    const stim = new Float32Array(32);
    for (let k = 0; k < 4; k++) {
      const v = ((Math.cos((THETA[k] as number) - (THETA[d] as number)) + 1) * c.contrast) / 2;
      for (let s = 0; s < diameter; s++) stim[k * 8 + s] = v;
    }
    b.setOb(stim, "stimulus");
    const n = b.nSteps;
    const high = c.contrast > 0.5;
    const gt = b.gt;
    for (let t = 0; t < n; t++) {
      const corr = interpolate(high ? HIGH_CORRECT : LOW_CORRECT, t);
      const anti = interpolate(high ? HIGH_ANTI : LOW_ANTI, t);
      const row = [0, 0, 0, 0];
      row[d] = corr;
      row[ANTI[d] as number] = anti;
      for (const o of ORTHO[d] as number[]) row[o] = (1 - corr - anti) / 2;
      gt.set(row, t * 4);
    }
    return merged(c, { diameter });
  },
  rl: { step: () => ({ reward: 0, newTrial: false }) },
};
