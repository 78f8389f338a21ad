/**
 * Phase planes of two-variable neural-mass models: the vector field on a grid, the nullclines
 * (`dx/dt = 0`, `dy/dt = 0`, traced by marching squares), the fixed points (Newton from every grid
 * cell, deduplicated) and their linear stability from the Jacobian's eigenvalues.
 */
import { ValueError } from "../../base/errors.ts";
import { numberAlgebra } from "../../models/mass/algebra.ts";
import { type AnyMassModel, defaultParameters, variableNames } from "../../models/mass/model.ts";

/** Options of {@link phasePlane}. */
export interface PhasePlaneOptions {
  /** `[min, max]` of the first variable. */
  readonly x: readonly [number, number];
  /** `[min, max]` of the second variable. */
  readonly y: readonly [number, number];
  /** Grid points per axis (default 41). */
  readonly grid?: number;
  /** Parameters overriding the published defaults. */
  readonly parameters?: Readonly<Record<string, number>>;
  /** Constant inputs (default 0). */
  readonly inputs?: Readonly<Record<string, number>>;
}

/** The linear stability of a fixed point of a planar system. */
export type PlanarStability =
  "stable node" | "stable focus" | "unstable node" | "unstable focus" | "saddle" | "center" | "degenerate";

/** A fixed point with its Jacobian `[[fx_x, fx_y], [fy_x, fy_y]]` and eigenvalues `re ± i·im`. */
export interface PlanarFixedPoint {
  readonly x: number;
  readonly y: number;
  readonly jacobian: readonly [number, number, number, number];
  readonly eigenvalues: readonly { readonly re: number; readonly im: number }[];
  readonly stability: PlanarStability;
}

/** What {@link phasePlane} returns. */
export interface PhasePlane {
  /** The two variables' names. */
  readonly variables: readonly [string, string];
  /** `[grid]` coordinates of the first and second variable. */
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  /** `[grid, grid]` row-major over (y, x): dx/dt and dy/dt at `(xs[i], ys[j])` at index `j·grid + i`. */
  readonly dx: Float64Array;
  readonly dy: Float64Array;
  /** Nullcline segments `[x1, y1, x2, y2]` of dx/dt = 0 and of dy/dt = 0. */
  readonly nullclines: { readonly x: number[][]; readonly y: number[][] };
  readonly fixedPoints: PlanarFixedPoint[];
}

/** The right-hand side of a two-variable model as `(x, y) → [dx/dt, dy/dt]`. */
export function planarField(
  model: AnyMassModel,
  parameters: Readonly<Record<string, number>> = {},
  inputs: Readonly<Record<string, number>> = {},
): (x: number, y: number) => [number, number] {
  const where = "phasePlane";
  const vars = variableNames(model);
  if (vars.length !== 2) {
    throw new ValueError(
      `${where}: ${model.name} has ${vars.length} variables (${vars.join(", ")}); phase planes need 2`,
    );
  }
  for (const name of Object.keys(parameters)) {
    if (!(name in model.parameters)) {
      throw new ValueError(
        `${where}: ${model.name} has no parameter "${name}" (${Object.keys(model.parameters).join(", ")})`,
      );
    }
  }
  for (const name of Object.keys(inputs)) {
    if (!model.inputs.includes(name)) {
      throw new ValueError(`${where}: ${model.name} has no input "${name}" (${model.inputs.join(", ")})`);
    }
  }
  const p = { ...defaultParameters(model), ...parameters };
  const u = Object.fromEntries(model.inputs.map((k: string) => [k, inputs[k] ?? 0]));
  const [vx, vy] = vars as [string, string];
  return (x, y) => {
    const r = model.rhs(numberAlgebra, { [vx]: x, [vy]: y }, p, u) as Record<string, number>;
    return [r[vx] as number, r[vy] as number];
  };
}

/** The Jacobian by central differences, `[a, b, c, d]` = `[[∂fx/∂x, ∂fx/∂y], [∂fy/∂x, ∂fy/∂y]]`. */
function jacobian(f: (x: number, y: number) => [number, number], x: number, y: number) {
  const hx = 1e-6 * Math.max(1, Math.abs(x));
  const hy = 1e-6 * Math.max(1, Math.abs(y));
  const [ax, ay] = f(x + hx, y);
  const [bx, by] = f(x - hx, y);
  const [cx, cy] = f(x, y + hy);
  const [dx, dy] = f(x, y - hy);
  return [(ax - bx) / (2 * hx), (cx - dx) / (2 * hy), (ay - by) / (2 * hx), (cy - dy) / (2 * hy)] as const;
}

/** Classifies a planar fixed point from its Jacobian's trace and determinant. */
export function classifyPlanar(j: readonly [number, number, number, number]): {
  eigenvalues: { re: number; im: number }[];
  stability: PlanarStability;
} {
  const [a, b, c, d] = j;
  const tr = a + d;
  const det = a * d - b * c;
  const disc = tr * tr - 4 * det;
  const scale = Math.max(1e-12, Math.abs(a) + Math.abs(b) + Math.abs(c) + Math.abs(d));
  const eigenvalues =
    disc >= 0
      ? [
          { re: (tr + Math.sqrt(disc)) / 2, im: 0 },
          { re: (tr - Math.sqrt(disc)) / 2, im: 0 },
        ]
      : [
          { re: tr / 2, im: Math.sqrt(-disc) / 2 },
          { re: tr / 2, im: -Math.sqrt(-disc) / 2 },
        ];
  let stability: PlanarStability;
  if (Math.abs(det) < 1e-9 * scale * scale) stability = "degenerate";
  else if (det < 0) stability = "saddle";
  else if (Math.abs(tr) < 1e-9 * scale) stability = "center";
  else if (disc >= 0) stability = tr < 0 ? "stable node" : "unstable node";
  else stability = tr < 0 ? "stable focus" : "unstable focus";
  return { eigenvalues, stability };
}

