/**
 * The figure type shared by every plot: a Vega-Lite specification. Figures are plain data, so they
 * can be rendered in Node ({@link renderSVG}), embedded in an HTML report, or shown in a browser.
 */
import type { Config, TopLevelSpec } from "vega-lite";

/** A complete Vega-Lite specification, as every figure function returns. */
export type Figure = TopLevelSpec;

/** One panel inside a concatenated figure (what `vconcat` / `hconcat` hold). */
export type Panel = Extract<Figure, { vconcat: unknown }>["vconcat"][number];

/** The Vega-Lite schema our specs are written against. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Default panel size in pixels; long time axes get the wider size. */
export const PANEL = { width: 480, height: 160, square: 320 } as const;

/**
 * Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008), ordered for lines on
 * white: blue, vermillion, bluish green, reddish purple, orange, sky blue, black, yellow.
 */
export const OKABE_ITO = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
  "#F0E442",
] as const;

/** Lines coloured by category show a legend up to this many series; more become a heatmap. */
export const MAX_LEGEND_SERIES = 8;

/**
 * What every figure shares: readable type sizes, the colour-blind-safe palette for categories,
 * perceptually uniform schemes for ordered and diverging values, and legends that do not cut labels.
 */
const STYLE: Config = {
  font: "Helvetica, Arial, sans-serif",
  title: { fontSize: 14, anchor: "start", offset: 8 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", gridOpacity: 0.6 },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", labelLimit: 220 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  range: { category: [...OKABE_ITO], ordinal: { scheme: "viridis" }, ramp: { scheme: "viridis" } },
};

/** Common top-level fields: the schema, a title, a white background and the shared style. */
export function figureHeader(title: string): {
  $schema: string;
  title: string;
  background: string;
  config: Config;
} {
  return { $schema: VEGA_LITE_SCHEMA, title, background: "white", config: STYLE };
}
