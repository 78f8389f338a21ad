/**
 * The figure type shared by every plot: a Vega-Lite specification. Figures are plain data, so they
 * can be rendered in Node ({@link renderSVG}), embedded in an HTML report, or shown in a browser.
 */
import type { TopLevelSpec } from "vega-lite";

/** A complete Vega-Lite specification, as every figure function returns. */
export type Figure = TopLevelSpec;

/** One panel inside a concatenated figure (what `vconcat` / `hconcat` hold). */
export type Panel = Extract<Figure, { vconcat: unknown }>["vconcat"][number];

/** The Vega-Lite schema our specs are written against. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Default panel size in pixels; long time axes get the wider size. */
export const PANEL = { width: 480, height: 160, square: 320 } as const;

/** Common top-level fields: the schema, a title, and a white background for standalone SVGs. */
export function figureHeader(title: string): { $schema: string; title: string; background: string } {
  return { $schema: VEGA_LITE_SCHEMA, title, background: "white" };
}
