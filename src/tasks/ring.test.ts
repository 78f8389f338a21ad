import { describe, expect, it } from "vitest";
import { coherenceRing, cosineRing, matchRing, ringAngles, sharedRing } from "./ring.ts";

describe("sharedRing", () => {
  it("holds the values of the ring it names, made once per kind, size, direction and coherence", () => {
    for (const n of [2, 16, 32]) {
      const theta = ringAngles(n);
      for (const phi of [0, theta[1] as number, Math.PI, NaN]) {
        expect(sharedRing("cosine", n, phi)).toEqual(cosineRing(theta, phi));
        expect(sharedRing("match", n, phi)).toEqual(matchRing(theta, phi));
        for (const coh of [0, 6.4, 51.2]) {
          const ring = sharedRing("coherence", n, phi, coh);
          expect(ring).toEqual(coherenceRing(theta, phi, coh));
          expect(sharedRing("coherence", n, phi, coh)).toBe(ring);
        }
      }
    }
  });

  it("stops keeping rings past 4,096 of a kind and size, with the same values", () => {
    const theta = ringAngles(3);
    for (let i = 0; i < 4100; i++) sharedRing("cosine", 3, i / 1000);
    const late = sharedRing("cosine", 3, 4.099);
    expect(late).toEqual(cosineRing(theta, 4.099));
    expect(sharedRing("cosine", 3, 4.099)).not.toBe(late);
    expect(sharedRing("cosine", 3, 0.001)).toBe(sharedRing("cosine", 3, 0.001));
  });
});
