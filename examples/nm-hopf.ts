/**
 * NM-Hopf: a Stuart–Landau node. Above the supercritical Hopf bifurcation at a = 0 the limit cycle
 * has radius √(a/β); below it the node rests at the origin. The example sweeps a (every value one
 * batch row of one fused run), compares the amplitude with √a, then fits a to a target amplitude
 * by gradient descent through the simulation (BPTT through the fused kernel's checkpointed
 * adjoint, Adam), checking that gradient against central finite differences first.
 *
 * The metric is the fitted a's relative error (bar 1%); the sweep's largest amplitude error and
 * the gradient's relative error against finite differences are reported beside it.
 *
 * Run: `npx tsx examples/nm-hopf.ts` (add `--ci` for the reduced size).
 */
import { type Tensor, mean, mul, scalar, sqrt, square, sub, valueAndGrad } from "../src/core/index.ts";
import { bifurcationSweep } from "../src/analysis/index.ts";
import { Fitter, networkProblem, objective } from "../src/fit/index.ts";
import { massNetwork } from "../src/models/mass/index.ts";
import { type ExampleOptions, type ExampleResult, runIfMain, since } from "./common.ts";

const SIZES = {
  full: { sweep: [-0.1, -0.05, 0.01, 0.04, 0.09, 0.16, 0.25, 0.36], steps: 20_000, iterations: 80 },
  ci: { sweep: [-0.1, 0.04, 0.16], steps: 4000, iterations: 40 },
} as const;

const TARGET_A = 0.25;
const START_A = 0.09;
const BAR = 0.01;

/** (mean |z| − target)² over the kept steps, with s = [T, 2] holding x and y: 0 at a = target² (β = 1). */
const amplitudeLoss = (target: number) =>
  objective("amplitude", (s: Tensor) => square(sub(mean(sqrt(mul(mean(mul(s, s), 1), 2))), target)));

export function main(options: ExampleOptions): ExampleResult {
  const t0 = performance.now();
  const size = SIZES[options.size];
  const dt = 0.1; // ms
  const sweepNet = massNetwork({ model: "hopf", dt, observe: ["x"], initial: { x: 0.1 } });
  const sweep = bifurcationSweep(sweepNet, {
    parameter: "a",
    values: size.sweep,
    steps: size.steps,
    plane: { x: [-1, 1], y: [-1, 1] },
  });
  const amplitudeError = Math.max(...sweep.map((p) => Math.abs(p.max - Math.sqrt(Math.max(p.value, 0)))));
  for (const p of sweep) {
    console.log(
      `a = ${p.value.toFixed(2)}: amplitude ${p.max.toFixed(4)} (√a = ${Math.sqrt(Math.max(p.value, 0)).toFixed(4)}), origin ${p.fixedPoints?.[0]?.stability}`,
    );
  }

  const node = massNetwork({ model: "hopf", dt, observe: ["x", "y"], initial: { x: 0.3 } });
  const problem = networkProblem(node, {
    parameters: { a: { init: START_A, bounds: [0.01, 1], transform: "log" } },
    steps: 3000,
    discard: 1000,
    objective: amplitudeLoss(Math.sqrt(TARGET_A)),
  });
  const lossAt = (a: number) => problem.objective.loss(problem.simulate({ a: scalar(a, "float64") }));
  const { grads } = valueAndGrad((p: { a: Tensor }) => problem.objective.loss(problem.simulate(p)))({
    a: scalar(START_A, "float64"),
  });
  const h = 1e-5;
  const fd = ((lossAt(START_A + h).data[0] as number) - (lossAt(START_A - h).data[0] as number)) / (2 * h);
  const gradient = grads.a.data[0] as number;
  const gradientError = Math.abs(gradient - fd) / Math.abs(fd);
  console.log(
    `dL/da at a = ${START_A}: BPTT ${gradient.toExponential(6)}, finite differences ${fd.toExponential(6)}`,
  );

  const fit = new Fitter(problem).fit({ kind: "gradient", iterations: size.iterations, lr: 0.1 });
  const fitted = fit.best["a"] as number;
  const error = Math.abs(fitted - TARGET_A) / TARGET_A;
  console.log(`fitted a = ${fitted.toFixed(5)} (target ${TARGET_A}) in ${fit.history.length} Adam steps`);
  return {
    example: "NM-Hopf",
    metric: "relative error of the fitted a",
    value: error,
    bar: BAR,
    passed: error <= BAR && gradientError < 1e-4 && amplitudeError < 0.01,
    seconds: since(t0),
    figures: [],
    extra: {
      amplitudeError,
      gradient,
      finiteDifference: fd,
      gradientError,
      fittedA: fitted,
      finalLoss: fit.loss,
    },
  };
}

void runIfMain(import.meta.url, "NM-Hopf", main);
