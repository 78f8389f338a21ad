import { describe, expect, it } from "vitest";
import {
  bifurcationSweep,
  classifyPlanar,
  fitzHughNagumo,
  hopf,
  jansenRit,
  massNetwork,
  phasePlane,
} from "../../src/index.ts";

describe("phase planes", () => {
  it("FitzHugh–Nagumo at I = 0: one stable rest state, found by hand at v ≈ −1.1994", () => {
    const pp = phasePlane(fitzHughNagumo, { x: [-2.5, 2.5], y: [-1.5, 2], grid: 61 });
    expect(pp.variables).toEqual(["v", "w"]);
    expect(pp.fixedPoints.length).toBe(1);
    const fp = pp.fixedPoints[0]!;
    // v − v³/3 = (v + 0.7)/0.8: solved by bisection by hand to v = −1.19941, w = (v + 0.7)/0.8
    expect(fp.x).toBeCloseTo(-1.19941, 4);
    expect(fp.y).toBeCloseTo((fp.x + 0.7) / 0.8, 8);
    expect(fp.stability).toMatch(/^stable/);
    // the w-nullcline is the line w = (v + 0.7) / 0.8; marching squares is exact for a linear field
    for (const [x1, y1] of pp.nullclines.y) expect(y1).toBeCloseTo(((x1 as number) + 0.7) / 0.8, 8);
    // the v-nullcline is the cubic w = v − v³/3, to grid resolution
    for (const [x1, y1] of pp.nullclines.x) {
      expect(Math.abs((y1 as number) - ((x1 as number) - (x1 as number) ** 3 / 3))).toBeLessThan(0.01);
    }
    expect(pp.nullclines.x.length).toBeGreaterThan(50);
  });

  it("FitzHugh–Nagumo at I = 0.5 has lost stability (an unstable focus inside the limit cycle)", () => {
    const pp = phasePlane(fitzHughNagumo, { x: [-2.5, 2.5], y: [-1.5, 2.5], parameters: { I: 0.5 } });
    expect(pp.fixedPoints.map((f) => f.stability)).toEqual(["unstable focus"]);
  });

  it("Hopf: the origin has eigenvalues a ± iω", () => {
    for (const a of [-0.1, 0.25]) {
      const [fp] = phasePlane(hopf, { x: [-1, 1], y: [-1, 1], parameters: { a } }).fixedPoints;
      expect(fp?.x).toBeCloseTo(0, 8);
      expect(fp?.eigenvalues[0]?.re).toBeCloseTo(a, 6);
      expect(Math.abs(fp?.eigenvalues[0]?.im as number)).toBeCloseTo(0.2, 6);
      expect(fp?.stability).toBe(a < 0 ? "stable focus" : "unstable focus");
    }
  });

  it("classifies by trace and determinant", () => {
    expect(classifyPlanar([-1, 0, 0, -2]).stability).toBe("stable node");
    expect(classifyPlanar([1, 0, 0, -2]).stability).toBe("saddle");
    expect(classifyPlanar([0, -1, 1, 0]).stability).toBe("center");
    expect(classifyPlanar([1, 0, 0, 2]).stability).toBe("unstable node");
  });

  it("refuses models that are not planar, and unknown parameters", () => {
    expect(() => phasePlane(jansenRit, { x: [0, 1], y: [0, 1] })).toThrow(
      /has 6 variables .* phase planes need 2/,
    );
    expect(() => phasePlane(hopf, { x: [0, 1], y: [0, 1], parameters: { c: 1 } })).toThrow(
      /no parameter "c"/,
    );
  });
});

describe("bifurcation sweep", () => {
  it("Hopf: amplitude 0 below a = 0 and √a above, with the origin's stability flipping", () => {
    const net = massNetwork({ model: "hopf", dt: 0.1, observe: ["x"], initial: { x: 0.1 } });
    const values = [-0.2, -0.1, 0.04, 0.09, 0.25];
    const points = bifurcationSweep(net, {
      parameter: "a",
      values,
      steps: 8000,
      plane: { x: [-1, 1], y: [-1, 1] },
    });
    for (const p of points) {
      const amplitude = p.value > 0 ? Math.sqrt(p.value) : 0;
      expect(p.max).toBeCloseTo(amplitude, 2);
      expect(p.min).toBeCloseTo(-amplitude, 2);
      expect(p.fixedPoints?.[0]?.stability).toBe(p.value < 0 ? "stable focus" : "unstable focus");
    }
    expect(() => bifurcationSweep(net, { parameter: "q", values, steps: 10 })).toThrow(
      /one of a, omega, beta/,
    );
  });
});
