/**
 * Fixed-step integration for the chaotic-series generators, in float64. Output follows BrainPy's
 * runner: `ceil(duration / dt)` steps, the state recorded after each step, times `ts = (i + 1)·dt`;
 * the initial condition is not included.
 */

/** Right-hand side `dx/dt = f(t, x)`, written into `out`. */
export type VectorField = (t: number, x: Float64Array, out: Float64Array) => void;

/** `"rk4"` (classical 4th-order Runge–Kutta) or `"euler"` (forward Euler). */
export type Integrator = "rk4" | "euler";

/** Number of steps BrainPy's runner takes for `duration` at step `dt` (`len(arange(0, duration, dt))`). */
export function stepCount(duration: number, dt: number): number {
  return Math.max(0, Math.ceil(duration / dt - 1e-9));
}

/**
 * Integrates `f` from `x0` for `nSteps` steps of `dt`.
 * @param onStep called after each step with the step index and the new state.
 */
export function integrate(
  f: VectorField,
  x0: readonly number[],
  dt: number,
  nSteps: number,
  method: Integrator,
  onStep: (i: number, x: Float64Array) => void,
): void {
  const n = x0.length;
  const x = Float64Array.from(x0);
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  for (let i = 0; i < nSteps; i++) {
    const t = i * dt;
    f(t, x, k1);
    if (method === "euler") {
      for (let j = 0; j < n; j++) x[j] = (x[j] as number) + dt * (k1[j] as number);
    } else {
      for (let j = 0; j < n; j++) tmp[j] = (x[j] as number) + 0.5 * dt * (k1[j] as number);
      f(t + 0.5 * dt, tmp, k2);
      for (let j = 0; j < n; j++) tmp[j] = (x[j] as number) + 0.5 * dt * (k2[j] as number);
      f(t + 0.5 * dt, tmp, k3);
      for (let j = 0; j < n; j++) tmp[j] = (x[j] as number) + dt * (k3[j] as number);
      f(t + dt, tmp, k4);
      for (let j = 0; j < n; j++) {
        x[j] =
          (x[j] as number) +
          (dt / 6) * ((k1[j] as number) + 2 * (k2[j] as number) + 2 * (k3[j] as number) + (k4[j] as number));
      }
    }
    onStep(i, x);
  }
}

/** A recorded series: times and one array per variable. */
export interface Series<V extends string = string> {
  /** Recorded times `[(i + 1)·dt]`. */
  readonly ts: Float64Array;
  /** Variable name → values `[steps]`. */
  readonly vars: Readonly<Record<V, Float64Array>>;
}

/** Runs `f` and records every variable after each step. */
export function record<V extends string>(
  names: readonly V[],
  f: VectorField,
  x0: readonly number[],
  dt: number,
  duration: number,
  method: Integrator,
): Series<V> {
  const n = stepCount(duration, dt);
  const ts = new Float64Array(n);
  const cols = names.map(() => new Float64Array(n));
  integrate(f, x0, dt, n, method, (i, x) => {
    ts[i] = (i + 1) * dt;
    cols.forEach((c, j) => (c[i] = x[j] as number));
  });
  return { ts, vars: Object.fromEntries(names.map((v, j) => [v, cols[j]])) as Record<V, Float64Array> };
}
