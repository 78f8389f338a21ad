// Pointwise nonlinearities f and their derivatives f', numbered as ACTIVATIONS in backend.ts.

export const RELU = 0;
export const TANH = 1;
export const SIGMOID = 2;
export const IDENTITY = 3;
export const SOFTPLUS = 4;

/** Above this, softplus(x) = x to float precision (PyTorch's threshold). */
const SOFTPLUS_LINEAR_ABOVE: f32 = 20;

function sigmoid(x: f32): f32 {
  return 1 / (1 + Mathf.exp(-x));
}

/** f(x). A NaN input to relu gives 0, as `x > 0 ? x : 0` does in the reference. */
export function activate(x: f32, kind: i32): f32 {
  if (kind == RELU) return x > 0 ? x : 0;
  if (kind == TANH) return Mathf.tanh(x);
  if (kind == SIGMOID) return sigmoid(x);
  if (kind == IDENTITY) return x;
  return x > SOFTPLUS_LINEAR_ABOVE ? x : Mathf.log1p(Mathf.exp(x));
}

/**
 * f'(x) from the output y = f(x), for every activation but softplus (see `derivativeFromStates`
 * in backend.ts).
 */
export function derivativeOfOutput(y: f32, kind: i32): f32 {
  if (kind == RELU) return y > 0 ? 1 : 0;
  if (kind == TANH) return 1 - y * y;
  if (kind == SIGMOID) return y * (1 - y);
  return 1;
}

/** f'(x), from the pre-activation: softplus' is the sigmoid, the others follow from f(x). */
export function derivative(x: f32, kind: i32): f32 {
  return kind == SOFTPLUS ? sigmoid(x) : derivativeOfOutput(activate(x, kind), kind);
}
