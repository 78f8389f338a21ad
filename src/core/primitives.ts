/**
 * The primitive table: every differentiable building block, each a forward rule with its
 * derivative beside it. The type lists every primitive name, so a primitive without a rule is a
 * compile error, and the gradient-check test table iterates this object.
 */
import type { Rule } from "./rule.ts";
import { customRules } from "./ops/custom.ts";
import { elementwiseRules } from "./ops/elementwise.ts";
import { gatedRules } from "./ops/gated.ts";
import { hornRules } from "./ops/horn.ts";
import { layoutRules } from "./ops/layout.ts";
import { matmulRules } from "./ops/matmul.ts";
import { recurrenceRules } from "./ops/recurrence.ts";
import { reduceRules } from "./ops/reduce.ts";
import { spikingRules } from "./ops/spiking.ts";

export type PrimitiveName =
  // elementwise
  | "neg"
  | "exp"
  | "log"
  | "tanh"
  | "sigmoid"
  | "relu"
  | "softplus"
  | "abs"
  | "sqrt"
  | "sin"
  | "cos"
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "greater"
  | "greaterEqual"
  | "less"
  | "lessEqual"
  | "equal"
  | "where"
  // reductions
  | "sum"
  | "max"
  // layout
  | "reshape"
  | "transpose"
  | "broadcastTo"
  | "sliceAxis"
  | "padAxis"
  | "concat"
  | "unstack"
  | "gather"
  | "scatterAdd"
  | "cast"
  // linear algebra, user-defined, fused sequences
  | "matmul"
  | "custom"
  | "recurrence"
  | "spikingChain"
  | "gatedLayer"
  | "hornLayer";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rules differ in their attribute types
export const primitives: { readonly [K in PrimitiveName]: Rule<any> } = {
  ...elementwiseRules,
  ...reduceRules,
  ...layoutRules,
  ...matmulRules,
  ...customRules,
  ...recurrenceRules,
  ...spikingRules,
  ...gatedRules,
  ...hornRules,
};
