/**
 * braints as users get it: `npm pack`, installed into a fresh project outside the repository, then
 * used (a) from plain Node, (b) from TypeScript with ordinary settings, (c) from a Vite-built page
 * training in a Web Worker in Debian's Chromium, with and without cross-origin isolation; and
 * (d) checked by publint and "are the types wrong".
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** Chance is 0.5; 500 held-out trials put its standard error near 0.022, so 0.65 is no accident. */
const ACCURACY_BAR = 0.65;

let consumer: Consumer;
beforeAll(async () => {
  consumer = await packedConsumer();
}, 300_000);

describe("(a) a plain Node project", () => {
  it("imports braints, trains a leaky RNN and prints a falling loss", async () => {
    const out = jsonLines(succeeded(await exec(process.execPath, ["app.mjs"], join(consumer.dir, "node"))));
    expect(String(out[0]?.["backend"])).toMatch(/^wasm/);
    expectFalling(out.filter((l) => "epoch" in l).map((l) => l["loss"] as number));
    expect(out.at(-1)?.["accuracy"]).toBeGreaterThan(ACCURACY_BAR);
  }, 120_000);

  it("runs the braints command from compiled JavaScript, without tsx", async () => {
    expect(existsSync(join(consumer.dir, "node_modules/tsx"))).toBe(false);
    expect(existsSync(join(consumer.dir, "node_modules/esbuild"))).toBe(false);
    const help = succeeded(await exec("npx", ["--no-install", "braints", "--help"], consumer.dir));
    for (const command of ["train", "eval", "analyze", "report", "tasks"]) expect(help).toContain(command);
    const tasks = succeeded(await exec("npx", ["--no-install", "braints", "tasks"], consumer.dir));
    expect(tasks).toMatch(/^PerceptualDecisionMaking\s+Integrate a noisy motion stimulus/m);
  }, 60_000);

  it("says which Node it needs where process.getBuiltinModule is missing", async () => {
    // Node before 20.16 lacks process.getBuiltinModule; deleting it stands in for such a Node.
    const old = ["--import", "data:text/javascript,delete process.getBuiltinModule"];
    const message = /needs Node\.js >= 20\.16 .*got Node\.js \d+\.\d+/;
    const command = await exec(
      process.execPath,
      [...old, "node_modules/braints/bin/braints.js", "--help"],
      consumer.dir,
    );
    expect(command.code).toBe(1);
    expect(command.stderr).toMatch(message);
    const script = 'const b = await import("braints"); b.createBackend("wasm-mt");';
    const library = await exec(process.execPath, [...old, "--input-type=module", "-e", script], consumer.dir);
    expect(library.code).toBe(1);
    expect(library.stderr).toMatch(message);
  }, 60_000);
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
  }, 180_000);
});

describe.skipIf(!existsSync(CHROMIUM) && process.env["CI"] === undefined)(
  "(c) a Vite-built page training in a Web Worker, in Chromium",
  () => {
    let page: string;
    let browser: BrowserContext | undefined;
    beforeAll(async () => {
      const web = join(consumer.dir, "web");
      await build({ root: web, configFile: false, logLevel: "error" });
      page = join(web, "dist");
      browser = await launchChromium();
    }, 120_000);
    afterAll(() => browser?.close());

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
        const server = await serve(page, isolated);
        const tab = await (browser as BrowserContext).newPage();
        try {
          await tab.goto(server.url);
          // Generous: training takes 15-25 s here, but far longer when other jobs load both cores.
          const status = tab.locator("#status[data-state]");
          await status.waitFor({ timeout: 200_000 });
          expect(await status.getAttribute("data-state"), (await status.textContent()) ?? "").toBe("done");
          expect(await status.getAttribute("data-isolated")).toBe(String(isolated));
          expect(await status.getAttribute("data-backend")).toMatch(/^wasm/);
          expect(await status.getAttribute("data-threads")).toBe(isolated ? "2" : "1");
          const losses = await tab
            .locator("#epochs li")
            .evaluateAll((items) => items.map((li) => Number((li as HTMLElement).dataset["loss"])));
          expectFalling(losses);
          expect(Number(await status.getAttribute("data-accuracy"))).toBeGreaterThan(ACCURACY_BAR);
        } finally {
          await tab.close();
          await server.close();
        }
      }, 240_000);
    }
  },
);

describe("(d) package checks", () => {
  it("passes publint, warnings included", async () => {
    expect(succeeded(await exec(bin("publint"), ["run", consumer.tarball, "--strict"]))).toContain(
      "All good!",
    );
  }, 60_000);

  it('passes "are the types wrong" for ESM resolution (node16 and bundlers)', async () => {
    const args = [consumer.tarball, "--profile", "esm-only", "--no-definitely-typed", "--format", "ascii"];
    succeeded(await exec(bin("attw"), args));
  }, 60_000);
});
