/** How many fixed points each network has, stacked by their stability. */
import { ValueError } from "../base/errors.ts";
import { type Figure, PANEL, figureHeader } from "./figure.ts";

/** The number of one network's fixed points of one stability. */
export interface FixedPointCount {
  readonly network: string;
  /** Where the network sorts (e.g. its trial index). */
  readonly order: number;
  /** `stable`, `saddle`, `unstable`, ... as the analysis classifies them. */
  readonly stability: string;
  readonly count: number;
}

/**
 * One bar per network, its fixed points stacked by stability.
 * @example fixedPointCounts([{ network: "0", order: 0, stability: "stable", count: 2 }])
 */
export function fixedPointCounts(
  counts: readonly FixedPointCount[],
  options: { readonly title?: string } = {},
): Figure {
  if (counts.length === 0) throw new ValueError("fixedPointCounts: counts must not be empty");
  return {
    ...figureHeader(options.title ?? "Fixed points per network"),
    width: Math.max(PANEL.height, Math.min(PANEL.width * 2, 18 * new Set(counts.map((c) => c.network)).size)),
    height: PANEL.height,
    data: { values: counts.map((c) => ({ ...c })) },
    mark: { type: "bar" },
    encoding: {
      x: { field: "network", type: "ordinal", title: "network (trial)", sort: { field: "order" } },
      y: {
        field: "count",
        type: "quantitative",
        aggregate: "sum",
        title: "fixed points",
        axis: { tickMinStep: 1 },
      },
      color: { field: "stability", type: "nominal", title: "stability" },
    },
  } as Figure;
}
