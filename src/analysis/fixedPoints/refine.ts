/**
 * Levenberg–Marquardt refinement of approximate fixed points. Adam finds the basins quickly but
 * converges slowly near an ill-conditioned minimum; Gauss–Newton on the residual `r = F(h) − h`
 * with Jacobian `M = ∂F/∂h − I` converges quadratically there, and the damping keeps it a descent
 * method where `M` is singular (line attractors) or the point is only a slow point.
 */
import { fromData } from "../../core/tensor.ts";
import { solveLinear } from "../../linalg/solve.ts";
import { jacobians } from "./jacobian.ts";
import { type StateMap, speed } from "./stateMap.ts";

/** Refined states and their speeds. */
export interface Refined {
  readonly states: Float64Array[];
  readonly q: Float64Array;
}

function stack(rows: readonly Float64Array[], H: number) {
  const out = new Float64Array(rows.length * H);
  rows.forEach((r, i) => out.set(r, i * H));
  return fromData(out, [rows.length, H]);
}

/** One damped Gauss–Newton step `δ = −(MᵀM + μ·tr(MᵀM)/H·I)⁻¹ Mᵀ r` from `h`. */
function dampedStep(J: Float64Array, r: Float64Array, h: Float64Array, mu: number): Float64Array {
  const H = h.length;
  const M = J.slice();
  for (let i = 0; i < H; i++) M[i * H + i] = (M[i * H + i] as number) - 1;
  const A = new Float64Array(H * H);
  const g = new Float64Array(H);
  for (let k = 0; k < H; k++) {
    for (let i = 0; i < H; i++) {
      const mki = M[k * H + i] as number;
      if (mki === 0) continue;
      g[i] = (g[i] as number) + mki * (r[k] as number);
      for (let j = 0; j < H; j++) A[i * H + j] = (A[i * H + j] as number) + mki * (M[k * H + j] as number);
    }
  }
  let trace = 0;
  for (let i = 0; i < H; i++) trace += A[i * H + i] as number;
  const damping = mu * Math.max(trace / H, 1e-300);
  for (let i = 0; i < H; i++) A[i * H + i] = (A[i * H + i] as number) + damping;
  const delta = solveLinear(A, g, H);
  return h.map((v, i) => v - (delta[i] as number));
}

/**
 * Refines each state in `states` (rows of length H) by up to `iterations` Levenberg–Marquardt steps on
 * `q(h) = ½‖F(h) − h‖²`, stopping a point once its q is below `tolerance`. Steps that do not lower q
 * are rejected and the damping raised tenfold; accepted steps lower it tenfold.
 */
export function refineFixedPoints(
  F: StateMap,
  states: readonly Float64Array[],
  iterations: number,
  tolerance: number,
): Refined {
  // No candidate came close enough to refine: nothing to do (and no [0, 0] batch to build).
  if (states.length === 0) return { states: [], q: new Float64Array(0) };
  const H = states[0]?.length ?? 0;
  const current: Float64Array[] = states.map((s) => s.slice());
  const q = Float64Array.from(speed(F, stack(current, H)).data);
  const mu = new Float64Array(current.length).fill(1e-3);
  for (let it = 0; it < iterations; it++) {
    const active = current.flatMap((_, i) => ((q[i] as number) >= tolerance ? [i] : []));
    if (active.length === 0) break;
    const points = stack(
      active.map((i) => current[i] as Float64Array),
      H,
    );
    const Js = jacobians(F, points);
    const residual = F(points).data;
    const proposals = active.map((i, n) => {
      const r = Float64Array.from(
        residual.subarray(n * H, (n + 1) * H),
        (v, j) => v - (current[i]?.[j] as number),
      );
      return dampedStep(Js[n] as Float64Array, r, current[i] as Float64Array, mu[i] as number);
    });
    const qNew = speed(F, stack(proposals, H)).data;
    active.forEach((i, n) => {
      if ((qNew[n] as number) < (q[i] as number)) {
        current[i] = proposals[n] as Float64Array;
        q[i] = qNew[n] as number;
        mu[i] = Math.max((mu[i] as number) / 10, 1e-12);
      } else {
        mu[i] = (mu[i] as number) * 10;
      }
    });
  }
  return { states: current, q };
}
