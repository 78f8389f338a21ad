/**
 * NM-JR: the Jansen–Rit column (Jansen & Rit 1995). At the published parameters, driven by noisy
 * input around p = 220 pulses/s, its EEG proxy y1 − y2 oscillates in the alpha band; the example
 * measures the Welch spectrum's peak. It then fits the connectivity constant C to a target
 * oscillation amplitude (the EEG proxy's standard deviation at C = 135, noise-free) from C = 140,
 * by gradients (BPTT, Adam) and by CMA-ES side by side.
 *
 * The metric is the alpha peak frequency (bar: 10 Hz, passed within 8–12 Hz); both fits must
 * land within 1% of C = 135.
 *
 * Run: `npx tsx examples/nm-jansen-rit.ts` (add `--ci` for the reduced size).
 */
import { Rng } from "../src/base/random.ts";
import { type Tensor, mean, mul, scalar, sqrt, square, sub } from "../src/core/index.ts";
import { peakFrequency, welch } from "../src/analysis/index.ts";
import { Fitter, networkProblem, objective } from "../src/fit/index.ts";
import { massNetwork, simulate } from "../src/models/mass/index.ts";
import { type ExampleOptions, type ExampleResult, runIfMain, since } from "./common.ts";

const SIZES = {
  full: { seconds: 20, gradientSteps: 40, generations: 15 },
  ci: { seconds: 4, gradientSteps: 15, generations: 6 },
} as const;

const DT = 0.1; // ms
const TRUE_C = 135;
const START_C = 140;
/** White noise into dy4/dt, mV/ms per √ms: p(t) fluctuating around its mean. */
const INPUT_NOISE = 0.01;

/** The standard deviation of a `[T, 1]` signal. */
const sd = (s: Tensor) => {
  const c = sub(s, mean(s));
  return sqrt(mean(mul(c, c)));
};

export function main(options: ExampleOptions): ExampleResult {
  const t0 = performance.now();
  const size = SIZES[options.size];
  const noisy = massNetwork({
    model: "jansenRit",
    dt: DT,
    observe: ["eeg"],
    noise: { sigma: INPUT_NOISE, into: ["y4"] },
  });
  const steps = Math.round((size.seconds * 1000) / DT);
  const { observed } = simulate(noisy, noisy.init(Rng.fromSeed(options.seed)), {
    steps,
    every: 10, // 1 kHz
    rng: Rng.fromSeed(options.seed + 1),
  });
  const eeg = Array.from(observed.data).slice(1000); // drop the first second
  const peak = peakFrequency(welch(eeg, { fs: 1000, segment: 2048 }), { min: 1, max: 40 });
  console.log(`alpha peak ${peak.toFixed(2)} Hz over ${size.seconds} s`);

  const clean = massNetwork({ model: "jansenRit", dt: DT, observe: ["eeg"], integrator: "rk4" });
  const run = { steps: 20_000, every: 10, discard: 1000 }; // 2 s at 1 kHz, the first second dropped
  const measure = networkProblem(clean, {
    ...run,
    parameters: { C: TRUE_C },
    objective: objective("sd", sd),
  });
  const targetSd = sd(measure.simulate({ C: scalar(TRUE_C, "float64") })).data[0] as number;
  const fitter = new Fitter(
    networkProblem(clean, {
      ...run,
      parameters: { C: { init: START_C, bounds: [128, 150] } },
      objective: objective("amplitude", (s) => square(sub(sd(s), targetSd))),
    }),
  );
  const byGradient = fitter.fit({ kind: "gradient", iterations: size.gradientSteps, lr: 0.1 });
  const byCmaes = fitter.fit({ kind: "cmaes", iterations: size.generations, seed: options.seed });
  const cGradient = byGradient.best["C"] as number;
  const cCmaes = byCmaes.best["C"] as number;
  console.log(
    `target EEG sd ${targetSd.toFixed(4)} mV; C by gradient ${cGradient.toFixed(3)} (${byGradient.seconds.toFixed(1)} s, ${byGradient.evaluations} simulations + adjoints), by CMA-ES ${cCmaes.toFixed(3)} ± ${byCmaes.uncertainty?.["C"]?.toFixed(3)} (${byCmaes.seconds.toFixed(1)} s, ${byCmaes.evaluations} simulations)`,
  );
  const within = (c: number) => Math.abs(c - TRUE_C) / TRUE_C <= 0.01;
  return {
    example: "NM-JR",
    metric: "alpha peak frequency (Hz)",
    value: peak,
    bar: 10,
    passed: Math.abs(peak - 10) <= 2 && within(cGradient) && within(cCmaes),
    seconds: since(t0),
    figures: [],
    extra: {
      targetSd,
      cGradient,
      cCmaes,
      cCmaesUncertainty: byCmaes.uncertainty?.["C"] ?? NaN,
      gradientSeconds: byGradient.seconds,
      cmaesSeconds: byCmaes.seconds,
      gradientFinalLoss: byGradient.loss,
      cmaesFinalLoss: byCmaes.loss,
    },
  };
}

void runIfMain(import.meta.url, "NM-JR", main);
