/** What the tests of the fused primitives share. */
import { afterEach, expect, it } from "vitest";
import { type Tensor, add, mul, sum, valueAndGrad } from "../../index.ts";
import type { KernelBackend } from "../../kernels/backend.ts";
import { createBackend, getBackend, setBackend } from "../../kernels/select.ts";

type Forward = "recurrenceForward" | "gatedForward";

/** A fused primitive whose forward may write an array only its derivative reads into a kept one (see `spares`). */
export interface ReuseCase<K extends Forward, L extends { readonly target: Tensor }> {
  /** The kernel, and the argument through which a kept array reaches it. */
  readonly kernel: K;
  readonly into: (a: Parameters<KernelBackend[K]>[0]) => Float32Array | undefined;
  /** What the kept array holds, in words, and its floats per state value. */
  readonly what: string;
  readonly perState: number;
  /** Inputs and parameters of size `[T, B, H]` from a seed, with a `target` `[T, B, H]`. */
  readonly layer: (seed: number, T: number, B: number, H: number) => L;
  /** The primitive's states `[T, B, H]`. */
  readonly states: (l: L) => Tensor;
}

/** The WASM backend on one thread, recording the kept array each forward of `kernel` receives. */
function recording<K extends Forward, L extends { readonly target: Tensor }>(c: ReuseCase<K, L>) {
  const seen: (Float32Array | undefined)[] = [];
  const wasm = createBackend("wasm");
  const forward = wasm[c.kernel] as (a: Parameters<KernelBackend[K]>[0]) => unknown;
  setBackend({
    ...wasm,
    [c.kernel]: (a: Parameters<KernelBackend[K]>[0]) => {
      seen.push(c.into(a));
      return forward(a);
    },
  });
  return seen;
}

/** The two tests of a primitive's reuse: what it reuses, and that reuse changes nothing. */
export function testReuse<K extends Forward, L extends { readonly target: Tensor }>(
  c: ReuseCase<K, L>,
): void {
  const before = getBackend();
  afterEach(() => void setBackend(before));

  it(`a forward writes its ${c.what} into those of a finished backward pass of the same size, and no other`, () => {
    const seen = recording(c);
    const loss = (l: L) => sum(mul(c.states(l), l.target));
    valueAndGrad(loss)(c.layer(1, 7, 3, 5));
    c.states(c.layer(2, 7, 3, 6)); // another size
    valueAndGrad(loss)(c.layer(3, 7, 3, 5));
    expect(seen.slice(0, 2)).toEqual([undefined, undefined]);
    expect(seen[2]).toBeInstanceOf(Float32Array);
    expect(seen[2]).toHaveLength(7 * 3 * 5 * c.perState);
  });

  it(`reusing the ${c.what} changes no value or gradient, with other forwards of the same size between forward and backward`, () => {
    recording(c);
    const [p, q] = [c.layer(4, 9, 2, 4), c.layer(5, 9, 2, 4)];
    const grads = (g: Record<string, Tensor>) => Object.values(g).map((t) => [...t.data]);
    const plain = valueAndGrad((l: L) => sum(mul(c.states(l), l.target)))(p);
    // Each step runs, inside its loss and after the traced forward, an untraced forward of the
    // same size: were the traced one's arrays given up before its backward pass, it would take
    // and overwrite them.
    const meddling = (l: L) => add(sum(mul(c.states(l), l.target)), mul(sum(c.states(q)), 0));
    for (let step = 0; step < 3; step++) {
      const again = valueAndGrad(meddling)(p);
      expect(again.value).toBe(plain.value);
      expect(grads(again.grads as Record<string, Tensor>)).toEqual(
        grads(plain.grads as Record<string, Tensor>),
      );
    }
  });
}
