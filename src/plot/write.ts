/** Writing figures to disk (Node only: this is the one module of `plot/` that touches the file system). */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Figure } from "./figure.ts";
import { renderSVG } from "./render.ts";

let writes = 0;

/**
 * Renders `figure` to SVG and writes it to `path`, creating parent directories. The file is written
 * to a temporary name beside `path` and renamed, so a reader never sees a half-written figure.
 * @example await writeFigure("runs/s3/loss.svg", lossCurve(history));
 */
export async function writeFigure(path: string, figure: Figure): Promise<void> {
  const svg = await renderSVG(figure);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${writes++}.tmp`;
  try {
    await writeFile(tmp, svg, "utf8");
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
