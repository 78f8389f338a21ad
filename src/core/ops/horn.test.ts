import { afterEach, describe, expect, it } from "vitest";
import {
  type Tensor,
  Rng,
  add,
  hornLayer,
  hornLayerFinal,
  mul,
  randomNormal,
  reshape,
  sliceAxis,
  sum,
  valueAndGrad,
} from "../../index.ts";
import type { HornForwardArgs, KernelBackend } from "../../kernels/backend.ts";
import { getBackend, setBackend } from "../../kernels/select.ts";
import { backendsUnderTest } from "../../kernels/test-util.ts";

interface Layer {
  readonly u: Tensor;
  readonly wIh: Tensor;
  readonly bIh: Tensor;
  readonly wHh: Tensor;
  readonly bHh: Tensor;
  readonly alpha: Tensor;
  readonly omega: Tensor;
  readonly gamma: Tensor;
  readonly v: Tensor;
  readonly x0: Tensor;
  readonly y0: Tensor;
  readonly [k: string]: Tensor;
}

function layer(seed: number, T: number, B: number, H: number): Layer {
  const r = Rng.fromSeed(seed);
  return {
    u: randomNormal(r, [T, B, 2]),
    wIh: randomNormal(r, [2, H], 0.6),
    bIh: randomNormal(r, [H], 0.3),
    wHh: randomNormal(r, [H, H], 0.4),
    bHh: randomNormal(r, [H], 0.3),
    alpha: randomNormal(r, [H], 0.1, 0.5),
    omega: randomNormal(r, [H], 0.05, 0.3),
    gamma: randomNormal(r, [H], 0.01, 0.05),
    v: randomNormal(r, [H], 0.2),
    x0: randomNormal(r, [B, H], 0.5),
    y0: randomNormal(r, [B, H], 0.5),
  };
}

const options = { gain: 0.8, dt: 0.5 };
const args = (l: Layer) => [l, l, { x: l.x0, y: l.y0 }, options] as const;
const last = (s: Tensor) => reshape(sliceAxis(s, 0, s.shape[0]! - 1), s.shape.slice(1));

/** The final state through the whole sequences, as a caller slicing them would read it. */
function sliced(l: Layer): { x: Tensor; y: Tensor } {
  const { xs, ys } = hornLayer(l.u, ...args(l));
  return { x: last(xs), y: last(ys) };
}

const final = (l: Layer) => hornLayerFinal(l.u, ...args(l));
const values = (g: Record<string, Tensor>) => Object.entries(g).map(([k, t]) => [k, [...t.data]]);

describe("hornLayerFinal", () => {
  const before = getBackend();
  afterEach(() => void setBackend(before));

  it.each(backendsUnderTest().map((b) => [`${b.name}/${b.threads}`, b] as const))(
    "gives the last step of hornLayer's sequences and the same gradients, bit for bit, on %s",
    (_, backend) => {
      setBackend(backend);
      const l = layer(1, 6, 5, 7);
      const [wx, wy] = [randomNormal(Rng.fromSeed(2), [5, 7]), randomNormal(Rng.fromSeed(3), [5, 7])];
      const a = final(l);
      const b = sliced(l);
      expect([...a.x.data]).toEqual([...b.x.data]);
      expect([...a.y.data]).toEqual([...b.y.data]);
      expect(a.x.shape).toEqual([5, 7]);
      // The position alone (the classifier's read), then both states. An untraced forward of the
      // same size between each forward and its backward would take and overwrite the kept
      // sequences were they given up too early; the steps after the first reuse them.
      const meddler = layer(4, 6, 5, 7);
      for (const read of [
        (s: { x: Tensor; y: Tensor }) => sum(mul(s.x, wx)),
        (s: { x: Tensor; y: Tensor }) => add(sum(mul(s.x, wx)), sum(mul(s.y, wy))),
      ]) {
        const plain = valueAndGrad((p: Layer) => read(sliced(p)))(l);
        for (let step = 0; step < 3; step++) {
          const got = valueAndGrad((p: Layer) => add(read(final(p)), mul(sum(final(meddler).x), 0)))(l);
          expect(got.value).toBe(plain.value);
          expect(values(got.grads)).toEqual(values(plain.grads));
        }
      }
    },
  );

  it("writes its sequences and tanh(I) into those of a finished backward pass of the same size", () => {
    const seen: HornForwardArgs[] = [];
    const backend = backendsUnderTest()[1] as KernelBackend;
    setBackend({
      ...backend,
      hornForward: (a) => {
        seen.push(a);
        return backend.hornForward(a);
      },
    });
    const loss = (p: Layer) => sum(final(p).x);
    valueAndGrad(loss)(layer(1, 4, 3, 5));
    final(layer(2, 4, 3, 6)); // another size
    valueAndGrad(loss)(layer(3, 4, 3, 5));
    const kept = (a: HornForwardArgs | undefined) => [a?.xsInto, a?.ysInto, a?.driveInto];
    expect(kept(seen[0])).toEqual([undefined, undefined, undefined]);
    expect(kept(seen[1])).toEqual([undefined, undefined, undefined]);
    for (const a of kept(seen[2])) expect(a).toHaveLength(4 * 3 * 5);
  });
});
