/**
 * The model conformance table: one row per cell or sequence model. Every row checks output shapes,
 * determinism per seed, a JSON round trip of its config, and a float64 finite-difference check of
 * the gradients in its parameters and inputs through several steps (spiking rows included).
 */
import { describe, expect, it } from "vitest";
import {
  type Cell,
  Rng,
  type SequenceModel,
  type Tensor,
  type Tree,
  concat,
  esn,
  expSynapse,
  nvar,
  gru,
  horn,
  hornNetwork,
  leakyIntegrator,
  leakyRNN,
  leakyRNNModel,
  lif,
  lstm,
  mul,
  randomBernoulli,
  randomNormal,
  runCell,
  sequenceModel,
  linearReadout,
  spikingClassifier,
  treeLeaves,
  vanillaRNN,
  sum,
  massNetwork,
} from "../../src/index.ts";
import { checkGradients } from "../core/gradcheck.ts";
import { maxAbsDiff, toFloat64 } from "./helpers.ts";

interface Row {
  readonly name: string;
  readonly build: () => Cell | SequenceModel;
  readonly nIn: number;
  readonly nOut: number;
  /** Spike inputs (0/1) instead of Gaussian. */
  readonly spikes?: boolean;
  /**
   * State leaves whose traces join the outputs in the gradient check. A spiking cell's outputs
   * are steps (zero derivative almost everywhere); its membrane potential is smooth between spikes.
   */
  readonly probe?: readonly string[];
  /** The state leaf holding a spiking model's spikes: the gradient check needs some. */
  readonly spikesAt?: string;
  /** Mean and standard deviation of Gaussian inputs (default 0 and 1). */
  readonly input?: { readonly mean: number; readonly std: number };
  /** Sequence length (default 5). */
  readonly steps?: number;
}

