import { describe, expect, it } from "vitest";
import { ForceTrainer, Rng, esn, fromData, runCell } from "../../src/index.ts";

describe("FORCE on an echo-state reservoir", () => {
  it("learns online to predict a sine wave one step ahead from the reservoir state", () => {
    const T = 1200;
    const reservoir = esn({ nIn: 1, nReservoir: 60, spectralRadius: 0.9, leak: 0.3, inputScaling: 0.5 });
    const params = reservoir.init(Rng.fromSeed(0));
    const signal = Float32Array.from({ length: T + 1 }, (_, t) => Math.sin((2 * Math.PI * t) / 40));
    const states = runCell(reservoir, params, fromData(signal.slice(0, T), [T, 1, 1])).outputs.data;
    const force = new ForceTrainer({ nFeatures: 60, nOutputs: 1, alpha: 1 });
    const errors: number[] = [];
    const trainSteps = T - 200;
    for (let t = 0; t < trainSteps; t++) {
      const r = states.subarray(t * 60, (t + 1) * 60);
      errors.push(Math.abs(force.step(r, [signal[t + 1] as number])[0] as number));
    }
    const meanError = (from: number, to: number) =>
      errors.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    // The error before each update shrinks from the signal's scale to a small fraction of it.
    expect(meanError(0, 50)).toBeGreaterThan(0.1);
    expect(meanError(trainSteps - 200, trainSteps)).toBeLessThan(0.01);
    // Frozen after training, the readout predicts the 200 steps it was never updated on.
    let heldOut = 0;
    for (let t = trainSteps; t < T; t++) {
      const r = states.subarray(t * 60, (t + 1) * 60);
      heldOut += Math.abs((force.predict(r)[0] as number) - (signal[t + 1] as number)) / (T - trainSteps);
    }
    expect(heldOut).toBeLessThan(0.01);
  });
});
