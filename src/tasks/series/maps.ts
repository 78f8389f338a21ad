/**
 * Chaotic maps (dt = 1). Outputs exclude the initial value, as BrainPy's do.
 */
import type { Series } from "./ode.ts";

/** Hénon map x' = 1 − a x² + y, y' = b x from (0, 0); a 1.4, b 0.3. */
export function henonMapSeries(
  numStep: number,
  opts: { readonly a?: number; readonly b?: number; readonly init?: readonly [number, number] } = {},
): Series<"x" | "y"> {
  const { a = 1.4, b = 0.3, init = [0, 0] } = opts;
  const ts = new Float64Array(numStep);
  const xs = new Float64Array(numStep);
  const ys = new Float64Array(numStep);
  let [x, y] = init;
  for (let i = 0; i < numStep; i++) {
    [x, y] = [1 - a * x * x + y, b * x];
    ts[i] = i + 1;
    xs[i] = x;
    ys[i] = y;
  }
  return { ts, vars: { x: xs, y: ys } };
}

/** Logistic map x' = μ x (1 − x) from 0.2; μ 3. */
export function logisticMapSeries(
  numStep: number,
  opts: { readonly mu?: number; readonly x0?: number } = {},
): Series<"x"> {
  const { mu = 3, x0 = 0.2 } = opts;
  const ts = new Float64Array(numStep);
  const xs = new Float64Array(numStep);
  let x = x0;
  for (let i = 0; i < numStep; i++) {
    x = mu * x * (1 - x);
    ts[i] = i + 1;
    xs[i] = x;
  }
  return { ts, vars: { x: xs } };
}
