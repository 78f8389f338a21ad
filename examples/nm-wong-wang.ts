/**
 * NM-WW: perceptual decisions in the reduced Wong–Wang model (Wong & Wang 2006). Two selective
 * populations receive `J_A,ext μ0 (1 ± c'/100)` for a motion coherence c' and Ornstein–Uhlenbeck
 * noise (τ = 2 ms, σ_noise = 0.02 nA); a decision is the first population whose rate crosses 15 Hz
 * after stimulus onset, the reaction time its crossing time. Every trial is one batch row of one
 * fused run (500 ms of spontaneous activity, then the stimulus).
 *
 * As in the paper, accuracy rises with coherence from chance (psychometric curve; a logistic fit of
 * P(choose 1) against signed coherence gives its slope) and reaction time falls (chronometric
 * curve). The metric is the accuracy at 51.2% coherence (bar 0.95); the curves are reported beside it.
 *
 * Run: `npx tsx examples/nm-wong-wang.ts` (add `--ci` for the reduced size).
 */
import { Rng } from "../src/base/random.ts";
import { fromData } from "../src/core/index.ts";
import { fitPsychometric } from "../src/analysis/index.ts";
import { massNetwork, simulate, wongWangStimulus } from "../src/models/mass/index.ts";
import { type ExampleOptions, type ExampleResult, runIfMain, since } from "./common.ts";

const SIZES = {
  full: { coherences: [0, 3.2, 6.4, 12.8, 25.6, 51.2], trials: 200 },
  ci: { coherences: [0, 12.8, 51.2], trials: 60 },
} as const;

const DT = 0.5; // ms
const PRE = 1000; // steps of spontaneous activity (500 ms)
const STIMULUS = 4000; // steps with the stimulus on (2 s)
const THRESHOLD = 15; // Hz
const BAR = 0.95;

/** One condition's outcome: fraction choosing population 1, mean RT (ms) of decided trials, undecided count. */
export interface Condition {
  readonly coherence: number;
  readonly chose1: number;
  readonly rt: number;
  readonly undecided: number;
}

export function main(options: ExampleOptions): ExampleResult {
  const t0 = performance.now();
  const { coherences, trials } = SIZES[options.size];
  // signed coherences: + favours population 1, − population 2
  const signed = [...new Set([...coherences.map((c) => -c), ...coherences])].sort((a, b) => a - b);
  const B = signed.length * trials;
  const net = massNetwork({
    model: "wongWang",
    dt: DT,
    integrator: "euler",
    stimulus: ["I1", "I2"],
    noise: { kind: "ou", tau: 2, sigma: 0.02 / Math.SQRT2, into: ["I1", "I2"] },
    observe: ["r1", "r2"],
  });
  const T = PRE + STIMULUS;
  const on = new Float32Array(B * 2);
  for (let b = 0; b < B; b++) on.set(wongWangStimulus(signed[Math.floor(b / trials)] as number), b * 2);
  const stimulus = new Float32Array(T * B * 2);
  for (let t = PRE; t < T; t++) stimulus.set(on, t * B * 2);
  const { observed } = simulate(net, net.init(Rng.fromSeed(options.seed)), {
    stimulus: fromData(stimulus, [T, B, 2]),
    rng: Rng.fromSeed(options.seed + 1),
  });
  const r = observed.data;
  let early = 0;
  const trialCoherence: number[] = [];
  const trialChoice: boolean[] = [];
  const conditions: Condition[] = signed.map((coherence, k) => {
    let chose1 = 0;
    let decided = 0;
    let rt = 0;
    for (let q = 0; q < trials; q++) {
      const b = k * trials + q;
      for (let t = 0; t < T; t++) {
        const [r1, r2] = [r[(t * B + b) * 2] as number, r[(t * B + b) * 2 + 1] as number];
        if (r1 <= THRESHOLD && r2 <= THRESHOLD) continue;
        if (t < PRE) early++;
        else {
          decided++;
          rt += (t - PRE) * DT;
          if (r1 > r2) chose1++;
          trialCoherence.push(coherence);
          trialChoice.push(r1 > r2);
        }
        break;
      }
    }
    return {
      coherence,
      chose1: chose1 / Math.max(1, decided),
      rt: rt / Math.max(1, decided),
      undecided: trials - decided,
    };
  });
  const psychometric = fitPsychometric(trialCoherence, trialChoice);
  /** Correct choices at coherence c > 0, pooling +c and −c trials. */
  const accuracy = (c: number) => {
    const plus = conditions.find((x) => x.coherence === c) as Condition;
    const minus = conditions.find((x) => x.coherence === -c) as Condition;
    return (plus.chose1 + (1 - minus.chose1)) / 2;
  };
  const rtAt = (c: number) => {
    const plus = conditions.find((x) => x.coherence === c) as Condition;
    const minus = conditions.find((x) => x.coherence === -c) as Condition;
    return (plus.rt + minus.rt) / 2;
  };
  const atZero = conditions.find((x) => x.coherence === 0) as Condition;
  console.log(
    `coherence 0%: P(choose 1) ${atZero.chose1.toFixed(3)}, reaction time ${atZero.rt.toFixed(0)} ms`,
  );
  const positive = coherences.filter((c) => c > 0);
  for (const c of positive) {
    console.log(
      `coherence ${c}%: accuracy ${accuracy(c).toFixed(3)}, reaction time ${rtAt(c).toFixed(0)} ms`,
    );
  }
  const top = accuracy(51.2);
  const extra: Record<string, number> = {
    psychometricSigma: psychometric.sigma,
    psychometricBias: psychometric.mu,
    undecided: conditions.reduce((s, c) => s + c.undecided, 0),
    decidedBeforeStimulus: early,
    chose1At0: atZero.chose1,
    rt0: atZero.rt,
  };
  for (const c of positive) {
    extra[`accuracy${c}`] = accuracy(c);
    extra[`rt${c}`] = rtAt(c);
  }
  return {
    example: "NM-WW",
    metric: "accuracy at 51.2% coherence",
    value: top,
    bar: BAR,
    passed: top >= BAR,
    seconds: since(t0),
    figures: [],
    extra,
  };
}

void runIfMain(import.meta.url, "NM-WW", main);
