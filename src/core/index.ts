export { Rng, type RngState } from "./random.ts";
export { BraintsError, ShapeError, ValueError, DivergenceError } from "./errors.ts";
