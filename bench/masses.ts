/**
 * Neural-mass network speed beside PyTorch eager (`bench/masses_torch.py`, the same simulation):
 * 68 Hopf nodes on a random geometric connectome with conduction delays, diffusive coupling,
 * Heun's method with white noise, forward and forward + gradient of mean(x²) with respect to the
 * parameters. Each round times ours, then PyTorch in each of its thread configurations (1 thread;
 * 2 threads with `OMP_WAIT_POLICY=passive`; 2 threads with the default active wait), so the sides
 * interleave; each side's figure is its fastest run over all rounds (and, for PyTorch, over all
 * configurations, so the peer is always at its best), by wall time and, separately, by process CPU
 * time, which other jobs on a loaded machine inflate far less than wall time. Also checks that both
 * sides simulate the same thing (noise-free float64 readouts and gradients) and times a minute of
 * model time.
 *
 * Run standalone: `npx tsx bench/masses.ts [--quick]`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "../src/base/random.ts";
import { type Tensor, cast, mean, mul, tensor, treeMap, valueAndGrad } from "../src/core/index.ts";
import { delaySteps } from "../src/models/mass/connectome.ts";
import { randomGeometricConnectome } from "../src/models/mass/generators.ts";
import { type MassParams, massNetwork } from "../src/models/mass/network.ts";
import { simulate } from "../src/models/mass/simulate.ts";
import { PEER_ENV } from "./workloads.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./masses_torch.py", import.meta.url));

export interface MassBenchRow {
  readonly name: string;
  /** Wall time per run, each side's fastest (NaN where not measured). */
  readonly oursMs: number;
  readonly torchMs: number;
  /** CPU time per run, each side's fastest (NaN where not measured). */
  readonly oursCpuMs: number;
  readonly torchCpuMs: number;
  readonly note: string;
}

/** Wall and CPU milliseconds of each timed run. */
interface Timing {
  readonly ms: readonly number[];
  readonly cpuMs: readonly number[];
}

/** A PyTorch thread configuration: `torch.set_num_threads` and extra environment. */
interface TorchConfig {
  readonly name: string;
  readonly threads: number;
  readonly env: Readonly<Record<string, string>>;
}

const TORCH_CONFIGS: readonly TorchConfig[] = [
  { name: "1 thread", threads: 1, env: {} },
  { name: "2 threads, OMP_WAIT_POLICY=passive", threads: 2, env: { OMP_WAIT_POLICY: "passive" } },
  { name: "2 threads, default wait", threads: 2, env: {} },
];

const N = 68;
const DT = 0.1; // ms
const SPEED = 5; // mm/ms
const PARAMS = { a: -0.05, omega: 0.06, beta: 1, gain: 0.2, sigma: 0.02 };

function setup() {
  const c = randomGeometricConnectome(N, { rng: Rng.fromSeed(0), extentMm: 100, density: 0.3 });
  const net = massNetwork({
    model: "hopf",
    connectome: c,
    speed: SPEED,
    coupling: "diffusive",
    dt: DT,
    integrator: "heun",
    noise: { sigma: PARAMS.sigma },
    parameters: { a: PARAMS.a, omega: PARAMS.omega, beta: PARAMS.beta },
    couplingParameters: { gain: PARAMS.gain },
    initial: { x: 0.1, y: 0 },
    observe: ["x"],
  });
  const delays = delaySteps(c, SPEED, DT);
  const spec = {
    N,
    dt: DT,
    H: net.ringLength,
    weights: Array.from({ length: N }, (_, i) => Array.from(c.weights.subarray(i * N, (i + 1) * N))),
    delays: Array.from({ length: N }, (_, i) => Array.from(delays.subarray(i * N, (i + 1) * N))),
    // Our parameters are float32 (the default dtype): the check runs both sides at those values.
    params: Object.fromEntries(Object.entries(PARAMS).map(([k, v]) => [k, Math.fround(v)])),
    x0: 0.1,
    y0: 0,
  };
  return { net, spec };
}

/** `reps` timed runs after `warmup` untimed ones (the engine optimises the kernel over several runs). */
function timeOurs(run: () => void, reps: number, warmup = 10): Timing {
  for (let i = 0; i < warmup; i++) run();
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    run();
    const c = process.cpuUsage(c0);
    ms.push(performance.now() - t0);
    cpuMs.push((c.user + c.system) / 1000);
  }
  return { ms, cpuMs };
}

function torchRun(specPath: string, args: readonly (string | number)[], config: TorchConfig): string {
  const out = execFileSync(PYTHON, [SCRIPT, specPath, ...args.map(String), String(config.threads)], {
    encoding: "utf8",
    env: { ...process.env, ...PEER_ENV, ...config.env },
  });
  return out.trim().split("\n").at(-1) as string;
}

function torch(specPath: string, mode: string, steps: number, reps: number, config: TorchConfig): Timing {
  const r = JSON.parse(torchRun(specPath, [mode, steps, reps], config)) as { ms: number[]; cpu_ms: number[] };
  return { ms: r.ms, cpuMs: r.cpu_ms };
}

function torchAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The neural-mass rows of `npm run bench`. */
export function benchMasses(
  options: { quick?: boolean; rounds?: number; torch?: boolean } = {},
): MassBenchRow[] {
  const { net, spec } = setup();
  const dir = mkdtempSync(join(tmpdir(), "braints-masses-"));
  const specPath = join(dir, "spec.json");
  writeFileSync(specPath, JSON.stringify(spec));
  const withTorch = (options.torch ?? true) && torchAvailable();
  const steps = options.quick ? 300 : 1000;
  const rounds = options.quick ? 1 : (options.rounds ?? 3);
  const reps = 3;
  const params = net.init(Rng.fromSeed(0)) as MassParams;
  const forward = () => {
    simulate(net, params, { steps, rng: Rng.fromSeed(1) });
  };
  const lossOf = (p: MassParams, n: number) => {
    const x = simulate(net, p, { steps: n, rng: Rng.fromSeed(1) }).observed;
    return mean(mul(x, x));
  };
  const gradient = () => {
    valueAndGrad((p: MassParams) => lossOf(p, steps))(params);
  };
  const rows: MassBenchRow[] = [];
  for (const [name, run, mode] of [
    ["M1 forward", forward, "forward"],
    ["M1 gradient", gradient, "gradient"],
  ] as const) {
    const ours: Timing[] = [];
    const theirs = new Map<TorchConfig, Timing[]>(TORCH_CONFIGS.map((c) => [c, []]));
    for (let r = 0; r < rounds; r++) {
      // As many timed runs per round as PyTorch gets over its configurations.
      ours.push(timeOurs(run, reps * TORCH_CONFIGS.length));
      if (!withTorch) continue;
      for (const config of TORCH_CONFIGS)
        theirs.get(config)?.push(torch(specPath, mode, steps, reps, config));
    }
    const best = (ts: readonly Timing[], key: keyof Timing) => Math.min(...ts.flatMap((t) => t[key]));
    // The peer's best configuration, by each measure.
    const peer = (key: keyof Timing) => {
      let at = { ms: NaN, config: "" };
      for (const [config, ts] of theirs) {
        const ms = ts.length > 0 ? best(ts, key) : NaN;
        if (!(ms >= at.ms)) at = { ms, config: config.name };
      }
      return at;
    };
    const [wall, cpu] = [peer("ms"), peer("cpuMs")];
    rows.push({
      name,
      oursMs: best(ours, "ms"),
      torchMs: wall.ms,
      oursCpuMs: best(ours, "cpuMs"),
      torchCpuMs: cpu.ms,
      note:
        `${steps} steps (${(steps * DT).toFixed(0)} ms of model time), ${N} nodes, ring ${net.ringLength}, ` +
        `best of ${rounds} interleaved rounds × ${reps * TORCH_CONFIGS.length} runs a side` +
        (withTorch ? `; PyTorch's best wall with ${wall.config}, best CPU with ${cpu.config}` : ""),
    });
  }
  if (withTorch) {
    // The same simulation: noise-free, float64, both sides' last readouts and gradients.
    const check = 300;
    const quiet = treeMap({ ...params, noise: { sigma: tensor(0, []) } }, (t) => cast(t, "float64"));
    const ours = simulate(net, quiet, { steps: check, rng: Rng.fromSeed(1) }).observed;
    const { grads } = valueAndGrad((p: MassParams) => lossOf(p, check))(quiet);
    const ref = JSON.parse(torchRun(specPath, ["check", check, 1], TORCH_CONFIGS[0] as TorchConfig)) as {
      x_last: number[];
      grads: Record<string, number>;
    };
    let diff = 0;
    ref.x_last.forEach(
      (v, i) => (diff = Math.max(diff, Math.abs(v - (ours.data[(check - 1) * N + i] as number)))),
    );
    const ourGrads: Record<string, Tensor | undefined> = { ...grads.model, ...grads.coupling };
    let gradDiff = 0;
    for (const [key, g] of Object.entries(ref.grads)) {
      const mine = ourGrads[key]?.data[0] ?? NaN;
      gradDiff = Math.max(gradDiff, Math.abs(mine - g) / Math.max(1e-12, Math.abs(g)));
    }
    rows.push({
      name: "M1 same simulation",
      oursMs: NaN,
      torchMs: NaN,
      oursCpuMs: NaN,
      torchCpuMs: NaN,
      note: `${check} steps noise-free in float64: max |x_T ours − PyTorch| = ${diff.toExponential(1)}, largest relative gradient difference (a, omega, beta, gain) = ${gradDiff.toExponential(1)}`,
    });
  }
  if (!options.quick) {
    const minute = 600_000; // 60 s of model time at 0.1 ms
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    simulate(net, params, { steps: minute, rng: Rng.fromSeed(2), every: 10 });
    const c = process.cpuUsage(c0);
    rows.push({
      name: "M1 one minute",
      oursMs: performance.now() - t0,
      torchMs: NaN,
      oursCpuMs: (c.user + c.system) / 1000,
      torchCpuMs: NaN,
      note: "60 s of model time, readouts averaged per ms",
    });
  }
  return rows;
}

/** One line of the report: times and the PyTorch / ours ratios, wall and CPU. */
export function formatMassRow(r: MassBenchRow): string {
  const ms = (x: number) => (Number.isNaN(x) ? "-" : x.toFixed(1));
  const ratio = r.torchMs / r.oursMs;
  const cpuRatio = r.torchCpuMs / r.oursCpuMs;
  const cpu = Number.isFinite(cpuRatio)
    ? `; CPU ours ${ms(r.oursCpuMs)} ms, PyTorch ${ms(r.torchCpuMs)} ms, ${cpuRatio.toFixed(1)}x`
    : Number.isFinite(r.oursCpuMs)
      ? `; CPU ours ${ms(r.oursCpuMs)} ms`
      : "";
  return `${r.name}: ours ${ms(r.oursMs)} ms, PyTorch ${ms(r.torchMs)} ms${Number.isFinite(ratio) ? `, PyTorch / ours ${ratio.toFixed(1)}x` : ""}${cpu} (${r.note})`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of benchMasses({ quick: process.argv.includes("--quick") })) console.log(formatMassRow(r));
}
