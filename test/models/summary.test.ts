import { describe, expect, it } from "vitest";
import {
  Rng,
  countParameters,
  gru,
  leakyRNNModel,
  linearReadout,
  modelFromConfig,
  modelSummary,
  randomNormal,
  sequenceModel,
  type SequenceModel,
  vanillaRNN,
} from "../../src/index.ts";
import { maxAbsDiff } from "./helpers.ts";

describe("countParameters and modelSummary", () => {
  it("counts S1's network as brainstate does (10,401 parameters)", () => {
    const model = sequenceModel(
      vanillaRNN({ nIn: 1, nHidden: 100, trainableH0: true }),
      linearReadout({ nIn: 100, nOut: 1 }),
    );
    const { rows, total } = countParameters(model.init(Rng.fromSeed(0)));
    expect(total).toBe(10401);
    expect(rows.map((r) => `${r.path} ${r.count}`)).toEqual([
      "cell.b 100",
      "cell.h0 100",
      "cell.wIn 100",
      "cell.wRec 10000",
      "readout.b 1",
      "readout.w 100",
    ]);
  });

  it("prints one row per leaf and the total", () => {
    const model = sequenceModel(gru({ nIn: 3, nHidden: 4 }), linearReadout({ nIn: 4, nOut: 2 }));
    const text = modelSummary(model, model.init(Rng.fromSeed(0)));
    expect(text.split("\n")[0]).toBe("sequenceModel");
    expect(text).toMatch(/^cell\.wIh\s+\[3, 12\]\s+36$/m);
    expect(text.trim().split("\n").at(-1)).toMatch(/^total\s+118$/);
  });
});

describe("modelFromConfig", () => {
  it("rebuilds a model from its JSON config with the same outputs", () => {
    const model = leakyRNNModel({
      nIn: 3,
      nHidden: 8,
      nOut: 2,
      tauMs: 100,
      dtMs: 20,
      excitatoryFraction: 0.75,
    });
    const params = model.init(Rng.fromSeed(0));
    const again = modelFromConfig(
      JSON.parse(JSON.stringify({ name: model.name, config: model.config })),
    ) as SequenceModel<typeof params>;
    const xs = randomNormal(Rng.fromSeed(1), [4, 2, 3]);
    expect(maxAbsDiff(again.apply(params, xs).outputs, model.apply(params, xs).outputs)).toBe(0);
  });

  it("names the known models when the name is unknown", () => {
    expect(() => modelFromConfig({ name: "transformer", config: {} })).toThrow(
      "modelFromConfig: name must be one of leakyRNN, vanillaRNN, gru, lstm",
    );
  });
});
