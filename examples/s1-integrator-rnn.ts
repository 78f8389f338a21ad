/**
 * S1: a vanilla ReLU RNN trained to integrate white noise, as in brainstate's tutorial "Training
 * Recurrent Neural Networks: Integrator Task".
 *
 * The tutorial draws fresh batches of 512 sequences of 25 steps (dt 0.04): input = a per-sequence
 * bias `2·0.025·(ξ − 0.5)`, ξ ~ N(0, 1), plus white noise of sd `0.01/√0.04`; target = the running
 * sum. The network is an `RNNCell` (`h' = relu([x; h] W + b)`, 100 units, Xavier-normal `W` over the
 * concatenated `[1 + 100, 100]` matrix, trainable initial state) with a `Linear(100, 1)` readout
 * (Kaiming normal, zero bias): 10,401 parameters. Training: MSE + 2e-4 · Σ w² over every parameter,
 * Adam with eps 0.1 and lr 0.025 · 0.99975^step, 2,500 batches (5 × 500). It reports a loss near
 * 0.015 at the end (mostly the L2 term, with two transient spikes) and a test MSE of 1.1e-4 on ONE
 * fresh sequence.
 *
 * Here the `Trainer` runs the same loop, and the bar is judged on the mean squared error over 512
 * fresh sequences drawn from a stream the training never sees. Xavier-normal over the concatenated
 * matrix has sd √(2 / 201) for both blocks, which we pass as a plain normal initialiser (the
 * library's `vanillaRNN` default would use the fans of each block).
 *
 * Run: `npx tsx examples/s1-integrator-rnn.ts` (add `--ci` for the reduced size).
 */
import { join } from "node:path";
import { Rng, type Tensor, fromData } from "../src/core/index.ts";
import { countParameters, linearReadout, sequenceModel, vanillaRNN } from "../src/models/index.ts";
import { adam, exponentialDecay } from "../src/optim/index.ts";
import { forecastPlot, lossCurve } from "../src/plot/index.ts";
import { integratorBatch } from "../src/tasks/index.ts";
import { type History, Trainer, mse } from "../src/train/index.ts";
import { type ExampleOptions, type ExampleResult, runIfMain, since } from "./common.ts";
import { writeFigure } from "../src/node.ts";

const SIZES = {
  full: { batchSize: 512, epochs: 5, stepsPerEpoch: 500 },
  ci: { batchSize: 64, epochs: 2, stepsPerEpoch: 100 },
} as const;

/** The integrator's step (time units): 25 steps per unit-length sequence. */
export const INTEGRATOR_DT = 0.04;
const TEST_SEQUENCES = 512;
const BAR = 2e-4;

/** A batch of integrator sequences as time-major tensors `[25, B, 1]`. */
export interface IntegratorTensors {
  readonly xs: Tensor;
  readonly ys: Tensor;
}

/** Draws `batchSize` fresh sequences from `rng` (the tutorials' `build_inputs_and_targets`). */
export function integratorTensors(rng: Rng, batchSize: number): IntegratorTensors {
  const { inputs, targets, T } = integratorBatch(rng, { batchSize, dt: INTEGRATOR_DT });
  return { xs: fromData(inputs, [T, batchSize, 1]), ys: fromData(targets, [T, batchSize, 1]) };
}

/** The held-out set of an integrator example: its error, and the figures from a finished run. */
export interface IntegratorTest<P> {
  readonly set: IntegratorTensors;
  /** Mean squared error of the network over the set. */
  mse(params: P): number;
  /** Mean of the squared targets: the error of a network that always answers 0. */
  readonly zeroPredictorMse: number;
  /**
   * Writes `loss.svg` (training loss per step, held-out MSE per epoch from `history`) and
   * `predictions.svg` (targets vs predictions on the first three held-out sequences).
   * @returns the paths written
   */
  figures(outDir: string, title: string, history: History, params: P): Promise<string[]>;
}

/** The name of the held-out metric in the history. */
export const TEST_METRIC = "test MSE";

/**
 * Draws `n` fresh sequences from `rng` as the held-out set of a network `predict(params, xs)`
 * (inputs and outputs `[T, B, 1]`).
 */
