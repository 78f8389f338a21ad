/**
 * The tasks alone (`braints/tasks`): NeuroGym-family tasks, time series and synthetic sets as plain
 * typed arrays, with the seeded PRNG and the error classes they use; no tensors, no autodiff.
 *
 * @example
 * import { Rng, createTask } from "braints/tasks";
 * const trial = createTask("PerceptualDecisionMaking").sampleTrial(Rng.fromSeed(0)); // ob [T·obDim], gt [T]
 */
export * from "./tasks/index.ts";
export { Rng, type RngState } from "./base/random.ts";
export { BraintsError, ShapeError, ValueError } from "./base/errors.ts";
