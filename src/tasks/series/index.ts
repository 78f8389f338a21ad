/** Chaotic time series (BrainPy's dataset family plus Rössler). */
export { stepCount, integrate, record, type Series, type VectorField, type Integrator } from "./ode.ts";
export {
  flowSeries,
  flows,
  lorenz,
  rossler,
  doubleScroll,
  rabinovichFabrikant,
  chen,
  luChen,
  chua,
  modifiedChua,
  modifiedLorenz,
  pwlDuffing,
  type Flow,
  type FlowOptions,
} from "./flows.ts";
export {
  mackeyGlassSeries,
  mackeyGlassClassic,
  modifiedLuChenSeries,
  type MackeyGlassOptions,
  type ModifiedLuChenOptions,
} from "./delayed.ts";
export { henonMapSeries, logisticMapSeries } from "./maps.ts";
