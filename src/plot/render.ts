/** Headless rendering of figures to SVG with Vega (no DOM, no canvas: works in Node and browsers). */
import type { Figure } from "./figure.ts";

/**
 * Renders a Vega-Lite figure to an SVG document string. Vega and Vega-Lite are loaded on the first
 * call (a dynamic import), so building figures, and importing braints, never pays for them.
 * @example const svg = await renderSVG(lossCurve(history));
 */
export async function renderSVG(figure: Figure): Promise<string> {
  const [{ View, parse }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new View(parse(compile(figure).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
