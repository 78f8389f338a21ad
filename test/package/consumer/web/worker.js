// Trains a leaky RNN on perceptual decision making off the page's main thread, on the WebAssembly
// SIMD backend (a pool of threads when the page is cross-origin isolated), and reports each
// epoch's mean loss.
import {
  Rng,
  Trainer,
  adam,
  createTask,
  evaluateTrials,
  fromData,
  initBackend,
  leakyRNNModel,
  reshape,
  softmaxCrossEntropy,
  trialBatch,
} from "braints";

async function main() {
  const backend = await initBackend();
  postMessage({ backend: backend.name, threads: backend.threads, isolated: self.crossOriginIsolated });
  const task = createTask("PerceptualDecisionMaking", { dtMs: 20, timing: { stimulus: 500 } });
  const model = leakyRNNModel({ nIn: task.obDim, nHidden: 64, nOut: task.nActions, tauMs: 100, dtMs: 20 });
  const batchSize = 32;
  const nextBatch = (rng) => {
    const b = trialBatch(task, rng, batchSize);
    return { x: fromData(b.inputs, [b.T, batchSize, b.obDim]), y: b.target, mask: b.mask };
  };
  const trainer = new Trainer({
    loss: (p, b) =>
      softmaxCrossEntropy(reshape(model.apply(p, b.x).outputs, [-1, task.nActions]), b.y, b.mask),
    optimizer: adam({ lr: 0.01 }),
    callbacks: [{ onEpoch: (e) => postMessage({ epoch: e.epoch, loss: e.trainLoss }) }],
  });
  const { params } = trainer.fit(model.init(Rng.fromSeed(0)), nextBatch, { epochs: 4, stepsPerEpoch: 20 });
  postMessage({ accuracy: evaluateTrials(model, params, task, { nTrials: 500, seed: 1 }).accuracy });
}

main().catch((error) => postMessage({ error: String(error?.stack ?? error) }));
