/**
 * The ideal observer of the Yang-19 decision tasks, the ceiling quoted in docs/examples.md beside the
 * multitask network's per-task figures. It knows the two candidate directions and, per modality, fits
 * both bumps' strengths by least squares over the stimulus steps (for the delayed tasks, each
 * stimulus period's mean against its own bump), weighs the modalities as the task does, and picks the
 * direction with the larger strength. 4,000 trials per task at dt 100 with the cue kept on until the
 * decision (the multitask preset's setting).
 *
 * Run: `npx tsx bench/yang19IdealObserver.ts`
 */
import { Rng } from "../src/base/random.ts";
import { gaussianBump, yang19Task } from "../src/tasks/collections/yang19.ts";

const RING = 16;
const TRIALS = 4000;
const TASKS = [
  "dm1",
  "dm2",
  "ctxdm1",
  "ctxdm2",
  "multidm",
  "dlydm1",
  "dlydm2",
  "ctxdlydm1",
  "ctxdlydm2",
  "multidlydm",
];

const dot = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((s, v, k) => s + v * (b[k] ?? 0), 0);

for (const name of TASKS) {
  const task = yang19Task(name, { dtMs: 100, fixationCue: "untilDecision" });
  const p = task.params as unknown as { wMod: number[]; stimMod: boolean[]; delayComparison: boolean };
  const rng = Rng.fromSeed(11);
  let correct = 0;
  for (let i = 0; i < TRIALS; i++) {
    const trial = task.sampleTrial(rng);
    const c = trial.info.conditions as Record<string, number>;
    const theta1 = c["theta1"] ?? NaN;
    const theta2 = c["theta2"] ?? NaN;
    const g1 = gaussianBump((2 * Math.PI * theta1) / RING, RING, 1);
    const g2 = gaussianBump((2 * Math.PI * theta2) / RING, RING, 1);
    const evidence = [0, 0];
    for (const m of [0, 1]) {
      if (!p.stimMod[m]) continue;
      // The period's mean of modality m's ring (after the fixation channel).
      const mean = (period: string): number[] => {
        const span = trial.info.periods[period];
        if (span === undefined) throw new Error(`${name} has no period ${period}`);
        const y = new Array<number>(RING).fill(0);
        for (let t = span.start; t < span.end; t++)
          for (let k = 0; k < RING; k++)
            y[k] = (y[k] ?? 0) + (trial.ob[t * task.obDim + 1 + m * RING + k] ?? 0) / (span.end - span.start);
        return y;
      };
      let s: [number, number];
      if (p.delayComparison) {
        s = [dot(mean("stim1"), g1) / dot(g1, g1), dot(mean("stim2"), g2) / dot(g2, g2)];
      } else {
        const y = mean("stimulus");
        const [a, b, ab, ya, yb] = [dot(g1, g1), dot(g2, g2), dot(g1, g2), dot(y, g1), dot(y, g2)];
        const det = a * b - ab * ab;
        s = [(ya * b - yb * ab) / det, (yb * a - ya * ab) / det];
      }
      const w = p.wMod[m] ?? 0;
      evidence[0] = (evidence[0] ?? 0) + w * s[0];
      evidence[1] = (evidence[1] ?? 0) + w * s[1];
    }
    const choice = (evidence[0] ?? 0) > (evidence[1] ?? 0) ? theta1 : theta2;
    if (choice === c["groundTruth"]) correct++;
  }
  console.log(`${name.padEnd(11)} ${(correct / TRIALS).toFixed(3)}`);
}
