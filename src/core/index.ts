/** The differentiable core: tensors, primitives, autodiff, scan and the PRNG. */
export { Rng, type RngState } from "../base/random.ts";
export { BraintsError, ShapeError, ValueError, DivergenceError } from "../base/errors.ts";
export { type Shape, sizeOf } from "../base/shape.ts";
export {
  Tensor,
  type DType,
  type TensorLike,
  type NestedArray,
  tensor,
  scalar,
  fromData,
  full,
  zeros,
  ones,
  arange,
  eye,
  randomNormal,
  randomUniform,
  randomBernoulli,
} from "./tensor.ts";
export { type Tree, type TreeOf, treeLeaves, treeMap } from "./tree.ts";
export { valueAndGrad, grad, stopGradient, type GradOptions } from "./autodiff.ts";
export { scan, type ScanOptions, type ScanStep } from "./scan.ts";
export { primitives, type PrimitiveName } from "./primitives.ts";
export {
  neg,
  exp,
  log,
  tanh,
  sigmoid,
  relu,
  softplus,
  abs,
  sqrt,
  sin,
  cos,
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  greater,
  greaterEqual,
  less,
  lessEqual,
  equal,
  where,
  square,
  clip,
} from "./ops/elementwise.ts";
export { sum, max, mean, logsumexp, logSoftmax, softmax } from "./ops/reduce.ts";
export {
  reshape,
  transpose,
  broadcastTo,
  sliceAxis,
  slice,
  padAxis,
  concat,
  stack,
  unstack,
  gather,
  cast,
  oneHot,
} from "./ops/layout.ts";
export { matmul, type MatmulOptions } from "./ops/matmul.ts";
export { customVjp } from "./ops/custom.ts";
export {
  recurrence,
  rnnLayer,
  type RecurrenceOptions,
  type RnnLayerOptions,
  type RnnLayerParams,
} from "./ops/recurrence.ts";
export { spikingChain, type SpikingChainResult } from "./ops/spiking.ts";
export {
  gruLayer,
  gruReadout,
  lstmLayer,
  lstmReadout,
  type GatedLayerParams,
  type GatedReadout,
} from "./ops/gated.ts";
export {
  hornLayer,
  hornLayerFinal,
  hornLayerReadout,
  type HornConstants,
  type HornLayerOptions,
  type HornLayerParams,
} from "./ops/horn.ts";
export type { SpikingChainConstants, SurrogateKind } from "../kernels/js/spiking.ts";
