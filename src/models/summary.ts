/** Parameter counts per leaf and a printable model summary. */
import { type Tree, treeLeaves } from "../core/index.ts";

/** One row of {@link countParameters}: a leaf's dotted path, shape and number of entries. */
export interface ParameterRow {
  readonly path: string;
  readonly shape: readonly number[];
  readonly count: number;
}

/**
 * The parameters of a tree, leaf by leaf (paths in sorted order), and their total.
 * @example countParameters(model.init(rng)).total // 10401 for S1's network
 */
export function countParameters(params: Tree): { rows: ParameterRow[]; total: number } {
  const rows = treeLeaves(params).map(({ path, leaf }) => ({
    path,
    shape: [...leaf.shape],
    count: leaf.size,
  }));
  return { rows, total: rows.reduce((n, r) => n + r.count, 0) };
}

/**
 * A text table of a model's parameters: one row per leaf (path, shape, count) and the total, under
 * a header naming the model.
 * @example console.log(modelSummary(model, params));
 */
export function modelSummary(model: { readonly name: string }, params: Tree): string {
  const { rows, total } = countParameters(params);
  const cells = [
    ["parameter", "shape", "count"],
    ...rows.map((r) => [r.path, `[${r.shape.join(", ")}]`, r.count.toLocaleString("en-US")]),
    ["total", "", total.toLocaleString("en-US")],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...cells.map((row) => (row[c] as string).length)));
  const line = (row: string[]) =>
    row.map((v, c) => (c === 2 ? v.padStart(widths[c] as number) : v.padEnd(widths[c] as number))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const body = cells.map(line);
  return [model.name, body[0], rule, ...body.slice(1, -1), rule, body[body.length - 1]].join("\n");
}
