/**
 * The source tutorials as presets: each is a run config the CLI accepts as it is, with the bar the
 * tutorial's result is held to (docs/examples.md has the full-size runs).
 */
import type { FixedPointInput } from "braints/recipes";

/** A tutorial setting for the page. */
export interface Preset {
  readonly id: string;
  readonly title: string;
  /** What the preset reproduces, one line. */
  readonly about: string;
  /** The bar, as a sentence, and as a number on the accuracy axis when it is one. */
  readonly bar: string;
  readonly barValue?: number;
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * The input the network is held at for the fixed-point search (`analyzeDynamics`'
   * `fixedPointInput`; default zero, the autonomous network). A network whose cue is on for most of
   * every trial never runs at zero input, and may have no fixed point there.
   */
  readonly fixedPointInput?: FixedPointInput;
}

export const PRESETS: readonly Preset[] = [
  {
    id: "S0",
    title: "S0 · HORN delayed match",
    about:
      "brainmass's HORN tutorial: 64 damped harmonic oscillators (α 0.2, ω 2π/28) remember a sample through a delay and report whether the test matches it (NeuroGym's DelayMatchSample at 100 ms steps).",
    bar: "≥ 0.98 held-out accuracy",
    barValue: 0.98,
    config: {
      task: { name: "DelayMatchSample", options: { dtMs: 100 } },
      model: { type: "horn", hidden: 64 },
      training: { epochs: 8, stepsPerEpoch: 50, batchSize: 32, optimizer: "adam", lr: 0.03, lossOn: "all" },
      evaluation: { trials: 512 },
    },
  },
  {
    id: "S2",
    title: "S2 · DelayComparison",
    about:
      "BrainPy's parametric working memory: a leaky RNN compares two frequencies across a delay of 0.2–3.2 s.",
    bar: "≥ 0.90 held-out accuracy",
    barValue: 0.9,
    config: {
      task: {
        name: "DelayComparison",
        options: { dtMs: 100, timing: { delay: { kind: "choice", options: [200, 400, 800, 1600, 3200] } } },
      },
      model: { type: "leakyRNN", hidden: 64, tauMs: 100, activation: "relu" },
      training: {
        epochs: 20,
        stepsPerEpoch: 100,
        batchSize: 16,
        optimizer: "adam",
        lr: 0.003,
        lossOn: "all",
      },
      evaluation: { trials: 512 },
    },
  },
  {
    id: "S3",
    title: "S3 · perceptual decision",
    about:
      "The PyTorch lab's CT-RNN: 128 leaky ReLU units integrate a noisy motion stimulus for 1 s and report its direction when the fixation cue goes off (the lab's NeuroGym kept it on through the stimulus). Fixed points at the fixation period's input: the network waiting for the stimulus.",
    bar: "≥ 0.86 trial accuracy over 2,000 held-out trials (ideal observer 0.884)",
    barValue: 0.86,
    config: {
      task: {
        name: "PerceptualDecisionMaking",
        options: { dtMs: 20, timing: { stimulus: 1000 }, fixationCue: "untilDecision" },
      },
      model: { type: "leakyRNN", hidden: 128, tauMs: 100, activation: "relu" },
      training: { epochs: 20, stepsPerEpoch: 100, batchSize: 16, optimizer: "adam", lr: 0.01, lossOn: "all" },
      evaluation: { trials: 512 },
    },
    // The input is zero only at the decision, where the network is moving to its answer; held at zero
    // the trained network had no fixed point, at the fixation period's input one or two (seeds 0-2).
    fixedPointInput: { period: "fixation" },
  },
  {
    id: "S4a",
    title: "S4a · NG-RC Lorenz",
    about:
      "BrainPy's next-generation reservoir computer: NVAR features (4 taps, stride 5, order 2) and ridge readouts forecast the Lorenz attractor.",
    bar: "one-step-ahead test MSE ≤ 1e-8",
    config: { kind: "forecast" },
  },
  {
    id: "S4c",
    title: "S4c-small · spiking",
    about:
      "BrainPy's spiking classifier at a size that trains in about a minute: 64 random spike trains of 50 ms, 10 LIF neurons, surrogate gradients.",
    bar: "≥ 0.98 training accuracy (labels are coin flips: it memorises)",
    barValue: 0.98,
    config: {
      kind: "spiking",
      data: { samples: 64, steps: 500, inputs: 100, rateHz: 5, dtMs: 0.1 },
      model: { hidden: 10 },
      training: { epochs: 8, stepsPerEpoch: 50, lr: 0.005 },
      evaluation: { samples: 64 },
    },
  },
];
