// A TypeScript consumer of every entry point, checked with module NodeNext and strict and nothing
// else. The @ts-expect-error lines must each be an error: were braints typed loosely (any), tsc
// would report them as unused directives and fail.
import {
  Rng,
  type Tensor,
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
import { type TaskName, createTask as createTaskOnly, taskNames } from "braints/tasks";
import { type Figure, lossCurve, renderSVG } from "braints/plot";
import { type RunConfig, parseRunConfig } from "braints/recipes";
import { Run, loadCheckpoint } from "braints/node";

const task = createTask("PerceptualDecisionMaking", { dtMs: 20 });
const model = leakyRNNModel({ nIn: task.obDim, nHidden: 32, nOut: task.nActions, tauMs: 100, dtMs: 20 });
type Params = ReturnType<typeof model.init>;
interface Batch {
  readonly x: Tensor;
  readonly y: Int32Array;
  readonly mask: Float32Array;
}
const nextBatch = (rng: Rng): Batch => {
  const b = trialBatch(task, rng, 16);
  return { x: fromData(b.inputs, [b.T, 16, b.obDim]), y: b.target as Int32Array, mask: b.mask };
};
const trainer = new Trainer<Params, Batch>({
  loss: (p, b) => softmaxCrossEntropy(reshape(model.apply(p, b.x).outputs, [-1, task.nActions]), b.y, b.mask),
  optimizer: adam({ lr: 0.01 }),
});
export async function main(): Promise<number> {
  await initBackend("wasm");
  const { params, history } = trainer.fit(model.init(Rng.fromSeed(0)), nextBatch, { epochs: 1 });
  const figure: Figure = lossCurve(history.steps);
  const svg: string = await renderSVG(figure);
  const config: RunConfig = parseRunConfig({ task: { name: "GoNogo" } });
  const names: readonly TaskName[] = taskNames;
  const trial = createTaskOnly("GoNogo").sampleTrial(Rng.fromSeed(1));
  const checkpoint = loadCheckpoint;
  const run: typeof Run = Run;
  const accuracy: number = evaluateTrials(model, params, task, { nTrials: 10 }).accuracy;
  return (
    svg.length +
    config.kind.length +
    names.length +
    trial.gt.length +
    accuracy +
    String(checkpoint).length +
    run.length
  );
}

// @ts-expect-error nHidden is a number
leakyRNNModel({ nIn: 3, nHidden: "32", nOut: 3, tauMs: 100, dtMs: 20 });
// @ts-expect-error the batch size is a number
trialBatch(task, Rng.fromSeed(0), "16");
// @ts-expect-error a task's observation size is a number
export const obDim: string = task.obDim;
// @ts-expect-error trials are sampled with an Rng, not a seed
createTaskOnly("GoNogo").sampleTrial(1);
