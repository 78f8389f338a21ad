/** Lesions of groups of units and the performance they cost (Yang et al. 2019, Fig. 3). */
import { ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import { type Tensor, fromData } from "../../core/tensor.ts";
import { type Tree, treeLeaves, treeMap } from "../../core/tree.ts";

/** The leaves a lesion zeroes by default: the recurrent and readout weights of a recurrent network. */
export const OUTGOING_WEIGHTS = ["cell.wRec", "readout.w"] as const;

/**
 * A copy of `params` in which `units` have no influence: the rows `units` of each `[H, out]` weight
 * at `paths` (row = presynaptic unit, the library's `[in, out]` layout) are set to 0, so the units'
 * activity reaches neither other units nor the readout. Other leaves are shared, not copied.
 * @param paths leaf paths of the outgoing weights (default `["cell.wRec", "readout.w"]`)
 * @example const lesioned = lesionUnits(params, [3, 17, 42]);
 */
export function lesionUnits<T extends Tree>(
  params: T,
  units: readonly number[],
  paths: readonly string[] = OUTGOING_WEIGHTS,
): T {
  const present = new Set(treeLeaves(params).map((l) => l.path));
  for (const p of paths) {
    if (!present.has(p)) {
      throw new ValueError(
        `lesionUnits: paths must name leaves of params, got "${p}" (leaves: ${[...present].join(", ")})`,
      );
    }
  }
  return treeMap(params, (leaf: Tensor, path: string) => {
    if (!paths.includes(path)) return leaf;
    if (leaf.rank !== 2)
      throw new ShapeError(`lesionUnits: ${path} must be a matrix [H, out], got ${fmtShape(leaf.shape)}`);
    const [H, out] = leaf.shape as [number, number];
    const data = leaf.data.slice();
    for (const u of units) {
      if (!Number.isInteger(u) || u < 0 || u >= H) {
        throw new ValueError(`lesionUnits: units must be integers in [0, ${H}), got ${u}`);
      }
      data.fill(0, u * out, (u + 1) * out);
    }
    return fromData(data, [H, out]);
  });
}

/** The outcome of {@link lesionEffects}. */
export interface LesionEffects {
  /** Per task, the score of the intact network `[K]`. */
  readonly baseline: readonly number[];
  /** `drop[g][k]`: task k's score with group g lesioned, subtracted from the baseline. */
  readonly drop: readonly (readonly number[])[];
}

/**
 * Lesions each group of units in turn ({@link lesionUnits}) and scores every task:
 * `drop[g][k] = score(params)[k] − score(lesion(params, groups[g]))[k]`.
 * @param score per-task performance of a parameter tree, e.g. the fraction of correct held-out trials
 * @example const { drop } = lesionEffects(params, clusters, (p) => tasks.map((t) => accuracy(p, t)));
 */
export function lesionEffects<T extends Tree>(
  params: T,
  groups: readonly (readonly number[])[],
  score: (params: T) => readonly number[],
  paths: readonly string[] = OUTGOING_WEIGHTS,
): LesionEffects {
  const baseline = score(params);
  const drop = groups.map((units) => {
    const s = score(lesionUnits(params, units, paths));
    return baseline.map((b, k) => b - (s[k] as number));
  });
  return { baseline, drop };
}
