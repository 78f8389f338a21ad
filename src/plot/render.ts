/** Headless rendering of figures to SVG with Vega (no DOM, no canvas: works in Node and browsers). */
import { View, parse } from "vega";
import { compile } from "vega-lite";
import type { Figure } from "./figure.ts";

/**
 * Renders a Vega-Lite figure to an SVG document string.
 * @example const svg = await renderSVG(lossCurve(history));
 */
export async function renderSVG(figure: Figure): Promise<string> {
  const view = new View(parse(compile(figure).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
