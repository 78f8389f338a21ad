/**
 * W1's training step in the playground page against the same step in Node, on this machine.
 *
 * The page (built with `npm run build:web` when web/dist is missing, served with COOP/COEP) runs the
 * step in its training worker on the browser's default backend; Node runs the very same step
 * (`makeW1` from bench/training.ts) on one WASM thread, as the page does, and on its default pool.
 * Rounds alternate page and Node; each side's fastest round counts. Then it times what made the
 * step slow in the page (see BENCHMARKS.md): allocating and filling fresh Float32Arrays of W1's
 * sizes ([T, B, H] and [H, H]), against filling kept ones, in a Web Worker of the page and in Node.
 * Prints one JSON line.
 *
 * Run: `npm run bench:playground` (options `--rounds=N`, `--steps=N`, `--js-flags=...` for the
 * page's V8, `--profile`: Chromium's CPU profile of one more page round, the training worker's
 * functions by self time; build the page with `vite build --minify false` for readable names).
 */
import { existsSync, mkdtempSync } from "node:fs";
import type { Page } from "playwright-core";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { build } from "vite";
import { createBackend, getBackend, setBackend } from "../src/index.ts";
import { servePlayground } from "../src/app/playground.ts";
import { makeW1 } from "./training.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const rounds = arg("rounds", 5);
const steps = arg("steps", 30);

/**
 * Best milliseconds, over 20 rounds of 10, to allocate and fill a fresh Float32Array of W1's
 * [T, B, H] = [100, 16, 128] floats (800 KiB) and of its [H, H] = [128, 128] floats (64 KiB, a
 * recurrent weight, its gradient and its Adam moments), and to fill a kept one: plain JavaScript,
 * evaluated as is in Node and in a Web Worker of the page.
 */
const ALLOCATION_PROBE = `(() => {
  const best = (n) => {
    const kept = new Float32Array(n);
    let fresh = Infinity, reused = Infinity;
    for (let r = 0; r < 20; r++) {
      let t = performance.now();
      for (let k = 0; k < 10; k++) new Float32Array(n).fill(k);
      fresh = Math.min(fresh, (performance.now() - t) / 10);
      t = performance.now();
      for (let k = 0; k < 10; k++) kept.fill(k);
      reused = Math.min(reused, (performance.now() - t) / 10);
    }
    return { freshMs: +fresh.toFixed(3), reusedMs: +reused.toFixed(3) };
  };
  return { "800KiB": best(100 * 16 * 128), "64KiB": best(128 * 128) };
})()`;

/** {@link ALLOCATION_PROBE} in a Web Worker of `page` (the training worker's kind of thread). */
const probeInWorker = (page: Page) =>
  page.evaluate(
    `new Promise((resolve) => {
      const source = "postMessage(" + ${JSON.stringify(ALLOCATION_PROBE)} + ")";
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
      worker.onmessage = (e) => { resolve(e.data); worker.terminate(); };
    })`,
  );

/** Runs the page's W1 bench once: its mean milliseconds per step. */
async function pageStep(page: Page): Promise<number> {
  await page.evaluate(() => delete document.getElementById("bench-result")?.dataset["value"]);
  await page.click("#bench");
  await page.waitForFunction(
    () => document.getElementById("bench-result")?.dataset["value"] !== undefined,
    null,
    { timeout: 300_000 },
  );
  return Number(await page.$eval("#bench-result", (e) => e.dataset["value"]));
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url?: string; readonly lineNumber?: number };
}
interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly id?: string;
  readonly args?: {
    readonly data?: {
      readonly cpuProfile?: { readonly nodes?: readonly ProfileNode[]; readonly samples?: readonly number[] };
      readonly timeDeltas?: readonly number[];
    };
  };
}

/**
 * Chromium's CPU profile of one page round (the trace's sampled profiles of every thread): the
 * training worker's functions by self milliseconds, the top 15.
 */
