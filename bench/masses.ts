/**
 * Neural-mass network speed beside PyTorch eager (`bench/masses_torch.py`, the same simulation):
 * 68 Hopf nodes on a random geometric connectome with conduction delays, diffusive coupling,
 * Heun's method with white noise, forward and forward + gradient of mean(x²) with respect to the
 * parameters. Rounds alternate ours and PyTorch; each side's figure is its fastest round. PyTorch
 * runs at its faster thread count (1 and 2 are tried in the first round). Each side also reports
 * its process CPU time per run (median), which other jobs on a loaded machine inflate far less than
 * wall time. Also times a minute of model time.
 *
 * Run standalone: `npx tsx bench/masses.ts [--quick]`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "../src/base/random.ts";
import { cast, mean, mul, tensor, treeMap, valueAndGrad } from "../src/core/index.ts";
import { delaySteps } from "../src/models/mass/connectome.ts";
import { randomGeometricConnectome } from "../src/models/mass/generators.ts";
import { type MassParams, massNetwork } from "../src/models/mass/network.ts";
import { simulate } from "../src/models/mass/simulate.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./masses_torch.py", import.meta.url));

export interface MassBenchRow {
  readonly name: string;
  readonly oursMs: number;
  readonly torchMs: number;
  /** CPU time per run, each side's fastest round (NaN where not measured). */
  readonly oursCpuMs: number;
  readonly torchCpuMs: number;
  readonly note: string;
}

/** Wall and CPU milliseconds per run. */
interface Timing {
  readonly ms: number;
  readonly cpuMs: number;
}

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
    params: PARAMS,
    x0: 0.1,
    y0: 0,
  };
  return { net, spec };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/** Medians of `reps` timed runs after `warmup` untimed ones (the engine optimises the kernel over several runs). */
function timeOurs(run: () => void, reps: number, warmup = 6): Timing {
  for (let i = 0; i < warmup; i++) run();
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    run();
    const c = process.cpuUsage(c0);
    ms.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(ms), cpuMs: median(cpu) };
}

function torch(specPath: string, mode: string, steps: number, reps: number, threads: number): Timing {
  const out = execFileSync(PYTHON, [SCRIPT, specPath, mode, String(steps), String(reps), String(threads)], {
    encoding: "utf8",
  });
  const r = JSON.parse(out.trim().split("\n").at(-1) as string) as {
    ms_median: number;
    cpu_ms_median: number;
  };
  return { ms: r.ms_median, cpuMs: r.cpu_ms_median };
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
  let threads: number | undefined; // PyTorch's faster thread count, found in the first round
  const params = net.init(Rng.fromSeed(0)) as MassParams;
  const forward = () => {
    simulate(net, params, { steps, rng: Rng.fromSeed(1) });
  };
  const gradient = () => {
    valueAndGrad((p: MassParams) => {
      const x = simulate(net, p, { steps, rng: Rng.fromSeed(1) }).observed;
      return mean(mul(x, x));
    })(params);
  };
  const rows: MassBenchRow[] = [];
  for (const [name, run, mode] of [
    ["M1 forward", forward, "forward"],
    ["M1 gradient", gradient, "gradient"],
  ] as const) {
    const ours: Timing[] = [];
    const theirs: Timing[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(timeOurs(run, reps));
      if (withTorch && threads === undefined) {
        const [one, two] = [torch(specPath, mode, steps, reps, 1), torch(specPath, mode, steps, reps, 2)];
        threads = one.ms <= two.ms ? 1 : 2;
        theirs.push(threads === 1 ? one : two);
      } else if (withTorch) {
        theirs.push(torch(specPath, mode, steps, reps, threads as number));
      }
    }
    const best = (ts: Timing[], key: keyof Timing) =>
      ts.length > 0 ? Math.min(...ts.map((t) => t[key])) : NaN;
    rows.push({
      name,
      oursMs: best(ours, "ms"),
      torchMs: best(theirs, "ms"),
      oursCpuMs: best(ours, "cpuMs"),
      torchCpuMs: best(theirs, "cpuMs"),
      note: `${steps} steps (${(steps * DT).toFixed(0)} ms of model time), ${N} nodes, ring ${net.ringLength}${withTorch ? `, PyTorch on ${threads} thread(s)` : ""}`,
    });
  }
  if (withTorch) {
    // The same simulation: noise-free, float64, both sides' last readouts.
    const check = 300;
    const quiet = treeMap({ ...params, noise: { sigma: tensor(0, []) } }, (t) => cast(t, "float64"));
    const ours = simulate(net, quiet, { steps: check, rng: Rng.fromSeed(1) }).observed;
    const out = execFileSync(PYTHON, [SCRIPT, specPath, "check", String(check), "1", "1"], {
      encoding: "utf8",
    });
    const xLast = (JSON.parse(out.trim().split("\n").at(-1) as string) as { x_last: number[] }).x_last;
    let diff = 0;
    xLast.forEach(
      (v, i) => (diff = Math.max(diff, Math.abs(v - (ours.data[(check - 1) * N + i] as number)))),
    );
    rows.push({
      name: "M1 same simulation",
      oursMs: NaN,
      torchMs: NaN,
      oursCpuMs: NaN,
      torchCpuMs: NaN,
      note: `max |x_T ours − PyTorch| = ${diff.toExponential(1)}`,
    });
  }
  if (!options.quick) {
    const minute = 600_000; // 60 s of model time at 0.1 ms
    const t0 = performance.now();
    simulate(net, params, { steps: minute, rng: Rng.fromSeed(2), every: 10 });
    rows.push({
      name: "M1 one minute",
      oursMs: performance.now() - t0,
      torchMs: NaN,
      oursCpuMs: NaN,
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
    : "";
  return `${r.name}: ours ${ms(r.oursMs)} ms, PyTorch ${ms(r.torchMs)} ms${Number.isFinite(ratio) ? `, PyTorch / ours ${ratio.toFixed(1)}x` : ""}${cpu} (${r.note})`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of benchMasses({ quick: process.argv.includes("--quick") })) console.log(formatMassRow(r));
}
