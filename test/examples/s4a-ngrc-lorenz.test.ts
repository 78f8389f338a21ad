import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../examples/s4a-ngrc-lorenz.ts";
import { countItems, titles } from "../plot/svg.ts";

describe("S4a: NG-RC on Lorenz (reduced size)", () => {
  it("forecasts one step ahead almost exactly, degrades with the horizon, and plots all forecasts", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "braints-s4a-"));
    const result = await main({ size: "ci", outDir, seed: 0 });
    expect(result.example).toBe("S4a");
    // The series has variance ~60 per coordinate; one step ahead must be off by ~1e-5 at most.
    expect(result.value).toBeLessThan(1e-9);
    expect(result.passed).toBe(true);
    const extra = result.extra ?? {};
    expect(extra["features"]).toBe(91);
    expect(extra["testMse10"]).toBeGreaterThan(result.value);
    expect(extra["testMse100"]).toBeGreaterThan(extra["testMse10"] as number);

    expect(result.figures.map((f) => f.slice(outDir.length + 1))).toEqual([
      "fit-train-1step.svg",
      "forecast-test-1step.svg",
      "forecast-test-10step.svg",
      "forecast-test-100step.svg",
    ]);
    for (const path of result.figures) {
      const svg = readFileSync(path, "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(titles(svg).filter((t) => /^NG-RC on Lorenz: \d+-step-ahead/.test(t))).toHaveLength(1);
      // truth and prediction for x, y and z
      expect(countItems(svg, "line")).toBe(6);
    }
  });
});
