// For bundlers (webpack, esbuild): a few training steps of a leaky RNN on the WebAssembly backend,
// asked for by name, so kernels the bundle cannot find fail loudly instead of falling back to
// JavaScript. Reports the backend and each epoch's mean loss, on the page or on stdout.
import {
  Rng,
  Trainer,
  adam,
  createTask,
  fromData,
  initBackend,
  leakyRNNModel,
  reshape,
  softmaxCrossEntropy,
  trialBatch,
} from "braints";

async function main() {
  const backend = await initBackend("wasm");
  const task = createTask("PerceptualDecisionMaking", { dtMs: 20, timing: { stimulus: 500 } });
  const model = leakyRNNModel({ nIn: task.obDim, nHidden: 16, nOut: task.nActions, tauMs: 100, dtMs: 20 });
  const nextBatch = (rng) => {
    const b = trialBatch(task, rng, 8);
    return { x: fromData(b.inputs, [b.T, 8, b.obDim]), y: b.target, mask: b.mask };
  };
  const losses = [];
  const trainer = new Trainer({
    loss: (p, b) =>
      softmaxCrossEntropy(reshape(model.apply(p, b.x).outputs, [-1, task.nActions]), b.y, b.mask),
    optimizer: adam({ lr: 0.01 }),
    callbacks: [{ onEpoch: (e) => losses.push(e.trainLoss) }],
  });
  trainer.fit(model.init(Rng.fromSeed(0)), nextBatch, { epochs: 2, stepsPerEpoch: 3 });
  return { backend: backend.name, losses };
}

function report(result) {
  const status = globalThis.document?.querySelector("#status");
  if (!status) return console.log(JSON.stringify(result));
  status.textContent = JSON.stringify(result);
  status.dataset.state = "done";
}

main().then(report, (error) => report({ error: String(error?.stack ?? error) }));
