// tanh and the logistic sigmoid over a whole array, four lanes at a time: the generic path's
// float32 `tanh` and `sigmoid` primitives (a user's cell), with the fused kernels' vector maths.
import { SIGMOID, TANH } from "./activation";
import { sigmoid4, tanh4 } from "./vmath";

/**
 * Below this the sigmoid is under float32's smallest normal number (e^-87.34): it is given as 0,
 * where the clamped exponential would leave about 1e-38 (the exact value rounds to 0 below -104).
 */
const SIGMOID_ZERO_BELOW: f32 = -87.3365447504;

/**
 * y ← f(x) for `n` floats at byte offsets `x` and `y` (which may be equal), f = tanh or sigmoid
 * by `kind` (activation.ts's numbering). Whole vectors only: the caller pads both arrays to a
 * multiple of four floats, so the last lanes need no scalar loop (which would round differently).
 */
export function activateArray(x: usize, y: usize, n: i32, kind: i32): void {
  const end = x + (((<usize>(n + 3)) >> 2) << 4);
  const shift = y - x;
  if (kind == TANH) {
    for (let p = x; p < end; p += 16) v128.store(p + shift, tanh4(v128.load(p)));
  } else if (kind == SIGMOID) {
    const low = f32x4.splat(SIGMOID_ZERO_BELOW);
    for (let p = x; p < end; p += 16) {
      const v = v128.load(p);
      v128.store(p + shift, v128.andnot(sigmoid4(v), f32x4.lt(v, low)));
    }
  } else {
    unreachable();
  }
}
