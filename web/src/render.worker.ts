/** The figure worker: renders Vega-Lite figures to SVG off the main thread (the report's renderer). */
import { type Figure, renderSVG } from "braints/plot";

interface Request {
  readonly id: number;
  readonly figure: Figure;
}

const scope = self as unknown as {
  postMessage(message: { id: number; svg?: string; error?: string }): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
};

scope.onmessage = async ({ data: { id, figure } }) => {
  try {
    scope.postMessage({ id, svg: await renderSVG(figure) });
  } catch (e) {
    scope.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
