import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../examples/yang19-multitask.ts";

describe("Yang-19 multitask example (reduced size)", () => {
  it("learns the 20 tasks well above chance on held-out trials and writes its figures", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "braints-yang19-"));
    const result = await main({ size: "ci", outDir, seed: 0 });
    // Always fixating scores 0.5 on the 4 matching tasks and 0 on the rest (mean 0.10); a random
    // direction 1/16. 1,000 updates of 16 trials give about 0.37.
    expect(result.value).toBeGreaterThan(0.25);
    const go = ["go", "rtgo", "anti", "rtanti"].map((t) => result.extra?.[`yang19.${t}`] as number);
    expect(go.reduce((a, b) => a + b, 0) / go.length).toBeGreaterThan(0.3);
    for (const f of result.figures) {
      const svg = readFileSync(f, "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toContain("Yang-19:");
    }
    // Well under a minute alone on 2 cores; about 4 minutes at a load of 15.
  }, 400_000);
});
