/** The pointwise nonlinearities of rate networks, by name (the names the fused kernels know). */
import { type Tensor, relu, sigmoid, softplus, tanh } from "../core/index.ts";
import { ACTIVATIONS, type Activation } from "../kernels/backend.ts";

export { ACTIVATIONS, type Activation };

/** `f` by name: relu, tanh, sigmoid, softplus (`log(1 + e^x)`) or identity. */
export const activationFns: Readonly<Record<Activation, (x: Tensor) => Tensor>> = {
  relu,
  tanh,
  sigmoid,
  softplus,
  identity: (x) => x,
};