async function profileRound(page: Page): Promise<{ fn: string; ms: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  await cdp.send("Tracing.start", {
    categories: "disabled-by-default-v8.cpu_profiler",
    transferMode: "ReportEvents",
  });
  await pageStep(page);
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.end");
  await complete;
  await cdp.detach();
  const profiles = new Map<string, { nodes: Map<number, ProfileNode>; self: Map<string, number> }>();
  for (const e of events) {
    if (e.name !== "ProfileChunk" || e.id === undefined) continue;
    const p = profiles.get(e.id) ?? { nodes: new Map(), self: new Map() };
    profiles.set(e.id, p);
    const { cpuProfile, timeDeltas = [] } = e.args?.data ?? {};
    for (const n of cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
    // A sample's time is the gap to the next one; the chunk's last sample gets its own delta.
    (cpuProfile?.samples ?? []).forEach((id, i) => {
      const f = p.nodes.get(id)?.callFrame;
      const fn = f
        ? `${f.functionName || "(anonymous)"} ${f.url?.split("/").at(-1) ?? ""}:${f.lineNumber ?? ""}`
        : "?";
      p.self.set(fn, (p.self.get(fn) ?? 0) + (timeDeltas[i + 1] ?? timeDeltas[i] ?? 0) / 1000);
    });
  }
  // The training worker is the thread running the page's train.worker script; the pool's workers
  // run a Blob URL's script and spend their time blocked in Atomics.wait, sampled as busy.
  const inTrainer = (self: Map<string, number>) =>
    [...self].reduce((t, [fn, ms]) => t + (fn.includes("train.worker") ? ms : 0), 0);
  const busiest = [...profiles.values()].sort((a, b) => inTrainer(b.self) - inTrainer(a.self))[0]?.self;
  return [...(busiest ?? [])]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([fn, ms]) => ({ fn, ms: +ms.toFixed(1) }));
}

function nodeStep(backend: "wasm" | "wasm-mt"): { ms: number; name: string } {
  setBackend(createBackend(backend));
  const step = makeW1();
  for (let k = 0; k < 5; k++) step();
  const t0 = performance.now();
  for (let k = 0; k < steps; k++) step();
  return { ms: (performance.now() - t0) / steps, name: getBackend().name };
}

if (!existsSync(join(ROOT, "web", "dist", "index.html")))
  await build({ configFile: join(ROOT, "web", "vite.config.ts"), logLevel: "error" });
const server = await servePlayground(join(ROOT, "web", "dist"));
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "braints-bench-")), {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    // Chromium lowers the priority of renderers it deems in the background; on a busy machine that
    // would time the scheduler, not the page.
    "--disable-renderer-backgrounding",
    // e.g. --js-flags="--no-wasm-bounds-checks": V8 flags for the page, to test what its time is spent on.
    ...process.argv.filter((a) => a.startsWith("--js-flags=")),
  ],
});
try {
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset["backend"] !== undefined, null, { timeout: 60_000 });
  const best = { page: Infinity, node1: Infinity, nodeDefault: Infinity };
  let names = { page: "", node1: "", nodeDefault: "" };
  for (let r = 0; r < rounds; r++) {
    best.page = Math.min(best.page, await pageStep(page));
    const one = nodeStep("wasm");
    const many = nodeStep("wasm-mt");
    best.node1 = Math.min(best.node1, one.ms);
    best.nodeDefault = Math.min(best.nodeDefault, many.ms);
    names = {
      page: (await page.evaluate(() => document.body.dataset["backend"])) ?? "",
      node1: one.name,
      nodeDefault: many.name,
    };
  }
  const isolated = await page.evaluate(() => crossOriginIsolated);
  const allocation = { page: await probeInWorker(page), node: eval(ALLOCATION_PROBE) as unknown };
  const profile = process.argv.includes("--profile") ? { profile: await profileRound(page) } : {};
  console.log(
    JSON.stringify({
      workload: "W1",
      steps,
      rounds,
      pageMs: +best.page.toFixed(2),
      pageBackend: names.page,
      crossOriginIsolated: isolated,
      nodeOneThreadMs: +best.node1.toFixed(2),
      nodeDefaultMs: +best.nodeDefault.toFixed(2),
      nodeDefaultBackend: names.nodeDefault,
      pageOverNodeOneThread: +(best.page / best.node1).toFixed(2),
      pageOverNodeDefault: +(best.page / best.nodeDefault).toFixed(2),
      freshArray: allocation,
      ...profile,
    }),
  );
} finally {
  await context.close();
  await server.close();
}
