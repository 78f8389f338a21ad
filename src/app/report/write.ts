/** Rendering a report's figures to SVG and writing the page into the run directory. */
import { writeFileAtomic } from "../../io/atomic.ts";
import { renderSVG } from "../../plot/render.ts";
import type { Run } from "../runs/run.ts";
import type { ReportFigure } from "./figures.ts";
import { type ReportPage, reportHtml } from "./html.ts";

/** A report page whose figures are still specs. */
export type ReportContent = Omit<ReportPage, "figures"> & { readonly figures: readonly ReportFigure[] };

/** Renders every figure and writes the page to `file` (atomically). */
export async function writeReportFile(file: string, page: ReportContent): Promise<void> {
  const figures = await Promise.all(
    page.figures.map(async (f) => ({ ...f, svg: await renderSVG(f.figure) })),
  );
  writeFileAtomic(file, reportHtml({ ...page, figures }));
}

/**
 * Renders every figure and writes the run's `report.html` (atomically).
 * @returns the report's path
 */
export async function writeReport(run: Run, page: ReportContent): Promise<string> {
  const file = run.path("report.html");
  await writeReportFile(file, page);
  return file;
}

/** `seconds` as the report shows a run's training time. */
export const trainingSeconds = (lines: readonly { readonly seconds: number }[]) =>
  `${lines.reduce((s, l) => s + l.seconds, 0).toFixed(1)} s`;
