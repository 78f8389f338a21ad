/**
 * The README's library quick start: train a leaky RNN on PerceptualDecisionMaking and score it on
 * held-out trials. Run: `npx tsx examples/quickstart.ts`.
 */
import {
  Rng,
  Trainer,
  adam,
  createTask,
  evaluateTrials,
  fromData,
  leakyRNNModel,
  reshape,
  softmaxCrossEntropy,
  trialBatch,
} from "../src/index.ts";

const task = createTask("PerceptualDecisionMaking", { dtMs: 20, timing: { stimulus: 1000 } });
const model = leakyRNNModel({ nIn: task.obDim, nHidden: 64, nOut: task.nActions, tauMs: 100, dtMs: 20 });
type Params = ReturnType<typeof model.init>;

// Each batch: 16 fresh trials, padded and time-major: inputs [T, 16, obDim], targets [T·16].
const nextBatch = (rng: Rng) => {
  const b = trialBatch(task, rng, 16);
  return { x: fromData(b.inputs, [b.T, 16, b.obDim]), y: b.target as Int32Array, mask: b.mask };
};
const trainer = new Trainer<Params, ReturnType<typeof nextBatch>>({
  // Cross-entropy on the steps the task scores (its default loss mask: the decision period).
  loss: (p, b) => softmaxCrossEntropy(reshape(model.apply(p, b.x).outputs, [-1, task.nActions]), b.y, b.mask),
  optimizer: adam({ lr: 0.01 }),
  evaluate: (p) => ({ accuracy: evaluateTrials(model, p, task, { nTrials: 200, seed: 1 }).accuracy }),
});
const { params, history } = trainer.fit(model.init(Rng.fromSeed(0).fold("init")), nextBatch, {
  epochs: 10,
  stepsPerEpoch: 100,
});

console.log(history.epochs.map((e) => e.metrics["accuracy"]?.toFixed(3)).join(" "));
console.log("held-out accuracy:", evaluateTrials(model, params, task, { nTrials: 1000, seed: 2 }).accuracy);
