/** A chaotic flow as a matrix of samples, and the NVAR features of a series (NG-RC's input side). */
import { reshape } from "../core/ops/layout.ts";
import { type Tensor, fromData } from "../core/tensor.ts";
import { runCell } from "../models/cell.ts";
import type { NVARCell } from "../models/reservoir/nvar.ts";
import { type Flow, flowSeries } from "../tasks/series/flows.ts";

/**
 * Integrates `flow` for `duration` time units at step `dt` (its own integrator and initial state)
 * and returns the samples as a float64 matrix `[N, d]`, one column per variable in `flow.variables` order.
 * @example const series = flowMatrix(lorenz, 100, 0.01); // [10000, 3]
 */
export function flowMatrix(flow: Flow<Record<string, number>>, duration: number, dt: number): Tensor {
  const { ts, vars } = flowSeries(flow, duration, { dt });
  const N = ts.length;
  const d = flow.variables.length;
  const data = new Float64Array(N * d);
  flow.variables.forEach((name, j) => {
    const column = vars[name] as Float64Array;
    for (let t = 0; t < N; t++) data[t * d + j] = column[t] as number;
  });
  return fromData(data, [N, d]);
}

/**
 * The NVAR features `[N, F]` of a series `[N, d]`: row t from the inputs up to t. The NVAR is causal,
 * so one pass gives the features a warm-up → fit → predict sequence with carried taps computes.
 */
export function nvarFeatures(cell: NVARCell, series: Tensor): Tensor {
  const [N, d] = series.shape as [number, number];
  const { outputs } = runCell(cell, {}, reshape(series, [N, 1, d]));
  return reshape(outputs, [N, cell.nOut]);
}
