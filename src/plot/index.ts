/**
 * Figures as Vega-Lite specifications built from plain data, rendered to SVG with Vega. Everything
 * here runs in a browser; `writeFigure`, which uses `fs`, is exported from the Node-only entry (`braints/node`).
 */
export { type Figure, type Panel, VEGA_LITE_SCHEMA, OKABE_ITO } from "./figure.ts";
export { type TrialPeriod } from "./periods.ts";
export { renderSVG } from "./render.ts";
export { type VectorLike, type MatrixLike, type MatrixStackLike } from "./arrays.ts";
export { MAX_POINTS_PER_LINE, decimateIndices, evenIndices } from "./decimate.ts";
export { lossCurve, type LossPoint, type LossCurveOptions } from "./lossCurve.ts";
export { taskCurves, type TaskCurvePoint, type TaskCurvesOptions } from "./taskCurves.ts";
export { trialPlot, type TrialPlotData, type TrialPlotOptions } from "./trialPlot.ts";
export {
  psychometricPlot,
  type ChoicePoint,
  type CurvePoint,
  type PsychometricPlotOptions,
} from "./psychometricPlot.ts";
export { pcaTrajectories, type MarkedPoint, type PcaTrajectoriesOptions } from "./pcaTrajectories.ts";
export { axisTrajectories, type AxisTrajectory, type AxisTrajectoriesOptions } from "./axisTrajectories.ts";
export { raster, type RasterOptions } from "./raster.ts";
export { voltageTraces, type VoltageTracesOptions } from "./voltageTraces.ts";
export { forecastPlot, type ForecastPlotOptions } from "./forecastPlot.ts";
export { attractorPlot, type AttractorPlotOptions } from "./attractorPlot.ts";
export { heatmap, type HeatmapOptions } from "./heatmap.ts";
export { taskVarianceMap, type TaskVarianceMapOptions } from "./taskVarianceMap.ts";
export { activityHeatmap, type ActivityHeatmapOptions } from "./activityHeatmap.ts";
export { metricByAxis, type AxisPoint, type MetricByAxisOptions } from "./metricByAxis.ts";
export { overlaidCurves, type RunCurvePoint, type OverlaidCurvesOptions } from "./overlaidCurves.ts";
export { fixedPointCounts, type FixedPointCount } from "./fixedPointCounts.ts";
