/**
 * A cell a user writes from primitives runs on the generic path (`scan` over matmul, sigmoid,
 * tanh, ...): the GRU of benchmark W6, written that way, must give the fused GRU kernel's loss and
 * gradients (W4) on the same weights. In float64 both sides are exact up to rounding order; in
 * float32 the fused kernel runs on the WebAssembly backend.
 */
import { describe, expect, it } from "vitest";
import {
  Rng,
  type Tensor,
  cast,
  gru,
  linearReadout,
  randomNormal,
  sequenceModel,
  softmaxCrossEntropy,
  valueAndGrad,
} from "../../src/index.ts";
import { type GruModelParams, userGruLogits } from "../../bench/training.ts";
import { expectTreesClose, toFloat64 } from "./helpers.ts";

const [I, H, O, T, B] = [3, 16, 3, 12, 5];
const model = sequenceModel(gru({ nIn: I, nHidden: H }), linearReadout({ nIn: H, nOut: O }));
const params = model.init(Rng.fromSeed(4));
const x32 = randomNormal(Rng.fromSeed(5), [T, B, I]);
const labels = Int32Array.from({ length: T * B }, (_, i) => (i * 7) % O);

describe("a GRU written from primitives under scan", () => {
  it.each([
    { dtype: "float64", tol: 1e-12 },
    { dtype: "float32", tol: 1e-6 },
  ] as const)("gives the fused GRU's loss and gradients ($dtype, within $tol)", ({ dtype, tol }) => {
    const p = dtype === "float64" ? toFloat64(params) : params;
    const x = cast(x32, dtype);
    const loss = (logits: (q: GruModelParams) => Tensor) => (q: GruModelParams) =>
      softmaxCrossEntropy(logits(q), labels);
    const fused = valueAndGrad(loss((q) => model.apply(q, x).outputs))(p);
    const user = valueAndGrad(loss((q) => userGruLogits(q, x)))(p);
    expect(Math.abs(user.value - fused.value)).toBeLessThanOrEqual(tol * Math.abs(fused.value));
    expectTreesClose(user.grads, fused.grads, tol);
  });
});
