/**
 * The recurrence's pointwise nonlinearities and their derivatives, both as functions of the
 * pre-activation, in plain TypeScript (float64 arithmetic; rounding happens at the store).
 */
import type { Activation } from "../backend.ts";

/** A nonlinearity `f` and its derivative `f'`, both evaluated at the pre-activation `x`. */
export interface ActivationFns {
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
  /** `f'(x)` from the output `y = f(x)`; absent for softplus, where it would lose precision. */
  readonly dfOfOutput?: (y: number) => number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** tanh' and sigmoid' from their outputs y. */
const tanhSlope = (y: number): number => 1 - y * y;
const sigmoidSlope = (y: number): number => y * (1 - y);

/** Above this, `softplus(x) = x` to float precision; PyTorch uses the same threshold. */
const SOFTPLUS_LINEAR_ABOVE = 20;

/** `f` and `f'` for every {@link Activation}. */
export const ACTIVATION_FNS: Readonly<Record<Activation, ActivationFns>> = {
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0), dfOfOutput: (y) => (y > 0 ? 1 : 0) },
  tanh: { f: Math.tanh, df: (x) => tanhSlope(Math.tanh(x)), dfOfOutput: tanhSlope },
  sigmoid: { f: sigmoid, df: (x) => sigmoidSlope(sigmoid(x)), dfOfOutput: sigmoidSlope },
  identity: { f: (x) => x, df: () => 1, dfOfOutput: () => 1 },
  softplus: { f: (x) => (x > SOFTPLUS_LINEAR_ABOVE ? x : Math.log1p(Math.exp(x))), df: sigmoid },
};