export function integratorTest<P>(
  rng: Rng,
  n: number,
  predict: (params: P, xs: Tensor) => Tensor,
): IntegratorTest<P> {
  const set = integratorTensors(rng, n);
  const [T] = set.ys.shape as [number];
  let sq = 0;
  for (const y of set.ys.data) sq += y * y;
  const shown = 3;
  const columns = (t: Tensor) =>
    Array.from({ length: T }, (_, i) => Array.from({ length: shown }, (_, b) => t.data[i * n + b] as number));
  return {
    set,
    mse: (params) => mse(predict(params, set.xs), set.ys).item(),
    zeroPredictorMse: sq / set.ys.size,
    async figures(outDir, title, history, params) {
      const metricAt = new Map(history.epochs.map((e) => [e.step - 1, e.metrics[TEST_METRIC]]));
      const points = history.steps.map(({ step, loss }) => {
        const metric = metricAt.get(step);
        return metric === undefined ? { step, loss } : { step, loss, metric };
      });
      const lossPath = join(outDir, "loss.svg");
      const lossOptions = {
        title: `${title}: training loss`,
        lossTitle: "MSE + L2",
        metricTitle: TEST_METRIC,
      };
      await writeFigure(lossPath, lossCurve(points, lossOptions));
      const predictionsPath = join(outDir, "predictions.svg");
      await writeFigure(
        predictionsPath,
        forecastPlot(
          columns(set.ys),
          columns(predict(params, set.xs)),
          INTEGRATOR_DT,
          Array.from({ length: shown }, (_, b) => `test sequence ${b + 1}`),
          { title: `${title}: predictions vs targets`, timeTitle: "time (tutorial time units)" },
        ),
      );
      return [lossPath, predictionsPath];
    },
  };
}

/** The S1 network: vanilla ReLU cell with trainable h0, Kaiming-normal linear readout. */
function integratorRNN() {
  const xavierOverConcat = { name: "normal", scale: Math.sqrt(2 / (1 + 100 + 100)) } as const;
  return sequenceModel(
    vanillaRNN({ nIn: 1, nHidden: 100, activation: "relu", trainableH0: true, init: xavierOverConcat }),
    linearReadout({ nIn: 100, nOut: 1, init: "kaimingNormal" }),
  );
}

export async function main(options: ExampleOptions): Promise<ExampleResult> {
  const t0 = performance.now();
  const size = SIZES[options.size];
  const root = Rng.fromSeed(options.seed);
  const [initRng, testRng] = [root.fold("init"), root.fold("eval")];
  const model = integratorRNN();
  const params = model.init(initRng);
  console.log(`vanilla RNN: ${countParameters(params).total} parameters`);
  type P = typeof params;
  const test = integratorTest(testRng, TEST_SEQUENCES, (p: P, xs) => model.apply(p, xs).outputs);

  const trainer = new Trainer<P, IntegratorTensors>({
    loss: (p, batch) => mse(model.apply(p, batch.xs).outputs, batch.ys),
    optimizer: adam({ lr: exponentialDecay(0.025, 0.99975), eps: 0.1 }),
    l2: { coefficient: 2e-4 },
    evaluate: (p) => ({ [TEST_METRIC]: test.mse(p) }),
    callbacks: [
      {
        onEpoch: ({ epoch, trainLoss, metrics }) =>
          console.log(
            `epoch ${epoch}: mean loss ${trainLoss.toFixed(5)}, test MSE ${(metrics[TEST_METRIC] ?? NaN).toExponential(2)}`,
          ),
      },
    ],
  });
  const { params: trained, history } = trainer.fit(params, (rng) => integratorTensors(rng, size.batchSize), {
    epochs: size.epochs,
    stepsPerEpoch: size.stepsPerEpoch,
    seed: options.seed,
  });

  const value = test.mse(trained);
  return {
    example: "S1",
    metric: `test MSE over ${TEST_SEQUENCES} fresh sequences`,
    value,
    bar: BAR,
    passed: value <= BAR,
    seconds: since(t0),
    figures: await test.figures(options.outDir, "Integrator RNN (S1)", history, trained),
    extra: {
      zeroPredictorMse: test.zeroPredictorMse,
      finalTrainLoss: history.epochs.at(-1)?.trainLoss ?? NaN,
      firstEpochTrainLoss: history.epochs[0]?.trainLoss ?? NaN,
      steps: history.steps.length,
    },
  };
}

await runIfMain(import.meta.url, "S1", main);
