import { Rng, randomNormal, rnnLayer } from "../../index.ts";
import { testReuse } from "./test-util.ts";

testReuse({
  kernel: "recurrenceForward",
  into: (a) => a.preInto,
  what: "pre-activations",
  perState: 1,
  // A leaky ReLU layer (rate order, alpha 0.2: it keeps `pre`).
  layer: (seed: number, T: number, B: number, H: number) => {
    const rng = Rng.fromSeed(seed);
    return {
      x: randomNormal(rng, [T, B, 2]),
      wIn: randomNormal(rng, [2, H], 0.5),
      b: randomNormal(rng, [H], 0.1),
      wRec: randomNormal(rng, [H, H], 0.3),
      h0: randomNormal(rng, [B, H], 0.5),
      target: randomNormal(rng, [T, B, H]),
    };
  },
  states: (p) => rnnLayer(p.x, p, p.h0, { alpha: 0.2, activation: "relu" }).hs,
});
