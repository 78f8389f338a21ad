import { describe, expect, it } from "vitest";
import { mackeyGlassSeries, modifiedLuChenSeries } from "./delayed.ts";
import { flowSeries, flows, lorenz, rossler } from "./flows.ts";
import { henonMapSeries, logisticMapSeries } from "./maps.ts";
import { integrate, stepCount } from "./ode.ts";

describe("integration", () => {
  it("counts steps like arange(0, duration, dt) and excludes the initial state", () => {
    expect(stepCount(100, 0.01)).toBe(10000);
    expect(stepCount(1, 0.3)).toBe(4);
    const s = flowSeries(lorenz, 0.05, { dt: 0.01 });
    expect(Array.from(s.ts)).toEqual([0.01, 0.02, 0.03, 0.04, 0.05].map((t, i) => (i + 1) * 0.01 + 0 * t));
    expect(s.vars["x"]![0]).not.toBe(8);
  });

  it("rk4 is fourth-order accurate on ẋ = −x", () => {
    const err = (dt: number): number => {
      let last = 0;
      integrate(
        (_t, x, o) => (o[0] = -(x[0] as number)),
        [1],
        dt,
        Math.round(1 / dt),
        "rk4",
        (_i, x) => {
          last = x[0] as number;
        },
      );
      return Math.abs(last - Math.exp(-1));
    };
    expect(err(0.1) / err(0.05)).toBeGreaterThan(14);
    expect(err(0.1) / err(0.05)).toBeLessThan(18);
  });
});

describe("chaotic flows", () => {
  it("Lorenz stays on its attractor (dt 0.01, 100 time units)", () => {
    const { vars } = flowSeries(lorenz, 100, { dt: 0.01 });
    const z = vars["z"]!;
    expect(z).toHaveLength(10000);
    expect(Math.max(...z)).toBeLessThan(50);
    expect(Math.min(...z)).toBeGreaterThan(0);
    expect(Math.max(...vars["x"]!)).toBeGreaterThan(15);
    expect(Math.min(...vars["x"]!)).toBeLessThan(-15);
  });

  it("Rössler keeps its spiral band and every flow stays finite over its default run", () => {
    const r = flowSeries(rossler, 200);
    expect(Math.max(...r.vars["x"]!.slice(5000))).toBeLessThan(15);
    expect(Math.min(...r.vars["x"]!.slice(5000))).toBeLessThan(-5);
    for (const f of Object.values(flows)) {
      const s = flowSeries(f as typeof lorenz, 2000 * f.dt);
      for (const v of f.variables) expect(s.vars[v]!.every(Number.isFinite), `${f.name}.${v}`).toBe(true);
    }
  });

  it("names bad parameters", () => {
    expect(() => flowSeries(lorenz, 1, { rh0: 3 } as never)).toThrow(
      "lorenzSeries: unknown parameter 'rh0'; parameters are sigma, rho, beta",
    );
    expect(() => flowSeries(lorenz, 1, { init: [1, 2] })).toThrow(
      "lorenzSeries: init must have 3 values (x, y, z), got 2",
    );
  });
});

describe("delayed systems", () => {
  it("Mackey–Glass is seeded, positive and oscillates", () => {
    const a = mackeyGlassSeries(100);
    const b = mackeyGlassSeries(100);
    expect(a.vars.x).toHaveLength(1000);
    expect(Array.from(a.vars.x)).toEqual(Array.from(b.vars.x));
    const tail = a.vars.x.slice(500);
    expect(Math.min(...tail)).toBeGreaterThan(0);
    expect(Math.max(...tail) - Math.min(...tail)).toBeGreaterThan(0.5);
    // x_tau lags x by tau = 2 (20 steps).
    expect(a.vars.xTau[100]).toBe(a.vars.x[80]);
  });

  it("modified Lü–Chen stays finite", () => {
    const s = modifiedLuChenSeries(5);
    expect(s.vars.z.every(Number.isFinite)).toBe(true);
  });
});

describe("maps", () => {
  it("Hénon and logistic iterate from their initial values", () => {
    const h = henonMapSeries(3);
    expect(h.vars.x[0]).toBe(1);
    expect(h.vars.x[1]).toBeCloseTo(-0.4, 12);
    expect(h.vars.x[2]).toBeCloseTo(1 - 1.4 * 0.16 + 0.3, 12);
    expect(h.vars.y[1]).toBe(0.3);
    expect(h.vars.y[2]).toBeCloseTo(-0.12, 12);
    const l = logisticMapSeries(2000);
    expect(l.vars.x[0]).toBeCloseTo(0.48, 12);
    expect(l.vars.x[1999]).toBeCloseTo(2 / 3, 1);
  });
});
