/**
 * The integrators: orders of convergence on an ODE with a closed-form solution (the Hopf normal
 * form), and the stochastic schemes' stationary statistics on linear SDEs, where each scheme's
 * discrete stationary variance is known exactly.
 */
import { describe, expect, it } from "vitest";
import { Rng, type Tensor, massNetwork, runCell, simulate, treeMap, cast, zeros } from "../../src/index.ts";

const f64 = <T extends Parameters<typeof treeMap>[0]>(t: T) => treeMap(t, (x) => cast(x, "float64")) as T;

/** Hopf with β = 1, a > 0: r² = a r0² / (r0² + (a − r0²) e^{−2at}), θ = θ0 + ω t. */
function hopfExact(a: number, omega: number, r0: number, t: number): [number, number] {
  const r = Math.sqrt((a * r0 * r0) / (r0 * r0 + (a - r0 * r0) * Math.exp(-2 * a * t)));
  return [r * Math.cos(omega * t), r * Math.sin(omega * t)];
}

function hopfError(integrator: "euler" | "heun" | "rk4", dt: number): number {
  const [a, omega, r0, end] = [1, 2, 0.5, 2];
  const net = massNetwork({
    model: "hopf",
    dt,
    integrator,
    parameters: { a, omega },
    initial: { x: r0, y: 0 },
    observe: ["x", "y"],
  });
  const steps = Math.round(end / dt);
  const out = simulate(net, f64(net.init(Rng.fromSeed(0))), { steps }).observed;
  const [x, y] = [out.data[(steps - 1) * 2] as number, out.data[(steps - 1) * 2 + 1] as number];
  const [ex, ey] = hopfExact(a, omega, r0, end);
  return Math.hypot(x - ex, y - ey);
}

describe("deterministic integrators on the Hopf normal form", () => {
  for (const [integrator, order] of [
    ["euler", 1],
    ["heun", 2],
    ["rk4", 4],
  ] as const) {
    it(`${integrator} converges with order ${order}`, () => {
      const errors = [0.04, 0.02, 0.01].map((dt) => hopfError(integrator, dt));
      const orders = [Math.log2(errors[0]! / errors[1]!), Math.log2(errors[1]! / errors[2]!)];
      expect(Math.abs(orders[1]! - order)).toBeLessThan(0.1);
      expect(Math.abs(orders[0]! - order)).toBeLessThan(0.25);
    });
  }
});

/** Variance over batch rows and time after a burn-in, of x in the recorded `[T, B, 1]` trace. */
function stationaryVariance(xs: Tensor, burnIn: number): number {
  const [T, B] = xs.shape as [number, number];
  let s = 0;
  let s2 = 0;
  let n = 0;
  for (let t = burnIn; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const v = xs.data[t * B + b] as number;
      s += v;
      s2 += v * v;
      n++;
    }
  }
  return s2 / n - (s / n) ** 2;
}

describe("stochastic integrators on dx = a x dt + σ dW", () => {
  // Both schemes are linear recursions x' = A x + C ξ with stationary variance C² / (1 − A²):
  // Euler–Maruyama  A = 1 + a dt,             C = σ √dt
  // stochastic Heun A = 1 + a dt + (a dt)²/2, C = σ √dt (1 + a dt / 2)
  // With a = −1, σ = 0.5, dt = 0.2: 0.05/0.36 = 0.13889 and 0.0405/0.3276 = 0.12363 (exact SDE: 0.125).
  const [a, sigma, dt] = [-1, 0.5, 0.2];
  const variance = (integrator: "euler" | "heun") => {
    const net = massNetwork({
      model: "hopf",
      dt,
      integrator,
      parameters: { a, omega: 0, beta: 0 },
      initial: { x: 0, y: 0 },
      noise: { sigma, into: ["x"] },
      observe: ["x"],
    });
    const out = simulate(net, net.init(Rng.fromSeed(0)), { steps: 400, batch: 2000, rng: Rng.fromSeed(7) });
    return stationaryVariance(out.observed, 100);
  };
  const expected = {
    euler: (sigma ** 2 * dt) / (1 - (1 + a * dt) ** 2),
    heun: (sigma ** 2 * dt * (1 + (a * dt) / 2) ** 2) / (1 - (1 + a * dt + (a * dt) ** 2 / 2) ** 2),
  };

  it("Euler–Maruyama reaches its discrete stationary variance", () => {
    const v = variance("euler");
    expect(Math.abs(v / expected.euler - 1)).toBeLessThan(0.03);
    expect(Math.abs(v / expected.heun - 1)).toBeGreaterThan(0.06);
  });

  it("stochastic Heun reaches its own, closer to the SDE's σ²/2|a|", () => {
    const v = variance("heun");
    expect(Math.abs(v / expected.heun - 1)).toBeLessThan(0.03);
    expect(Math.abs(v / expected.euler - 1)).toBeGreaterThan(0.06);
  });
});

describe("Ornstein–Uhlenbeck noise", () => {
  it("is a unit-variance process with autocorrelation e^{−lag·dt/τ}, entering scaled by σ", () => {
    const [sigma, tau, dt] = [0.3, 2, 0.5];
    const net = massNetwork({
      model: "kuramoto",
      dt,
      noise: { kind: "ou", sigma, tau, into: ["theta"] },
    });
    const params = net.init(Rng.fromSeed(0));
    const B = 500;
    const T = 300;
    const run = runCell(net, params, zeros([T, B, 0]), {
      rng: Rng.fromSeed(3),
      record: ["noise.theta", "theta"],
      fused: false,
    });
    const eta = run.traces["noise.theta"] as Tensor; // [T, B, 1]
    const theta = run.traces["theta"] as Tensor;
    const at = (t: number, b: number) => eta.data[t * B + b] as number;
    let v = 0;
    let c = 0;
    let drift = 0;
    let n = 0;
    const lag = 2;
    for (let t = 50; t < T - lag; t++) {
      for (let b = 0; b < B; b++) {
        v += at(t, b) ** 2;
        c += at(t, b) * at(t + lag, b);
        // dθ/dt = ω + σ η with ω = 0: each step moves θ by dt · σ · η (η of the step's start).
        drift += (((theta.data[(t + 1) * B + b] as number) - (theta.data[t * B + b] as number)) / dt) ** 2;
        n++;
      }
    }
    expect(Math.abs(v / n - 1)).toBeLessThan(0.03);
    expect(Math.abs(c / v - Math.exp((-lag * dt) / tau))).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(drift / n) / sigma - 1)).toBeLessThan(0.03);
  });
});