/** Newton's method on the planar field from (x, y); null when it does not converge. */
function newton(
  f: (x: number, y: number) => [number, number],
  x0: number,
  y0: number,
): [number, number] | null {
  let x = x0;
  let y = y0;
  for (let it = 0; it < 60; it++) {
    const [fx, fy] = f(x, y);
    if (!(Number.isFinite(fx) && Number.isFinite(fy))) return null;
    if (Math.hypot(fx, fy) < 1e-12) return [x, y];
    const [a, b, c, d] = jacobian(f, x, y);
    const det = a * d - b * c;
    if (det === 0 || !Number.isFinite(det)) return null;
    const sx = (d * fx - b * fy) / det;
    const sy = (-c * fx + a * fy) / det;
    x -= sx;
    y -= sy;
    if (Math.hypot(sx, sy) < 1e-13 * Math.max(1, Math.hypot(x, y))) {
      const [gx, gy] = f(x, y);
      return Math.hypot(gx, gy) < 1e-8 ? [x, y] : null;
    }
  }
  return null;
}

/** Marching squares: segments where the grid field v crosses 0. */
function zeroContour(v: Float64Array, xs: Float64Array, ys: Float64Array): number[][] {
  const n = xs.length;
  const segments: number[][] = [];
  const at = (i: number, j: number) => v[j * n + i] as number;
  const cross = (x1: number, y1: number, v1: number, x2: number, y2: number, v2: number) => {
    const t = v1 / (v1 - v2);
    return [x1 + t * (x2 - x1), y1 + t * (y2 - y1)];
  };
  for (let j = 0; j + 1 < n; j++) {
    for (let i = 0; i + 1 < n; i++) {
      const [x0, x1, y0, y1] = [xs[i] as number, xs[i + 1] as number, ys[j] as number, ys[j + 1] as number];
      const corners: [number, number, number][] = [
        [x0, y0, at(i, j)],
        [x1, y0, at(i + 1, j)],
        [x1, y1, at(i + 1, j + 1)],
        [x0, y1, at(i, j + 1)],
      ];
      const points: number[][] = [];
      for (let e = 0; e < 4; e++) {
        const [ax, ay, av] = corners[e] as [number, number, number];
        const [bx, by, bv] = corners[(e + 1) % 4] as [number, number, number];
        if (av === 0 && bv !== 0) points.push([ax, ay]);
        else if ((av < 0 && bv > 0) || (av > 0 && bv < 0)) points.push(cross(ax, ay, av, bx, by, bv));
      }
      for (let k = 0; k + 1 < points.length; k += 2) {
        segments.push([...(points[k] as number[]), ...(points[k + 1] as number[])]);
      }
    }
  }
  return segments;
}

/**
 * The phase plane of a two-variable model on `[x0, x1] × [y0, y1]`.
 * @example
 * const pp = phasePlane(fitzHughNagumo, { x: [-2.5, 2.5], y: [-1, 2], parameters: { I: 0.5 } });
 * pp.fixedPoints; // [{ x: -0.38…, y: 0.40…, stability: "unstable focus", … }]
 */
export function phasePlane(model: AnyMassModel, options: PhasePlaneOptions): PhasePlane {
  const where = "phasePlane";
  const n = options.grid ?? 41;
  if (!Number.isInteger(n) || n < 3) throw new ValueError(`${where}: grid must be an integer >= 3, got ${n}`);
  for (const [name, r] of [
    ["x", options.x],
    ["y", options.y],
  ] as const) {
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1])) {
      throw new ValueError(
        `${where}: ${name} must be a finite range [min, max] with min < max, got [${r.join(", ")}]`,
      );
    }
  }
  const f = planarField(model, options.parameters, options.inputs);
  const axis = ([lo, hi]: readonly [number, number]) =>
    Float64Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));
  const xs = axis(options.x);
  const ys = axis(options.y);
  const dx = new Float64Array(n * n);
  const dy = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const [a, b] = f(xs[i] as number, ys[j] as number);
      dx[j * n + i] = a;
      dy[j * n + i] = b;
    }
  }
  const found: [number, number][] = [];
  const spanX = options.x[1] - options.x[0];
  const spanY = options.y[1] - options.y[0];
  const seeds = Math.min(n, 15);
  for (let j = 0; j < seeds; j++) {
    for (let i = 0; i < seeds; i++) {
      const x0 = options.x[0] + (spanX * (i + 0.5)) / seeds;
      const y0 = options.y[0] + (spanY * (j + 0.5)) / seeds;
      const r = newton(f, x0, y0);
      if (!r) continue;
      const [x, y] = r;
      if (x < options.x[0] || x > options.x[1] || y < options.y[0] || y > options.y[1]) continue;
      if (found.some(([u, v]) => Math.abs(u - x) < 1e-6 * spanX && Math.abs(v - y) < 1e-6 * spanY)) continue;
      found.push([x, y]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const fixedPoints = found.map(([x, y]) => {
    const j = jacobian(f, x, y);
    return { x, y, jacobian: j, ...classifyPlanar(j) };
  });
  const vars = variableNames(model) as [string, string];
  return {
    variables: vars,
    xs,
    ys,
    dx,
    dy,
    nullclines: { x: zeroContour(dx, xs, ys), y: zeroContour(dy, xs, ys) },
    fixedPoints,
  };
}
