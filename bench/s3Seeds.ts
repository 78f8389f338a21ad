/**
 * S3 over seeds, braints against PyTorch on the same trials: is the spread of the tutorial's recipe
 * over seeds the recipe's, or ours?
 *
 * For each seed (and fixation cue): braints trains the example's recipe (`trainS3`) and scores it on
 * 2,000 held-out trials as the example does (`evaluateTrials`); the same training windows (the
 * example's Dataset at that seed), held-out trials (the evaluation stream at that seed), braints'
 * initial and trained parameters are written to a temporary folder, and bench/s3_torch.py trains
 * the tutorial's PyTorch code on those windows from PyTorch's own initialisation (and, with
 * `--ours-init`, from braints' initial parameters), scores it on those trials, and scores braints'
 * trained parameters there too (the check that both sides run one network and score it one way).
 * Writes a JSON of every run and prints per-seed accuracies with mean, median and minimum.
 *
 * Run: `nice npx tsx bench/s3Seeds.ts --seeds=0-15 --cue=fixation,untilDecision [--ours-init]
 * [--steps=2000] [--torch-jobs=1] [--out=bench/s3-seeds.json]`. `--torch-jobs` PyTorch processes (1
 * thread each, at the niceness this script runs at) run beside one braints training at a time.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dataset, Rng, type Tensor, evaluateTrials, trialBatch } from "../src/index.ts";
import {
  S3_WINDOWS,
  type S3Params,
  s3Model,
  s3Task,
  trainS3,
} from "../examples/s3-perceptual-decision-rnn.ts";
import { PEER_ENV } from "./workloads.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = join(import.meta.dirname, "s3_torch.py");
const HELD_OUT = 2000;
/** evaluateTrials' chunk of trials drawn together (its default batchSize). */
const EVAL_CHUNK = 256;

type Cue = "fixation" | "untilDecision";

const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

function parseSeeds(spec: string): number[] {
  return spec.split(",").flatMap((part) => {
    const [a, b] = part.split("-").map(Number) as [number, number | undefined];
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

const bytes = (a: Float32Array | Int32Array): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** braints' parameters in the layout s3_torch.py reads. */
function paramsJson(p: S3Params): string {
  const list = (t: Tensor) => ({ shape: t.shape, data: Array.from(t.data) });
  return JSON.stringify({
    wIn: list(p.cell.wIn),
    wRec: list(p.cell.wRec),
    b: list(p.cell.b),
    wOut: list(p.readout.w),
    bOut: p.readout.b ? list(p.readout.b) : { shape: [p.readout.w.shape[1]], data: [] },
  });
}

/** Writes the example's training windows at `seed` and the held-out trials `evaluateTrials` scores. */
function exportTrials(dir: string, cue: Cue, seed: number, steps: number): void {
  const task = s3Task(cue);
  const { batchSize: B, seqLen: T } = S3_WINDOWS;
  const D = task.obDim;
  const dataset = new Dataset(task, { ...S3_WINDOWS, seed });
  const xs = new Float32Array(steps * T * B * D);
  const ys = new Int32Array(steps * T * B);
  for (let s = 0; s < steps; s++) {
    const w = dataset.next().value;
    xs.set(w.inputs, s * T * B * D);
    ys.set(w.target as Int32Array, s * T * B);
  }
  writeFileSync(join(dir, "train_x.f32"), bytes(xs));
  writeFileSync(join(dir, "train_y.i32"), bytes(ys));
  // The same draws as evaluateTrials(…, { nTrials: HELD_OUT, seed }): its stream, its chunks.
  const rng = Rng.fromSeed(seed).fold("eval");
  const chunks = [];
  for (let done = 0; done < HELD_OUT; done += EVAL_CHUNK) {
    chunks.push(trialBatch(task, rng, Math.min(EVAL_CHUNK, HELD_OUT - done)));
  }
  const testT = Math.max(...chunks.map((c) => c.T));
  const x = new Float32Array(testT * HELD_OUT * D);
  const step = new Int32Array(HELD_OUT);
  const y = new Int32Array(HELD_OUT);
  let n0 = 0;
  for (const c of chunks) {
    for (let b = 0; b < c.batchSize; b++) {
      for (let t = 0; t < c.T; t++) {
        const from = (t * c.batchSize + b) * D;
        x.set(c.inputs.subarray(from, from + D), (t * HELD_OUT + n0 + b) * D);
      }
      const info = c.trials[b]!;
      const last = (info.periods["decision"]?.end ?? 0) - 1;
      step[n0 + b] = last;
      y[n0 + b] = c.target[last * c.batchSize + b] as number;
    }
    n0 += c.batchSize;
  }
  writeFileSync(join(dir, "test_x.f32"), bytes(x));
  writeFileSync(join(dir, "test_step.i32"), bytes(step));
  writeFileSync(join(dir, "test_y.i32"), bytes(y));
  const meta = { seed, steps, seqLen: T, batch: B, obDim: D, nActions: task.nActions, hidden: 128, dtMs: 20 };
  writeFileSync(join(dir, "meta.json"), JSON.stringify({ ...meta, nTest: HELD_OUT, testT }));
}

interface TorchResult {
  readonly torch: { accuracy: number; loss: number[] };
  readonly oursInit?: { accuracy: number; loss: number[] };
  readonly oursTrained?: { accuracy: number };
}

function runTorch(dir: string, oursInit: boolean): Promise<TorchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, dir, ...(oursInit ? ["--ours-init"] : [])], {
      env: { ...process.env, ...PEER_ENV, OMP_NUM_THREADS: "1" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(out) as TorchResult)
        : reject(new Error(`s3_torch.py: ${code}\n${err}`)),
    );
  });
}

