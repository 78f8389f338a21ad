/**
 * braints as users get it: `npm pack`, installed into a fresh project outside the repository, then
 * used (a) from plain Node, (b) from TypeScript with ordinary settings, (c) from a Vite-built page
 * training in a Web Worker in Debian's Chromium, with and without cross-origin isolation;
 * (d) checked by publint and "are the types wrong"; and (e) bundled by webpack and esbuild with no
 * configuration beyond entry and output, the WebAssembly kernels found in a page and in Node.
 *
 * One tarball and one installed project serve every check, and the checks run concurrently: most
 * of their time is child processes (Node, tsc, Chromium) that wait on each other only for the CPU.
 */
import { copyFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { build as esbuild } from "esbuild";
import type { BrowserContext } from "playwright-core";
import { build as vite } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpack from "webpack";
import { CHROMIUM, launchChromium } from "../browser.ts";
import { type Consumer, type Exit, ROOT, exec, packedConsumer } from "./consumer.ts";
import { serve } from "./serve.ts";

const bin = (name: string) => join(ROOT, "node_modules/.bin", name);

/** The JSON lines a consumer printed. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Asserts a zero exit code, showing what the program printed otherwise. */
function succeeded(exit: Exit): string {
  expect(exit.code, exit.stdout + exit.stderr).toBe(0);
  return exit.stdout;
}

/** The mean training loss of each of the 4 epochs must fall: the last at most 3/4 of the first. */
function expectFalling(losses: readonly number[]): void {
  expect(losses.length).toBe(4);
  for (const loss of losses) expect(Number.isFinite(loss)).toBe(true);
  expect(losses.at(-1)).toBeLessThan(0.75 * (losses[0] as number));
}

/** What bundled/step.js reports: it ran its two epochs of training on the WebAssembly backend. */
function expectTrainedOnWasm(result: { backend?: unknown; losses?: unknown; error?: unknown }): void {
  expect(result.error).toBeUndefined();
  expect(String(result.backend)).toMatch(/^wasm/);
  expect(result.losses).toHaveLength(2);
  for (const loss of result.losses as number[]) expect(Number.isFinite(loss)).toBe(true);
}

/** Chance is 0.5; 500 held-out trials put its standard error near 0.022, so 0.65 is no accident. */
const ACCURACY_BAR = 0.65;

const withChromium = existsSync(CHROMIUM) || process.env["CI"] !== undefined;

let consumer: Consumer;
let chromium: Promise<BrowserContext> | undefined;
/** One Chromium for every page, started by the first that needs it. */
const browser = () => (chromium ??= launchChromium());

beforeAll(async () => {
  consumer = await packedConsumer();
}, 300_000);
afterAll(async () => (await chromium)?.close());

/** Serves `dir` (cross-origin isolated or not), opens it and waits for `#status[data-state]`. */
async function openPage<T>(
  dir: string,
  isolated: boolean,
  read: (status: ReturnType<Awaited<ReturnType<BrowserContext["newPage"]>>["locator"]>) => Promise<T>,
): Promise<T> {
  const server = await serve(dir, isolated);
  const tab = await (await browser()).newPage();
  try {
    await tab.goto(server.url);
    const status = tab.locator("#status[data-state]");
    // Generous: a page trains in seconds here, far longer when other jobs load both cores.
    await status.waitFor({ timeout: 200_000 });
    return await read(status);
  } finally {
    await tab.close();
    await server.close();
  }
}

describe.concurrent("braints from its packed tarball", () => {
  describe("(a) a plain Node project", () => {
    it("imports braints, trains a leaky RNN and prints a falling loss", async () => {
      const out = jsonLines(succeeded(await exec(process.execPath, ["app.mjs"], join(consumer.dir, "node"))));
      expect(String(out[0]?.["backend"])).toMatch(/^wasm/);
      expectFalling(out.filter((l) => "epoch" in l).map((l) => l["loss"] as number));
      expect(out.at(-1)?.["accuracy"]).toBeGreaterThan(ACCURACY_BAR);
    }, 240_000);

    it("runs the braints command from compiled JavaScript, without tsx", async () => {
      expect(existsSync(join(consumer.dir, "node_modules/tsx"))).toBe(false);
      expect(existsSync(join(consumer.dir, "node_modules/esbuild"))).toBe(false);
      const command = join(consumer.dir, "node_modules/.bin/braints");
      const [help, tasks] = await Promise.all([exec(command, ["--help"]), exec(command, ["tasks"])]);
      for (const name of ["train", "eval", "analyze", "report", "tasks"])
        expect(succeeded(help)).toContain(name);
      expect(succeeded(tasks)).toMatch(/^PerceptualDecisionMaking\s+Integrate a noisy motion stimulus/m);
    }, 120_000);

    it("says which Node it needs where process.getBuiltinModule is missing", async () => {
      // Node before 20.16 lacks process.getBuiltinModule; deleting it stands in for such a Node.
      const old = ["--import", "data:text/javascript,delete process.getBuiltinModule"];
      const message = /needs Node\.js >= 20\.16 .*got Node\.js \d+\.\d+/;
      const script = 'const b = await import("braints"); b.createBackend("wasm-mt");';
      const [command, library] = await Promise.all([
        exec(process.execPath, [...old, "node_modules/braints/bin/braints.js", "--help"], consumer.dir),
        exec(process.execPath, [...old, "--input-type=module", "-e", script], consumer.dir),
      ]);
      expect(command.code).toBe(1);
      expect(command.stderr).toMatch(message);
      expect(library.code).toBe(1);
      expect(library.stderr).toMatch(message);
    }, 120_000);
  });

  describe("(b) a TypeScript project (module NodeNext, strict, nothing else)", () => {
    it("type-checks against the shipped declarations, which need no Node types", async () => {
      expect(existsSync(join(consumer.dir, "node_modules/@types/node"))).toBe(false);
      const tsc = await exec(
        process.execPath,
        [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "ts"],
        consumer.dir,
      );
      expect(tsc.stdout + tsc.stderr).toBe("");
      expect(tsc.code).toBe(0);
    }, 240_000);
  });

  describe.skipIf(!withChromium)("(c) a Vite-built page training in a Web Worker, in Chromium", () => {
    let page: string;
    beforeAll(async () => {
      const web = join(consumer.dir, "web");
      await vite({ root: web, configFile: false, logLevel: "error" });
      page = join(web, "dist");
    }, 120_000);

    it("bundles to at most 300 kB of minified JavaScript, WebAssembly included", () => {
      const files = readdirSync(join(page, "assets"));
      expect(files.filter((f) => f.endsWith(".wasm"))).toEqual([]);
      const bytes = files.reduce((sum, f) => sum + statSync(join(page, "assets", f)).size, 0);
      expect(bytes).toBeLessThan(300_000);
    });

    for (const isolated of [false, true]) {
      const how = isolated
        ? "on a pool of two threads when cross-origin isolated"
        : "on one thread without cross-origin isolation";
      it(`trains with a falling loss ${how}`, async () => {
        await openPage(page, isolated, async (status) => {
          expect(await status.getAttribute("data-state"), (await status.textContent()) ?? "").toBe("done");
          expect(await status.getAttribute("data-isolated")).toBe(String(isolated));
          expect(await status.getAttribute("data-backend")).toMatch(/^wasm/);
          expect(await status.getAttribute("data-threads")).toBe(isolated ? "2" : "1");
          const losses = await status
            .page()
            .locator("#epochs li")
            .evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset["loss"])));
          expectFalling(losses);
          expect(Number(await status.getAttribute("data-accuracy"))).toBeGreaterThan(ACCURACY_BAR);
        });
      }, 300_000);
    }
  });

  describe("(d) package checks", () => {
    it("passes publint, warnings included", async () => {
      expect(succeeded(await exec(bin("publint"), ["run", consumer.tarball, "--strict"]))).toContain(
        "All good!",
      );
    }, 120_000);

    it('passes "are the types wrong" for ESM resolution (node16 and bundlers)', async () => {
      const args = [consumer.tarball, "--profile", "esm-only", "--no-definitely-typed", "--format", "ascii"];
      succeeded(await exec(bin("attw"), args));
    }, 120_000);
  });

  describe("(e) bundled by webpack and esbuild, the WebAssembly kernels found without configuration", () => {
    const source = () => join(consumer.dir, "bundled");

    /** Builds bundled/step.js with webpack 5's defaults for a page; returns the page's folder. */
    async function webpackPage(): Promise<string> {
      const out = join(source(), "webpack");
      const compiler = webpack({
        mode: "production",
        context: source(),
        entry: "./step.js",
        output: { path: out, filename: "main.js" },
      });
      const stats = await new Promise<webpack.Stats>((resolve, reject) =>
        compiler.run((error, result) => {
          compiler.close(() => (error || !result ? reject(error) : resolve(result)));
        }),
      );
      expect(stats.hasErrors(), stats.toString("errors-only")).toBe(false);
      expect(readdirSync(out).filter((f) => f.endsWith(".wasm"))).toEqual([]);
      copyFileSync(join(source(), "index.html"), join(out, "index.html"));
      return out;
    }

    /** Builds bundled/step.js with esbuild for `platform`; returns the output file. */
    async function esbuildBundle(platform: "browser" | "node"): Promise<string> {
      const outfile = join(source(), `esbuild-${platform}`, platform === "node" ? "main.mjs" : "main.js");
      await esbuild({
        entryPoints: [join(source(), "step.js")],
        bundle: true,
        minify: true,
        platform,
        format: platform === "node" ? "esm" : "iife",
        outfile,
        logLevel: "error",
      });
      if (platform === "browser") copyFileSync(join(source(), "index.html"), join(outfile, "../index.html"));
      return outfile;
    }

    const pageResult = (dir: string) =>
      openPage(dir, false, async (status) => JSON.parse((await status.textContent()) ?? "{}") as object);

    it.skipIf(!withChromium)(
      "webpack: a page trains on them in Chromium",
      async () => {
        expectTrainedOnWasm(await pageResult(await webpackPage()));
      },
      240_000,
    );

    it.skipIf(!withChromium)(
      "esbuild: a page trains on them in Chromium",
      async () => {
        expectTrainedOnWasm(await pageResult(join(await esbuildBundle("browser"), "..")));
      },
      240_000,
    );

    it("esbuild: a bundled Node script trains on them", async () => {
      const script = await esbuildBundle("node");
      expectTrainedOnWasm(jsonLines(succeeded(await exec(process.execPath, [script])))[0] ?? {});
    }, 240_000);
  });
});
