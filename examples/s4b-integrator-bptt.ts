/**
 * S4b: BrainPy's BPTT trainer on the white-noise integrator, from the tutorial "Training a Brain
 * Dynamics Model" (second part).
 *
 * The tutorial holds its data batch-first, `[128, 25, 1]` per batch (the integrator of S1: bias
 * `2·0.025·(ξ − 0.5)` plus white noise of sd `0.01/√0.04`, target = running sum), and trains
 * `RNNCell(1, 100, train_state=True)` (ReLU; Xavier-normal input and recurrent weights, zero bias
 * and initial state) followed by `Dense(100, 1)` (Xavier normal, zero bias) with `bp.train.BPTT`:
 * MSE + 2e-4 · ‖trainable variables‖², Adam with eps 0.1 and lr 0.025 · 0.99975^step, 30 epochs of
 * 100 fresh batches. It prints the mean training loss every 500 steps, ending at 0.01643 after
 * 3,000 steps (0.02201 after 500), and plots a prediction on one fresh sequence.
 *
 * Here the `Trainer` runs the loop on batch-first batches (converted to braints' time-major layout
 * inside the loss), the bar is the mean training loss over the last 500 steps, and the held-out
 * MSE over 512 fresh sequences is reported beside it.
 *
 * Run: `npx tsx examples/s4b-integrator-bptt.ts` (add `--ci` for the reduced size).
 */
import { Rng, fromData } from "../src/core/index.ts";
import { toBatchFirst, toTimeMajor } from "../src/data/index.ts";
import { countParameters, linearReadout, sequenceModel, vanillaRNN } from "../src/models/index.ts";
import { adam, exponentialDecay } from "../src/optim/index.ts";
import { integratorBatch } from "../src/tasks/index.ts";
import { Trainer, mse } from "../src/train/index.ts";
import { type ExampleOptions, type ExampleResult, runIfMain, since } from "./common.ts";
import { INTEGRATOR_DT, TEST_METRIC, integratorTest } from "./s1-integrator-rnn.ts";

/** 30 epochs of 100 batches of 128 with a report every 500 steps (BrainPy's), and a short CI run. */
const SIZES = {
  full: { batchSize: 128, epochs: 30, stepsPerEpoch: 100, reportEvery: 500 },
  ci: { batchSize: 64, epochs: 8, stepsPerEpoch: 50, reportEvery: 50 },
} as const;

const TEST_SEQUENCES = 512;
const BAR = 0.02;

/** A batch as BrainPy holds it: batch-first `[B, T, 1]` inputs and targets. */
interface BatchFirst {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly B: number;
  readonly T: number;
}

function batchFirst(rng: Rng, B: number): BatchFirst {
  const { inputs, targets, T } = integratorBatch(rng, { batchSize: B, dt: INTEGRATOR_DT });
  return { inputs: toBatchFirst(inputs, T, B), targets: toBatchFirst(targets, T, B), B, T };
}

export async function main(options: ExampleOptions): Promise<ExampleResult> {
  const t0 = performance.now();
  const size = SIZES[options.size];
  const root = Rng.fromSeed(options.seed);
  const [initRng, testRng] = [root.fold("init"), root.fold("eval")];
  const model = sequenceModel(
    vanillaRNN({ nIn: 1, nHidden: 100, activation: "relu", trainableH0: true, init: "xavierNormal" }),
    linearReadout({ nIn: 100, nOut: 1, init: "xavierNormal" }),
  );
  const params = model.init(initRng);
  console.log(`RNN: ${countParameters(params).total} parameters`);
  type P = typeof params;
  const test = integratorTest(testRng, TEST_SEQUENCES, (p: P, xs) => model.apply(p, xs).outputs);

  const timeMajor = (x: Float32Array, b: BatchFirst) => fromData(toTimeMajor(x, b.B, b.T), [b.T, b.B, 1]);
  let windowSum = 0;
  const trainer = new Trainer<P, BatchFirst>({
    loss: (p, b) => mse(model.apply(p, timeMajor(b.inputs, b)).outputs, timeMajor(b.targets, b)),
    optimizer: adam({ lr: exponentialDecay(0.025, 0.99975), eps: 0.1 }),
    l2: { coefficient: 2e-4 },
    evaluate: (p) => ({ [TEST_METRIC]: test.mse(p) }),
    callbacks: [
      {
        onStep: ({ step, loss }) => {
          windowSum += loss;
          if ((step + 1) % size.reportEvery !== 0) return;
          console.log(`Train ${step + 1} steps, train loss ${(windowSum / size.reportEvery).toFixed(5)}`);
          windowSum = 0;
        },
      },
    ],
  });
  const { params: trained, history } = trainer.fit(params, (rng) => batchFirst(rng, size.batchSize), {
    epochs: size.epochs,
    stepsPerEpoch: size.stepsPerEpoch,
    seed: options.seed,
  });

  const mean = (xs: readonly { loss: number }[]) => xs.reduce((s, x) => s + x.loss, 0) / xs.length;
  const finalLoss = mean(history.steps.slice(-size.reportEvery));
  const firstLoss = mean(history.steps.slice(0, size.reportEvery));
  return {
    example: "S4b",
    metric: `mean training loss (MSE + L2) over the last ${size.reportEvery} steps`,
    value: finalLoss,
    bar: BAR,
    passed: finalLoss <= BAR,
    seconds: since(t0),
    figures: await test.figures(options.outDir, "BPTT integrator (S4b)", history, trained),
    extra: {
      firstWindowLoss: firstLoss,
      testMse: test.mse(trained),
      steps: history.steps.length,
    },
  };
}

await runIfMain(import.meta.url, "S4b", main);
