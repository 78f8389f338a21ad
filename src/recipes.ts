/**
 * The application layer's recipes (`braints/recipes`): run configs and their schemas, and the
 * recipes that turn a config into a trainable setup. Browser-safe; run directories are in `braints/node`.
 */
export * from "./app/recipes/index.ts";
/** The figures of a supervised run, shared by the HTML report and the playground page. */
export {
  type ReportFigure,
  type TaskNames,
  lossPoints,
  plural,
  trainingFigure,
  exampleTrialFigure,
  activityFigure,
  psychometricFigure,
  stateSpaceFigure,
} from "./app/report/figures.ts";
