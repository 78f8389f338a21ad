/**
 * The fused spiking-chain primitive (S4c's network in one kernel call, forward and BPTT; see
 * `kernels/js/spiking.ts` for the equations). Models use it as the fast path of the step-by-step
 * cell; a test proves both give the same values and gradients.
 */
import { apply } from "../autodiff.ts";
import { BraintsError, ShapeError, ValueError, fmtShape } from "../../base/errors.ts";
import type { Rule } from "../rule.ts";
import { Tensor } from "../tensor.ts";
import {
  type SpikingChainConstants,
  type SpikingChainOutput,
  checkSpikingChain,
} from "../../kernels/js/spiking.ts";
import { getBackend } from "../../kernels/index.ts";

/** Operands are float32 (checked in {@link spikingChain}), and so are their cotangents. */
const f32 = (t: Tensor) => t.data as Float32Array;

function shapeOf(x: Tensor, w1: Tensor, w2: Tensor) {
  const [T, B, nIn] = x.shape as [number, number, number];
  return { T, B, nIn, N: w1.shape[1] as number, O: w2.shape[1] as number };
}

/** The chain's constants, and which of its outputs a call returns. */
export interface ChainAttrs {
  readonly constants: SpikingChainConstants;
  readonly output: SpikingChainOutput;
}

/** The backend's handle to each readout forward's tape, by the readout's buffer (see `SpikingChainForward.tape`). */
const tapes = new WeakMap<Float32Array, object>();

export const spikingRules = {
  spikingChain: {
    name: "spikingChain",
    forward: ([x, w1, w2], { constants, output }: ChainAttrs) => {
      const sh = shapeOf(x as Tensor, w1 as Tensor, w2 as Tensor);
      const r = getBackend().spikingChainForward(
        sh,
        constants,
        f32(x as Tensor),
        f32(w1 as Tensor),
        f32(w2 as Tensor),
        output,
      );
      if (r.u) {
        const u = new Tensor(output === "u" ? [sh.T, sh.B, sh.O] : [sh.B, sh.O], r.u);
        if (r.tape) tapes.set(r.u, r.tape);
        return [u];
      }
      if (!r.states) throw new BraintsError(`spikingChain: the backend returned no ${output}`);
      const hidden = [sh.T, sh.B, sh.N];
      return [new Tensor(hidden, r.states.s), new Tensor(hidden, r.states.v)];
    },
    vjp: (cts, [x, w1, w2], outputs, { constants, output }: ChainAttrs, needs) => {
      if (needs[0]) {
        // The kernel has no input gradient; a zero one would be a wrong answer, not a missing one.
        throw new BraintsError(
          "spikingChain: the gradient with respect to the input x is not implemented, got a traced x. " +
            "Compose the chain from cells (runCell) to differentiate through the input spikes",
        );
      }
      const states = output === "states";
      const [dU, dS, dV] = states ? [null, cts[0], cts[1]] : [cts[0], null, null];
      const grads = getBackend().spikingChainBackward(
        shapeOf(x as Tensor, w1 as Tensor, w2 as Tensor),
        constants,
        f32(x as Tensor),
        f32(w1 as Tensor),
        f32(w2 as Tensor),
        output,
        dU ? f32(dU) : null,
        dS ? f32(dS) : null,
        dV ? f32(dV) : null,
        states ? null : (tapes.get(f32(outputs[0] as Tensor)) ?? null),
      );
      return [
        null,
        needs[1] ? new Tensor((w1 as Tensor).shape, grads.dW1) : null,
        needs[2] ? new Tensor((w2 as Tensor).shape, grads.dW2) : null,
      ];
    },
  } satisfies Rule<ChainAttrs>,
};

/**
 * What {@link spikingChain} returns, all time-major. Each output is computed when first read, by its
 * own run of the kernel (the hidden states share one), so a loss pays only for what it reads: a loss
 * on `uMax` alone never has the readout at every step leave the kernel.
 */
export interface SpikingChainResult {
  /** Readout potential `[T, B, O]`. */
  readonly u: Tensor;
  /**
   * Its maximum over time `max_t U_t` `[B, O]`: the value and gradient of `max(u, 0)` (ties share
   * the gradient equally), without `u` `[T, B, O]`.
   */
  readonly uMax: Tensor;
  /** Hidden spikes `[T, B, N]`. */
  readonly spikes: Tensor;
  /** Hidden membrane potential after reset `[T, B, N]`. */
  readonly v: Tensor;
}

/**
 * Runs input spikes x `[T, B, nIn]` through synapse W₁ `[nIn, N]`, LIF neurons, synapse W₂ `[N, O]`
 * and a leaky-integrator readout in one fused float32 kernel (x must not be traced: the kernel has
 * no input gradient). Operands must be float32. The readout, its maximum over time and the hidden
 * states are separate kernel calls, each with its own BPTT: gradients through several add up.
 */
export function spikingChain(
  x: Tensor,
  w1: Tensor,
  w2: Tensor,
  constants: SpikingChainConstants,
): SpikingChainResult {
  if (
    x.rank !== 3 ||
    w1.rank !== 2 ||
    w2.rank !== 2 ||
    w1.shape[0] !== x.shape[2] ||
    w2.shape[0] !== w1.shape[1]
  ) {
    throw new ShapeError(
      `spikingChain: need x [T, B, nIn], w1 [nIn, N], w2 [N, O], got x ${fmtShape(x.shape)}, w1 ${fmtShape(w1.shape)}, w2 ${fmtShape(w2.shape)}`,
    );
  }
  for (const [name, t] of Object.entries({ x, w1, w2 })) {
    if (t.dtype !== "float32") {
      throw new ValueError(
        `spikingChain: the fused kernel computes in float32, got ${name} in ${t.dtype}. ` +
          "Cast the operands to float32, or run the cells step by step for float64",
      );
    }
  }
  checkSpikingChain(shapeOf(x, w1, w2), constants);
  const runs = new Map<SpikingChainOutput, Tensor[]>();
  const read = (output: SpikingChainOutput, i = 0) => {
    let run = runs.get(output);
    if (!run) runs.set(output, (run = apply(spikingRules.spikingChain, [x, w1, w2], { constants, output })));
    return run[i] as Tensor;
  };
  return {
    get u() {
      return read("u");
    },
    get uMax() {
      return read("uMax");
    },
    get spikes() {
      return read("states", 0);
    },
    get v() {
      return read("states", 1);
    },
  };
}
