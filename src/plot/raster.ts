/** Spike rasters: one tick per spike, neurons on the vertical axis, time on the horizontal. */
import { type MatrixLike, at, asMatrix } from "./arrays.ts";
import { type Figure, PANEL, figureHeader } from "./figure.ts";

/** Options of {@link raster}. */
export interface RasterOptions {
  readonly title?: string;
  /** Label of the neuron axis (default "neuron"; neurons are numbered from 1). */
  readonly neuronTitle?: string;
}

/**
 * A raster of `spikes` (`[T, N]`, nonzero = spike; neuron n is drawn as row n + 1). Every spike is drawn (no downsampling: a raster's
 * size is its spike count), so pass a window or a subset of neurons for very long or dense recordings.
 * @param dtMs step size in milliseconds
 * @example raster(spikeTrain, 0.1, { title: "LIF layer" })
 */
export function raster(spikes: MatrixLike, dtMs: number, options: RasterOptions = {}): Figure {
  const m = asMatrix(spikes, "raster", "spikes");
  const events: { t: number; neuron: number }[] = [];
  for (let t = 0; t < m.rows; t++) {
    for (let n = 0; n < m.cols; n++) if (at(m, t, n) !== 0) events.push({ t: t * dtMs, neuron: n + 1 });
  }
  const height = Math.max(PANEL.height, Math.min(4 * m.cols, 480));
  return {
    ...figureHeader(options.title ?? "Spike raster"),
    width: PANEL.width,
    height,
    data: { values: events },
    // Each tick spans 80% of its neuron's row, so rows stay apart however many neurons there are.
    mark: {
      type: "tick",
      orient: "vertical",
      thickness: 1,
      size: Math.max(1, (0.8 * height) / Math.max(1, m.cols)),
      color: "black",
    },
    encoding: {
      x: {
        field: "t",
        type: "quantitative",
        title: "time (ms)",
        scale: { domain: [0, m.rows * dtMs], nice: false },
      },
      y: {
        field: "neuron",
        type: "quantitative",
        title: options.neuronTitle ?? "neuron",
        scale: { domain: [0.5, m.cols + 0.5], nice: false },
        axis: { tickMinStep: 1 },
      },
    },
  };
}
