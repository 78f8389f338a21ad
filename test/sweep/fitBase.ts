/** The small fit the fit-sweep tests sweep over: a few seconds per trial. */

/**
 * Recovering the coupling gain of a 4-node delayed Hopf ring (a generated connectome, so no files)
 * from the FC of a simulation at gain 0.3: 1000 steps, `iterations` steps of the gradient backend.
 */
export function ringFitBase(iterations: number): Record<string, unknown> {
  return {
    network: {
      model: "hopf",
      connectome: { generator: "ring", nodes: 4, spacingMm: 20 },
      speed: 5,
      coupling: "diffusive",
      dt: 0.5,
      noise: { sigma: 0.05 },
      parameters: { a: -0.05, omega: 0.1 },
      observe: ["x"],
    },
    target: { simulate: { gain: 0.3 } },
    objective: "fcRmse",
    simulation: { steps: 1000, every: 4, discard: 10 },
    parameters: { gain: { init: 0.1, bounds: [0.01, 1] } },
    backend: { kind: "gradient", iterations, lr: 0.1 },
  };
}
