/**
 * Delay-differential series (Mackey–Glass, modified Lü–Chen). As in BrainPy, a delayed value
 * `x(t − τ)` is read from the grid of stored steps by rounding to the nearest stored time.
 */
import { Rng } from "../../base/random.ts";
import { ValueError } from "../../base/errors.ts";
import { type Integrator, type Series, integrate, stepCount } from "./ode.ts";

/** A history of one delayed variable on the time grid, with a prehistory before t = 0. */
class DelayLine {
  private readonly values: Float64Array;
  constructor(
    private readonly dt: number,
    private readonly lag: number,
    nSteps: number,
    prehistory: (k: number) => number,
  ) {
    this.values = new Float64Array(lag + nSteps + 1);
    for (let k = 0; k <= lag; k++) this.values[k] = prehistory(k);
  }
  /** Stores the value at grid step `i` (time `i·dt`). */
  set(i: number, v: number): void {
    this.values[this.lag + i] = v;
  }
  /** The stored value nearest to time `t − τ`. */
  delayed(t: number, tau: number): number {
    const k = Math.round((t - tau) / this.dt);
    return this.values[Math.max(0, this.lag + k)] as number;
  }
}

/** Options of {@link mackeyGlassSeries}. */
export interface MackeyGlassOptions {
  readonly beta?: number;
  readonly gamma?: number;
  readonly tau?: number;
  readonly n?: number;
  readonly x0?: number;
  readonly dt?: number;
  readonly method?: Integrator;
  /** Seeds the random prehistory `x0 + 0.2·(U − 0.5)`. Default 0. */
  readonly seed?: number;
}

/** The textbook parameter set (β 0.2, γ 0.1, n 10, τ 17) of which BrainPy's defaults are a rescaling. */
export const mackeyGlassClassic = { beta: 0.2, gamma: 0.1, n: 10, tau: 17 } as const;

/**
 * Mackey–Glass: ẋ = β·x_τ/(1 + x_τⁿ) − γx with BrainPy's defaults (β 2, γ 1, τ 2, n 9.65, x0 1.2,
 * rk4, dt 0.1). Returns `x` and the delayed value `xTau` at each recorded time.
 */
export function mackeyGlassSeries(duration: number, opts: MackeyGlassOptions = {}): Series<"x" | "xTau"> {
  const { beta = 2, gamma = 1, tau = 2, n = 9.65, x0 = 1.2, dt = 0.1, method = "rk4", seed = 0 } = opts;
  if (!(tau >= dt) || !(dt > 0)) {
    throw new ValueError(`mackeyGlassSeries: need dt > 0 and tau >= dt, got dt ${dt}, tau ${tau}`);
  }
  const steps = stepCount(duration, dt);
  const rng = Rng.fromSeed(seed);
  const line = new DelayLine(dt, Math.ceil(tau / dt - 1e-9), steps, () => x0 + 0.2 * (rng.uniform() - 0.5));
  line.set(0, x0);
  const ts = new Float64Array(steps);
  const x = new Float64Array(steps);
  const xTau = new Float64Array(steps);
  integrate(
    (t, s, o) => {
      const xt = line.delayed(t, tau);
      o[0] = (beta * xt) / (1 + xt ** n) - gamma * (s[0] as number);
    },
    [x0],
    dt,
    steps,
    method,
    (i, s) => {
      line.set(i + 1, s[0] as number);
      ts[i] = (i + 1) * dt;
      x[i] = s[0] as number;
      xTau[i] = line.delayed(ts[i] as number, tau);
    },
  );
  return { ts, vars: { x, xTau } };
}

/** Options of {@link modifiedLuChenSeries}. */
export interface ModifiedLuChenOptions {
  readonly a?: number;
  readonly b?: number;
  readonly c?: number;
  readonly d1?: number;
  readonly d2?: number;
  readonly tau?: number;
  readonly init?: readonly [number, number, number];
  readonly dt?: number;
}

/**
 * Modified Lü–Chen system with a delayed z: f = z + d1·z(t−τ) − d2·sin z(t−τ);
 * ẋ = a(y−x), ẏ = (c−a)x − x·f + cy, ż = xy − bz (BrainPy defaults; z-history 14).
 */
export function modifiedLuChenSeries(
  duration: number,
  opts: ModifiedLuChenOptions = {},
): Series<"x" | "y" | "z"> {
  const { a = 36, b = 3, c = 20, d1 = 1, d2 = 0, tau = 0.2, init = [1, 1, 14], dt = 0.001 } = opts;
  const steps = stepCount(duration, dt);
  const line = new DelayLine(dt, Math.ceil(tau / dt - 1e-9), steps, () => init[2]);
  line.set(0, init[2]);
  const ts = new Float64Array(steps);
  const cols = [new Float64Array(steps), new Float64Array(steps), new Float64Array(steps)] as const;
  integrate(
    (t, [x = 0, y = 0, z = 0], o) => {
      const zt = line.delayed(t, tau);
      const f = z + d1 * zt - d2 * Math.sin(zt);
      o[0] = a * (y - x);
      o[1] = (c - a) * x - x * f + c * y;
      o[2] = x * y - b * z;
    },
    init,
    dt,
    steps,
    "rk4",
    (i, s) => {
      line.set(i + 1, s[2] as number);
      ts[i] = (i + 1) * dt;
      cols.forEach((col, j) => (col[i] = s[j] as number));
    },
  );
  return { ts, vars: { x: cols[0], y: cols[1], z: cols[2] } };
}
