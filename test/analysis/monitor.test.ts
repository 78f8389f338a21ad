import { describe, expect, it } from "vitest";
import {
  Rng,
  leakyRNNModel,
  monitor,
  randomBernoulli,
  randomNormal,
  sliceAxis,
  spikingClassifier,
} from "../../src/index.ts";

describe("monitor", () => {
  it("keeps the recorded variables every N steps with their times", () => {
    const net = spikingClassifier({ nIn: 8, nHidden: 4, nOut: 2 });
    const params = net.init(Rng.fromSeed(0));
    const xs = randomBernoulli(Rng.fromSeed(1), [25, 3, 8], 0.3);
    const full = net.apply(params, xs, { record: ["lif.v"] }).traces?.["lif.v"];
    const { times, traces } = monitor(net, params, xs, {
      record: ["lif.v", "lif.spike"],
      every: 10,
      dtMs: 0.1,
    });
    expect(Array.from(times)).toEqual([0, 1, 2]);
    expect(traces["lif.v"]?.shape).toEqual([3, 3, 4]);
    expect(traces["lif.spike"]?.shape).toEqual([3, 3, 4]);
    expect(Array.from(sliceAxis(traces["lif.v"]!, 0, 1, 2).data)).toEqual(
      Array.from(sliceAxis(full!, 0, 10, 11).data),
    );
  });

  it("names a variable the model does not have", () => {
    const model = leakyRNNModel({ nIn: 2, nHidden: 3, nOut: 1 });
    const xs = randomNormal(Rng.fromSeed(0), [4, 1, 2]);
    expect(() => monitor(model, model.init(Rng.fromSeed(0)), xs, { record: ["v"] })).toThrow(
      /record must name state variables/,
    );
    expect(() => monitor(model, model.init(Rng.fromSeed(0)), xs, { record: ["h"], every: 0 })).toThrow(
      "monitor: every must be a positive integer, got 0",
    );
  });
});