const rows: Row[] = [
  {
    name: "vanillaRNN (relu, trainable h0)",
    build: () => vanillaRNN({ nIn: 3, nHidden: 5, trainableH0: true }),
    nIn: 3,
    nOut: 5,
  },
  {
    name: "vanillaRNN (tanh)",
    build: () => vanillaRNN({ nIn: 3, nHidden: 5, activation: "tanh" }),
    nIn: 3,
    nOut: 5,
  },
  {
    name: "leakyRNN (rate order)",
    build: () => leakyRNN({ nIn: 3, nHidden: 5, tauMs: 100, dtMs: 20, activation: "tanh" }),
    nIn: 3,
    nOut: 5,
  },
  {
    name: "leakyRNN (current order, Dale)",
    build: () =>
      leakyRNN({
        nIn: 3,
        nHidden: 5,
        tauMs: 100,
        dtMs: 20,
        order: "current",
        activation: "softplus",
        excitatoryFraction: 0.6,
      }),
    nIn: 3,
    nOut: 5,
  },
  {
    name: "leakyRNNModel (S3)",
    build: () => leakyRNNModel({ nIn: 3, nHidden: 6, nOut: 3, tauMs: 100, dtMs: 20, activation: "tanh" }),
    nIn: 3,
    nOut: 3,
  },
  {
    name: "vanillaRNN + linear readout (S1)",
    build: () =>
      sequenceModel(
        vanillaRNN({ nIn: 1, nHidden: 6, trainableH0: true, activation: "tanh" }),
        linearReadout({ nIn: 6, nOut: 1 }),
      ),
    nIn: 1,
    nOut: 1,
  },
  { name: "gru", build: () => gru({ nIn: 3, nHidden: 4 }), nIn: 3, nOut: 4 },
  { name: "lstm", build: () => lstm({ nIn: 3, nHidden: 4 }), nIn: 3, nOut: 4 },
  {
    name: "horn (trainable alpha, omega, gamma)",
    build: () => horn({ nIn: 2, nHidden: 4, alpha: 0.2, trainable: ["alpha", "omega", "gamma"] }),
    nIn: 2,
    nOut: 4,
  },
  {
    name: "hornNetwork (two layers, 1/sqrt(n) gain)",
    build: () => hornNetwork({ nIn: 2, nHidden: [4, 3], nOut: 2, recurrentGain: "inverseSqrtN", v: 0.1 }),
    nIn: 2,
    nOut: 2,
  },
  {
    name: "esn (sparse, leaky)",
    build: () => esn({ nIn: 2, nReservoir: 6, connectivity: 0.5, leak: 0.3, biasScaling: 0.2 }),
    nIn: 2,
    nOut: 6,
  },
  {
    name: "nvar (k = 3, s = 2, orders 2 and 3, constant)",
    build: () => nvar({ nIn: 2, delay: 3, stride: 2, order: [2, 3], constant: true }),
    nIn: 2,
    nOut: 1 + 6 + 21 + 56,
  },
  {
    name: "gru + linear readout",
    build: () => sequenceModel(gru({ nIn: 3, nHidden: 4 }), linearReadout({ nIn: 4, nOut: 2 })),
    nIn: 3,
    nOut: 2,
  },
  {
    name: "expSynapse",
    build: () => expSynapse({ nPre: 4, nPost: 3, dtMs: 1, tauMs: 5 }),
    nIn: 4,
    nOut: 3,
    spikes: true,
  },
  {
    // The integrator has no parameters of its own (a gradient test over its parameters loops over
    // none): a trainable gain on its input current puts its dynamics on a checked gradient's path.
    name: "leakyIntegrator (input current × a trainable gain)",
    build: (): Cell => {
      const cell = leakyIntegrator({ n: 3, dtMs: 1, tauMs: 5 });
      return {
        ...cell,
        init: (rng: Rng) => ({ gain: randomNormal(rng, [3]) }),
        initialState: (_p: Tree, batch: number) => cell.initialState({}, batch),
        step: (p: Tree, state: { v: Tensor }, x: Tensor) =>
          cell.step({}, state, mul(x, (p as { gain: Tensor }).gain)),
      } as unknown as Cell;
    },
    nIn: 3,
    nOut: 3,
  },
  // Spiking cells gradient-check through their membrane potential: with a triangle surrogate of
  // width 1e-4 the surrogate term is exactly zero unless a potential lies within 1e-4 of the
  // threshold, so away from it autodiff must equal finite differences of the true function, spikes,
  // refractory holds and threshold adaptation included.
  ...(["hard", "soft"] as const).map((reset): Row => ({
    name: `lif (${reset} reset, refractory 3 steps, ALIF, trainable tau and threshold)`,
    build: () =>
      lif({
        n: 4,
        dtMs: 1,
        tauMs: 5,
        reset,
        refractoryMs: 3,
        adaptation: { tauMs: 20, beta: 0.5 },
        trainableTau: true,
        trainableThreshold: true,
        surrogate: { name: "triangle", scale: 1e4 },
      }),
    nIn: 4,
    nOut: 4,
    probe: ["v", "a"],
    spikesAt: "spike",
    input: { mean: 2, std: 2 },
    steps: 12,
  })),
  {
    name: "spikingClassifier (S4c; surrogate as for lif)",
    build: () =>
      spikingClassifier({
        nIn: 6,
        nHidden: 4,
        nOut: 2,
        dtMs: 1,
        checkpoint: 3,
        lif: { surrogate: { name: "triangle", scale: 1e4 } },
      }),
    nIn: 6,
    nOut: 2,
    spikes: true,
    probe: ["lif.v"],
    spikesAt: "lif.spike",
    steps: 12,
  },
  {
    name: "massNetwork (Jansen–Rit column, stimulated)",
    build: () => massNetwork({ model: "jansenRit", dt: 0.5, stimulus: ["p"], integrator: "rk4" }),
    nIn: 1,
    nOut: 1,
  },
  {
    name: "massNetwork (Hopf, 3 nodes, delays, diffusive coupling)",
    build: () =>
      massNetwork({
        model: "hopf",
        dt: 0.5,
        connectome: {
          weights: [
            [0, 1, 0.5],
            [0.3, 0, 1],
            [1, 0.2, 0],
          ],
          lengths: [
            [0, 1, 2],
            [1, 0, 1],
            [2, 1, 0],
          ],
        },
        speed: 1,
        coupling: "diffusive",
        stimulus: ["x"],
        observe: ["x", "y"],
      }),
    nIn: 3,
    nOut: 6,
  },
];

