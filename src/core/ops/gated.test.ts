import { Rng, gruLayer, randomNormal } from "../../index.ts";
import { testReuse } from "./test-util.ts";

testReuse({
  kernel: "gatedForward",
  into: (a) => a.gatesInto,
  what: "gates",
  perState: 4,
  layer: (seed: number, T: number, B: number, H: number) => {
    const rng = Rng.fromSeed(seed);
    return {
      x: randomNormal(rng, [T, B, 2]),
      wIh: randomNormal(rng, [2, 3 * H], 0.5),
      wHh: randomNormal(rng, [H, 3 * H], 0.3),
      bIh: randomNormal(rng, [3 * H], 0.1),
      bHh: randomNormal(rng, [3 * H], 0.1),
      h0: randomNormal(rng, [B, H], 0.5),
      target: randomNormal(rng, [T, B, H]),
    };
  },
  states: (p) => gruLayer(p.x, p, p.h0),
});
