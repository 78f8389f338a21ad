import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main as hopf } from "../../examples/nm-hopf.ts";
import { main as jansenRit } from "../../examples/nm-jansen-rit.ts";
import { main as kuramoto } from "../../examples/nm-kuramoto.ts";
import { main as wholeBrain } from "../../examples/nm-whole-brain.ts";
import { main as wongWang } from "../../examples/nm-wong-wang.ts";

const options = () => ({ size: "ci" as const, outDir: mkdtempSync(join(tmpdir(), "braints-nm-")), seed: 0 });

describe("neural-mass case studies (reduced size)", () => {
  it("Hopf: amplitude √a above a = 0, BPTT gradient equals finite differences, a recovered", () => {
    const r = hopf(options());
    const extra = r.extra ?? {};
    expect(extra["amplitudeError"]).toBeLessThan(0.01);
    expect(extra["gradientError"]).toBeLessThan(1e-4);
    expect(r.value).toBeLessThan(0.01);
    expect(r.passed).toBe(true);
  });

  it("Jansen–Rit: an alpha-band peak, and C recovered by gradient and by CMA-ES", () => {
    const r = jansenRit(options());
    expect(r.value).toBeGreaterThan(8);
    expect(r.value).toBeLessThan(12);
    const extra = r.extra ?? {};
    expect(Math.abs((extra["cGradient"] as number) - 135)).toBeLessThan(1.35);
    expect(Math.abs((extra["cCmaes"] as number) - 135)).toBeLessThan(1.35);
  });

  it("Kuramoto: incoherent below K_c = 2γ, R = sqrt(1 − K_c/K) above", () => {
    const r = kuramoto(options());
    const extra = r.extra ?? {};
    expect(r.value).toBeLessThan(0.1);
    expect(extra["theoryGap"]).toBeLessThan(0.05);
    expect(extra["subcriticalR"]).toBeLessThan(2 * (extra["oneOverSqrtN"] as number));
  });

  it("Wong–Wang: accuracy rises and reaction time falls with coherence; chance at 0%", () => {
    const r = wongWang(options());
    const extra = r.extra ?? {};
    expect(r.value).toBeGreaterThanOrEqual(0.95);
    expect(extra["accuracy12.8"]).toBeGreaterThan(0.75);
    expect(extra["accuracy12.8"]).toBeLessThan(r.value);
    expect(extra["chose1At0"]).toBeGreaterThan(0.3);
    expect(extra["chose1At0"]).toBeLessThan(0.7);
    expect(extra["rt51.2"]).toBeLessThan(extra["rt12.8"] as number);
    expect(extra["rt12.8"]).toBeLessThan(extra["rt0"] as number);
    expect(extra["decidedBeforeStimulus"]).toBe(0);
  });

  it("whole brain: global coupling and noise recovered from an FC whose noise the fit never simulated", () => {
    const r = wholeBrain(options());
    const extra = r.extra ?? {};
    const subjects = String(extra["subjectSeeds"]).split(",").map(Number);
    expect(subjects.length).toBeGreaterThan(1);
    expect(subjects).not.toContain(extra["fitSeed"]);
    expect(extra["independent"]).toBe("true");
    expect(extra["gainError"]).toBeLessThan(0.1);
    expect(extra["sigmaError"]).toBeLessThan(0.1);
    expect(r.passed).toBe(true);
  });
});
