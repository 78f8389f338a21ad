/**
 * Why the whole-brain fit takes its FC as covariance: for a linear network with additive noise of
 * amplitude σ, every trajectory from a resting start is σ times the trajectory at σ = 1 (same noise
 * draws), so the covariance is σ² C₁ and the Pearson correlation FC does not depend on σ. A fit to
 * the correlation FC has nothing to recover σ from; the covariance carries it as its scale.
 */
import { describe, expect, it } from "vitest";
import {
  Rng,
  cast,
  connectome,
  functionalConnectivity,
  functionalCovariance,
  massNetwork,
  reshape,
  scalar,
  simulate,
  treeMap,
  type MassParams,
  type Tensor,
} from "../../src/index.ts";
import { lengths, weights } from "../mass/threeNodes.ts";

/** The 3-node delayed Hopf network's readouts x `[T, 3]` at noise σ, from rest, float64. */
function signal(sigma: number, beta: number): Tensor {
  const net = massNetwork({
    model: "hopf",
    connectome: connectome({ weights, lengths }),
    speed: 2, // mm/ms: delays of 5–10 ms
    coupling: "diffusive",
    couplingParameters: { gain: 0.1 },
    dt: 0.5,
    noise: { sigma },
    parameters: { a: -0.05, omega: 0.06, beta },
    initial: { x: 0, y: 0 },
    observe: ["x"],
  });
  const params = treeMap(net.init(Rng.fromSeed(0)), (t) => cast(t, "float64")) as MassParams;
  const { observed } = simulate(
    net,
    { ...params, noise: { sigma: scalar(sigma, "float64") } },
    {
      steps: 4000,
      every: 4,
      rng: Rng.fromSeed(7),
    },
  );
  return reshape(observed, [1000, 3]);
}

const maxAbsDiff = (a: Tensor, b: Tensor, scale = 1) =>
  Math.max(...Array.from(a.data, (v, i) => Math.abs(v - scale * (b.data[i] as number))));

describe("identifiability of the noise amplitude from FC", () => {
  it("the linear network's correlation FC is the same at every σ; its covariance scales as σ²", () => {
    const low = signal(0.01, 0); // β = 0: the linearization below the Hopf bifurcation
    const high = signal(0.03, 0);
    expect(maxAbsDiff(functionalConnectivity(high), functionalConnectivity(low))).toBeLessThan(1e-12);
    const [cLow, cHigh] = [functionalCovariance(low), functionalCovariance(high)];
    expect(maxAbsDiff(cHigh, cLow, 9)).toBeLessThan(1e-12 * Math.max(...cHigh.data));
    // The FC is not trivial: the nodes are correlated.
    expect(Math.abs(functionalConnectivity(low).data[1] as number)).toBeGreaterThan(0.05);
  });

  it("with the cubic saturation (β = 1) σ moves the correlation FC only through the nonlinearity", () => {
    const small = maxAbsDiff(
      functionalConnectivity(signal(0.003, 1)),
      functionalConnectivity(signal(0.001, 1)),
    );
    const large = maxAbsDiff(functionalConnectivity(signal(0.3, 1)), functionalConnectivity(signal(0.1, 1)));
    expect(small).toBeLessThan(2e-3); // measured 7.5e-4
    expect(large).toBeGreaterThan(50 * small); // measured 0.086
  });
});
