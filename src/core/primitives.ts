/**
 * The primitive table: every differentiable building block, each a forward rule with its
 * derivative beside it. The type lists every primitive name: a name without a rule and a rule
 * without a name are compile errors, and the gradient-check test table iterates this object.
 */
import type { Rule } from "./rule.ts";
import { crossEntropyRules } from "./ops/crossEntropy.ts";
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
  | "softmaxCrossEntropy"
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

const rules = {
  ...elementwiseRules,
  ...reduceRules,
  ...crossEntropyRules,
  ...layoutRules,
  ...matmulRules,
  ...customRules,
  ...recurrenceRules,
  ...spikingRules,
  ...gatedRules,
  ...hornRules,
};

/**
 * Complete in both directions: every {@link PrimitiveName} has a rule, and a rule spread in under
 * a key that is not a name must be `never`, which no rule is (a compile error naming the key).
 */
export type RuleTable<Names extends string, T> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rules differ in their attribute types
  readonly [K in Names]: Rule<any>;
} & { readonly [K in Exclude<keyof T, Names>]: never };

export const primitives: RuleTable<PrimitiveName, typeof rules> = rules;