const per100 = (losses: readonly number[]): number[] =>
  Array.from(
    { length: Math.floor(losses.length / 100) },
    (_, i) => losses.slice(i * 100, i * 100 + 100).reduce((a, b) => a + b, 0) / 100,
  );

function summary(values: readonly number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const atBar = s.filter((v) => v >= 0.86).length;
  return `mean ${mean.toFixed(3)}, median ${median.toFixed(3)}, min ${s[0]!.toFixed(3)}, max ${s.at(-1)!.toFixed(3)}, >= 0.86 in ${atBar}/${s.length}`;
}

async function main(): Promise<void> {
  const seeds = parseSeeds(arg("seeds", "0-7"));
  const cues = arg("cue", "fixation").split(",") as Cue[];
  const steps = Number(arg("steps", "2000"));
  const out = arg("out", "bench/s3-seeds.json");
  const oursInit = process.argv.includes("--ours-init");
  const torchSeeds = new Set(parseSeeds(arg("torch-seeds", arg("seeds", "0-7"))));
  // The seeds PyTorch also runs come first, so that its processes start early.
  const runs = [true, false].flatMap((withTorch) =>
    seeds
      .filter((seed) => torchSeeds.has(seed) === withTorch)
      .flatMap((seed) => cues.map((cue) => ({ cue, seed, withTorch }))),
  );
  const rows: Record<string, unknown>[] = [];
  const pending: Promise<void>[] = [];
  // PyTorch processes running at once (one thread each).
  const lanes: Promise<unknown>[] = Array.from({ length: Number(arg("torch-jobs", "1")) }, () =>
    Promise.resolve(),
  );
  const save = () => writeFileSync(out, JSON.stringify({ steps, heldOut: HELD_OUT, rows }, null, 1) + "\n");
  for (const { cue, seed, withTorch } of runs) {
    const task = s3Task(cue);
    const model = s3Model(task);
    const t0 = performance.now();
    const state = trainS3(task, seed, steps);
    const seconds = (performance.now() - t0) / 1000;
    const accuracy = evaluateTrials(model, state.params, task, { nTrials: HELD_OUT, seed }).accuracy;
    const row: Record<string, unknown> = {
      cue,
      seed,
      ours: { accuracy, seconds, loss: per100(state.history.steps.map((s) => s.loss)) },
    };
    rows.push(row);
    save();
    console.log(`${cue} seed ${seed}: ours ${accuracy.toFixed(4)} (${seconds.toFixed(1)} s)`);
    if (withTorch) {
      const dir = mkdtempSync(join(tmpdir(), "braints-s3seeds-"));
      exportTrials(dir, cue, seed, steps);
      writeFileSync(join(dir, "init.json"), paramsJson(model.init(Rng.fromSeed(seed).fold("init"))));
      writeFileSync(join(dir, "ours.json"), paramsJson(state.params));
      const lane = rows.length % lanes.length;
      const job = lanes[lane]!.then(() => runTorch(dir, oursInit));
      lanes[lane] = job.catch(() => undefined);
      pending.push(
        job
          .then((r) => {
            Object.assign(row, r);
            const init = r.oursInit ? `, PyTorch from our init ${r.oursInit.accuracy.toFixed(4)}` : "";
            console.log(
              `${cue} seed ${seed}: PyTorch ${r.torch.accuracy.toFixed(4)}${init}; ours scored by PyTorch ${r.oursTrained?.accuracy.toFixed(4)}`,
            );
            save();
          })
          .finally(() => rmSync(dir, { recursive: true, force: true })),
      );
    }
    // Lets finished PyTorch jobs report and queued ones start before the next (synchronous) training.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(pending);
  for (const cue of cues) {
    const of = (key: "ours" | "torch" | "oursInit") =>
      rows.filter((r) => r["cue"] === cue && r[key]).map((r) => (r[key] as { accuracy: number }).accuracy);
    console.log(`\n${cue}: braints ${summary(of("ours"))}`);
    console.log(`${cue}: PyTorch ${summary(of("torch"))}`);
    if (oursInit) console.log(`${cue}: PyTorch from braints' init ${summary(of("oursInit"))}`);
  }
}

await main();
