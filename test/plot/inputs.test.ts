import { describe, expect, it } from "vitest";
import { ShapeError, zeros } from "../../src/core/index.ts";
import { forecastPlot, pcaTrajectories, raster, trialPlot } from "../../src/plot/index.ts";

describe("figure inputs are checked at the boundary", () => {
  it.each([
    {
      name: "a tensor of the wrong rank",
      call: () => raster(zeros([3]), 1),
      message: "raster: spikes must have rank 2, got shape [3]",
    },
    {
      name: "ragged nested rows",
      call: () => raster([[0, 1], [1]], 1),
      message: "raster: spikes rows must have equal lengths, got 1 at row 1, expected 2",
    },
    {
      name: "outputs of another length than the inputs",
      call: () => trialPlot({ inputs: zeros([5, 2]), targets: zeros([5]), outputs: zeros([4, 3]), dtMs: 10 }),
      message: "trialPlot: outputs must have 5 time steps, got 4",
    },
    {
      name: "a wrong number of channel names",
      call: () =>
        trialPlot({
          inputs: zeros([5, 2]),
          targets: zeros([5]),
          outputs: zeros([5, 3]),
          dtMs: 10,
          channelNames: ["a"],
        }),
      message: "trialPlot: need 2 names, got 1 (a)",
    },
    {
      name: "a prediction of another shape",
      call: () => forecastPlot(zeros([5, 3]), zeros([5, 2]), 0.1),
      message: "forecastPlot: prediction must have the shape of truth [5, 3], got [5, 2]",
    },
    {
      name: "trajectories with four coordinates",
      call: () => pcaTrajectories(zeros([2, 5, 4])),
      message: "pcaTrajectories: trajectories must have 2 or 3 coordinates, got 4",
    },
  ])("rejects $name", ({ call, message }) => {
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(message);
  });

  it("rejects one label too few", () => {
    expect(() => pcaTrajectories(zeros([2, 5, 2]), { labels: ["a"] })).toThrow(
      "pcaTrajectories: labels must have one entry per trial (2), got 1",
    );
  });
});
