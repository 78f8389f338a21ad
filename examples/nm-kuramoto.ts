/**
 * NM-Kuramoto: N all-to-all phase oscillators, `dθ_i/dt = ω_i + (K/N) Σ_j sin(θ_j − θ_i)`, with
 * natural frequencies from a Lorentzian of half-width γ (placed at its quantiles). Kuramoto's
 * theory gives the critical coupling `K_c = 2 / (π g(0)) = 2γ` and, above it, the order parameter
 * `R = sqrt(1 − K_c / K)`. Every coupling of the sweep is one batch row of one fused run; R is
 * averaged over the second half.
 *
 * The metric is the relative error of K_c estimated from the simulation as the median over the
 * supercritical couplings of `K (1 − R²)` (bar 10%); the largest gap between R and the theory above
 * 1.25 K_c and the mean R below K_c (≈ 1/√N for incoherence) are reported beside it.
 *
 * Run: `npx tsx examples/nm-kuramoto.ts` (add `--ci` for the reduced size).
 */
import { Rng } from "../src/base/random.ts";
import { cast, fromData, treeMap } from "../src/core/index.ts";
import { orderParameter } from "../src/analysis/index.ts";
import { type MassParams, massNetwork, simulate } from "../src/models/mass/index.ts";
import { type ExampleOptions, type ExampleResult, runIfMain, since } from "./common.ts";

const SIZES = {
  full: { N: 100, couplings: [0, 0.01, 0.015, 0.025, 0.03, 0.04, 0.05, 0.06, 0.08], steps: 20_000 },
  ci: { N: 40, couplings: [0.01, 0.03, 0.05, 0.08], steps: 8000 },
} as const;

const GAMMA = 0.01; // rad/ms: the Lorentzian half-width
const DT = 0.5; // ms
const BAR = 0.1;

export function main(options: ExampleOptions): ExampleResult {
  const t0 = performance.now();
  const { N, couplings, steps } = SIZES[options.size];
  const kc = 2 * GAMMA;
  const omega = Array.from({ length: N }, (_, j) => GAMMA * Math.tan(Math.PI * ((j + 0.5) / N - 0.5)));
  const rng = Rng.fromSeed(options.seed);
  const theta0 = Array.from({ length: N }, () => rng.uniformIn(0, 2 * Math.PI));
  const net = massNetwork({
    model: "kuramoto",
    connectome: { weights: Array.from({ length: N }, () => new Array<number>(N).fill(1 / N)) },
    coupling: "kuramoto",
    dt: DT,
    parameters: { omega },
    initial: { theta: theta0 },
    observe: ["theta"],
  });
  const base = treeMap(net.init(rng), (t) => cast(t, "float64")) as MassParams;
  const B = couplings.length;
  const params: MassParams = { ...base, coupling: { gain: fromData(Float64Array.from(couplings), [B, 1]) } };
  const every = 20;
  const { observed } = simulate(net, params, { steps, batch: B, every });
  const R = orderParameter(observed).data; // [T', B]
  const windows = steps / every;
  const order = couplings.map((_, b) => {
    let s = 0;
    for (let t = windows / 2; t < windows; t++) s += R[t * B + b] as number;
    return s / (windows / 2);
  });
  const estimates: number[] = [];
  let theoryGap = 0;
  const subcritical: number[] = [];
  couplings.forEach((K, b) => {
    const r = order[b] as number;
    const theory = K > kc ? Math.sqrt(1 - kc / K) : 0;
    console.log(
      `K = ${K.toFixed(3)}: R = ${r.toFixed(3)} (theory ${K > kc ? theory.toFixed(3) : "incoherent"})`,
    );
    if (K > kc) estimates.push(K * (1 - r * r));
    if (K >= 1.25 * kc) theoryGap = Math.max(theoryGap, Math.abs(r - theory));
    if (K < kc) subcritical.push(r);
  });
  estimates.sort((a, b) => a - b);
  const kcEstimate = estimates[Math.floor(estimates.length / 2)] as number;
  const error = Math.abs(kcEstimate - kc) / kc;
  console.log(`K_c: simulated ${kcEstimate.toFixed(5)}, theory 2γ = ${kc}`);
  return {
    example: "NM-Kuramoto",
    metric: "relative error of the critical coupling",
    value: error,
    bar: BAR,
    passed: error <= BAR,
    seconds: since(t0),
    figures: [],
    extra: {
      kcEstimate,
      kcTheory: kc,
      theoryGap,
      subcriticalR: subcritical.length ? subcritical.reduce((a, b) => a + b, 0) / subcritical.length : NaN,
      oneOverSqrtN: 1 / Math.sqrt(N),
    },
  };
}

void runIfMain(import.meta.url, "NM-Kuramoto", main);
