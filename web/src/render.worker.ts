/**
 * The figure worker: renders Vega-Lite figures (the report's specs) to bitmaps off the main thread,
 * with Vega's canvas renderer on an OffscreenCanvas, and counts the items of every mark it drew. The
 * page only puts the finished bitmap on screen, which costs it next to nothing however many marks a
 * figure has (an SVG of a unit-activity heatmap takes the main thread over 100 ms to parse).
 */
import type { Figure } from "braints/plot";

/** What the page asks: a figure and the device pixel ratio to draw it at. */
export interface RenderRequest {
  readonly id: number;
  readonly figure: Figure;
  readonly scale: number;
}

/** The drawn figure (CSS pixel size, drawn marks by type: line and area marks count one per path), or why not. */
export type RenderReply =
  | {
      readonly id: number;
      readonly bitmap: ImageBitmap;
      readonly width: number;
      readonly height: number;
      readonly marks: Readonly<Record<string, number>>;
    }
  | { readonly id: number; readonly error: string };

const scope = self as unknown as {
  postMessage(message: RenderReply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<RenderRequest>) => void) | null;
};

// Vega makes its canvases with document.createElement("canvas"). A worker has no document, but it
// has OffscreenCanvas, with the same 2D context; this is all of the document Vega asks for here.
(globalThis as { document?: unknown }).document = {
  createElement: (tag: string) => (tag === "canvas" ? new OffscreenCanvas(1, 1) : undefined),
};
// Loaded after the line above: Vega measures text with a canvas it makes when it loads.
const vega = Promise.all([import("vega"), import("vega-lite")]);

/** A scenegraph node as far as counting needs: a mark with its items, an item with its child marks. */
interface SceneMark {
  readonly marktype?: string;
  readonly role?: string;
  readonly items?: readonly { readonly items?: readonly SceneMark[] }[];
}

/** One path per line, area or trail mark (as an SVG has); one item per item for the other marks. */
const PATH_MARKS = new Set(["line", "area", "trail"]);

function countMarks(mark: SceneMark, counts: Record<string, number>): Record<string, number> {
  const items = mark.items ?? [];
  const type = mark.marktype ?? "?";
  if (mark.role === "mark" && items.length > 0)
    counts[type] = (counts[type] ?? 0) + (PATH_MARKS.has(type) ? 1 : items.length);
  for (const item of items) for (const child of item.items ?? []) countMarks(child, counts);
  return counts;
}

scope.onmessage = async ({ data: { id, figure, scale } }) => {
  try {
    const [{ View, parse }, { compile }] = await vega;
    const view = new View(parse(compile(figure).spec), { renderer: "none" });
    try {
      const canvas = (await view.toCanvas(scale)) as unknown as OffscreenCanvas;
      const marks = countMarks((view.scenegraph() as unknown as { root: SceneMark }).root, {});
      const bitmap = canvas.transferToImageBitmap();
      scope.postMessage({ id, bitmap, width: bitmap.width / scale, height: bitmap.height / scale, marks }, [
        bitmap,
      ]);
    } finally {
      view.finalize();
    }
  } catch (e) {
    scope.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