const B = 2;

function isCell(m: Cell | SequenceModel): m is Cell {
  return "step" in m;
}

/** Runs a row's model: a cell through runCell (outputs), a sequence model through apply. */
function forward(m: Cell | SequenceModel, params: Tree, xs: Tensor): Tensor {
  return isCell(m) ? runCell(m, params, xs).outputs : m.apply(params, xs).outputs;
}

/** Runs a row's model: its outputs and the traces of the given state leaves. */
function run(
  m: Cell | SequenceModel,
  params: Tree,
  xs: Tensor,
  record: readonly string[],
): { outputs: Tensor; traces: Record<string, Tensor> } {
  const r = isCell(m) ? runCell(m, params, xs, { record }) : m.apply(params, xs, { record });
  return { outputs: r.outputs, traces: r.traces ?? {} };
}

/** The outputs, with the traces of the row's probed state leaves concatenated on the last axis. */
function probed(row: Row, m: Cell | SequenceModel, params: Tree, xs: Tensor): Tensor {
  if (!row.probe) return forward(m, params, xs);
  const { outputs, traces } = run(m, params, xs, row.probe);
  return concat([outputs, ...row.probe.map((path) => traces[path] as Tensor)], 2);
}

function inputs(row: Row, seed: number): Tensor {
  const rng = Rng.fromSeed(seed);
  const shape = [row.steps ?? 5, B, row.nIn];
  const { mean, std } = row.input ?? { mean: 0, std: 1 };
  return row.spikes ? randomBernoulli(rng, shape, 0.3) : randomNormal(rng, shape, std, mean);
}

describe.each(rows)("$name", (row) => {
  it("maps [T, B, nIn] to [T, B, nOut]", () => {
    const m = row.build();
    const out = forward(m, m.init(Rng.fromSeed(0)), inputs(row, 1));
    expect(out.shape).toEqual([row.steps ?? 5, B, row.nOut]);
    expect(Array.from(out.data).every(Number.isFinite)).toBe(true);
  });

  it("gives the same parameters and outputs for the same seed", () => {
    const m = row.build();
    const a = m.init(Rng.fromSeed(7));
    const b = m.init(Rng.fromSeed(7));
    const la = treeLeaves(a);
    la.forEach((l, i) => expect(maxAbsDiff(l.leaf, treeLeaves(b)[i]?.leaf as Tensor)).toBe(0));
    expect(maxAbsDiff(forward(m, a, inputs(row, 1)), forward(m, b, inputs(row, 1)))).toBe(0);
  });

  it("keeps a JSON-serialisable config", () => {
    const m = row.build();
    expect(JSON.parse(JSON.stringify(m.config))).toEqual(m.config);
  });

  it("has float64 gradients in its parameters and inputs that match finite differences through several steps", () => {
    const m = row.build();
    const params = toFloat64(m.init(Rng.fromSeed(3)));
    const xs = toFloat64(inputs(row, 4));
    if (row.spikesAt) {
      // Not vacuous: the cells spike, so resets, refractory holds and adaptation are on the path.
      const spikes = run(m, params, xs, [row.spikesAt]).traces[row.spikesAt] as Tensor;
      expect(sum(spikes).item()).toBeGreaterThan(0);
    }
    checkGradients(
      (p: { params: Tree; xs: Tensor }) => probed(row, m, p.params, p.xs),
      { params, xs },
      {
        rtol: 1e-5,
        atol: 1e-6,
      },
    );
  });
});
