/**
 * W1's training step in the playground page against the same step in Node, on this machine.
 *
 * The page (built with `npm run build:web` when web/dist is missing, served with COOP/COEP) runs the
 * step in its training worker on the browser's default backend; Node runs the very same step
 * (`makeW1` from bench/training.ts) on one WASM thread, as the page does, and on its default pool.
 * Rounds alternate page and Node; each side's fastest round counts. Prints one JSON line.
 *
 * Run: `npm run bench:playground` (options `--rounds=N`, `--steps=N`, `--js-flags=...` for the page's V8).
 */
import { existsSync, mkdtempSync } from "node:fs";
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
    await page.evaluate(() => delete document.getElementById("bench-result")?.dataset["value"]);
    await page.click("#bench");
    await page.waitForFunction(
      () => document.getElementById("bench-result")?.dataset["value"] !== undefined,
      null,
      {
        timeout: 300_000,
      },
    );
    best.page = Math.min(best.page, Number(await page.$eval("#bench-result", (e) => e.dataset["value"])));
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
    }),
  );
} finally {
  await context.close();
  await server.close();
}
