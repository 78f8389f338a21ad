// A plain-JavaScript consumer: trains a leaky RNN on perceptual decision making for a few epochs
// and prints the backend and the mean training loss of each epoch, one JSON object per line.
import {
  Rng,
  Trainer,
  adam,
  createTask,
  evaluateTrials,
  fromData,
  getBackend,
  leakyRNNModel,
  reshape,
  softmaxCrossEntropy,
  trialBatch,
} from "braints";

const task = createTask("PerceptualDecisionMaking", { dtMs: 20, timing: { stimulus: 500 } });
const model = leakyRNNModel({ nIn: task.obDim, nHidden: 32, nOut: task.nActions, tauMs: 100, dtMs: 20 });
const batchSize = 16;
const nextBatch = (rng) => {
  const b = trialBatch(task, rng, batchSize);
  return { x: fromData(b.inputs, [b.T, batchSize, b.obDim]), y: b.target, mask: b.mask };
};
const trainer = new Trainer({
  loss: (p, b) => softmaxCrossEntropy(reshape(model.apply(p, b.x).outputs, [-1, task.nActions]), b.y, b.mask),
  optimizer: adam({ lr: 0.01 }),
  callbacks: [{ onEpoch: (e) => console.log(JSON.stringify({ epoch: e.epoch, loss: e.trainLoss })) }],
});
console.log(JSON.stringify({ backend: getBackend().name, threads: getBackend().threads }));
const { params } = trainer.fit(model.init(Rng.fromSeed(0)), nextBatch, { epochs: 4, stepsPerEpoch: 25 });
const { accuracy } = evaluateTrials(model, params, task, { nTrials: 500, seed: 1 });
console.log(JSON.stringify({ accuracy }));
