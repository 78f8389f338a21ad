/**
 * Library forwards and derivatives run with recording off (a depth counter) on the traced tensors
 * themselves: these check, through the public API, that the counter cannot leak (errors thrown
 * inside forwards and derivatives, user code nested in library code), that buffers a pass returns
 * are never recycled under a later pass, and that user code inside forwards, derivatives and
 * checkpointed scans still differentiates, against float64 finite differences.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  Rng,
  type Tensor,
  add,
  customVjp,
  exp,
  mean,
  mul,
  randomNormal,
  reshape,
  scan,
  sigmoid,
  sliceAxis,
  sum,
  tanh,
  valueAndGrad,
} from "../../src/index.ts";
import { configurePool } from "../../src/core/pool.ts";
import { checkGradients } from "./gradcheck.ts";

const f64 = "float64" as const;
const rng = Rng.fromSeed(17);
const x0 = randomNormal(rng, [3, 4], 1, 0, f64);

/** A loss of several library ops whose gradient is known in closed form: sum(tanh(x) * x). */
const loss = (p: { x: Tensor }) => sum(mul(tanh(p.x), p.x));
const exact = (x: Tensor) => Array.from(x.data, (v) => Math.tanh(v) + v * (1 - Math.tanh(v) ** 2));

/** Whether the gradient of {@link loss} is still right (a node recorded per op, values exact). */
function expectGradientStillRight(): void {
  const { grads } = valueAndGrad(loss)({ x: x0 });
  const want = exact(x0);
  Array.from(grads.x.data).forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 12));
}

describe("recording after errors thrown inside forwards and derivatives", () => {
  it("a custom forward that throws under a traced input leaves later gradients right", () => {
    const boom = customVjp(
      "throwsForward",
      () => {
        throw new Error("forward failed");
      },
      (g) => [g],
    );
    expect(() => valueAndGrad((p: { x: Tensor }) => sum(boom(tanh(p.x))))({ x: x0 })).toThrow(
      "forward failed",
    );
    expectGradientStillRight();
  });

  it("a custom derivative that throws inside the reverse pass leaves later gradients right", () => {
    const boom = customVjp(
      "throwsDerivative",
      (x) => exp(x),
      () => {
        throw new Error("derivative failed");
      },
    );
    // The custom node sits between library nodes, so the pass is inside a library derivative's
    // neighbourhood when it throws.
    expect(() => valueAndGrad((p: { x: Tensor }) => sum(tanh(boom(sigmoid(p.x)))))({ x: x0 })).toThrow(
      "derivative failed",
    );
    expectGradientStillRight();
  });

  it("a gradient taken inside a custom forward that throws midway leaves later gradients right", () => {
    const inner = customVjp(
      "innerThrows",
      (x) => {
        valueAndGrad((q: { y: Tensor }) => sum(mul(q.y, q.y)))({ y: x });
        throw new Error("after an inner gradient");
      },
      (g) => [g],
    );
    expect(() => valueAndGrad((p: { x: Tensor }) => sum(inner(p.x)))({ x: x0 })).toThrow(
      "after an inner gradient",
    );
    expectGradientStillRight();
  });
});

describe("user code inside library code still differentiates", () => {
  /** A custom primitive whose forward and derivative each take a gradient of their own. */
  const square = customVjp(
    "squareByGrad",
    // x² as x · (d/dx of x²/2), the derivative taken inside the forward.
    (x) => mul(x, valueAndGrad((q: { y: Tensor }) => mul(sum(mul(q.y, q.y)), 0.5))({ y: x }).grads.y),
    // 2 x g, with 2x taken as the gradient of sum(x²) inside the derivative.
    (g, [x]) => [mul(g, valueAndGrad((q: { y: Tensor }) => sum(mul(q.y, q.y)))({ y: x! }).grads.y)],
  );

  it("a custom primitive differentiating inside a scan step matches finite differences", () => {
    const w = randomNormal(rng, [3, 4], 0.4, 0, f64);
    const xs = randomNormal(rng, [5, 3, 4], 1, 0, f64);
    const f = (p: { h0: Tensor; w: Tensor }) =>
      scan(
        (h: Tensor, x: Tensor) => {
          const next = tanh(add(mul(square(h), 0.3), add(x, sum(mul(h, p.w)))));
          return [next, next] as const;
        },
        p.h0,
        xs,
      )[1];
    checkGradients(f, { h0: x0, w }, { rtol: 1e-6 });
  });

  it("a checkpointed scan through custom primitives gives the plain scan's gradients", () => {
    const xs = randomNormal(rng, [7, 3, 4], 1, 0, f64);
    const w = randomNormal(rng, [3, 4], 0.5, 0, f64);
    const run = (checkpoint?: number) => (p: { h0: Tensor; w: Tensor }) => {
      const [, ys] = scan(
        (h: Tensor, x: Tensor) => {
          const next = tanh(add(mul(square(h), p.w), x));
          return [next, sigmoid(next)] as const;
        },
        p.h0,
        xs,
        checkpoint === undefined ? {} : { checkpoint },
      );
      return sum(mul(ys, ys));
    };
    const plain = valueAndGrad(run())({ h0: x0, w });
    for (const segment of [1, 2, 3]) {
      const again = valueAndGrad(run(segment))({ h0: x0, w });
      expect(again.value).toBe(plain.value);
      expect(Array.from(again.grads.h0.data)).toEqual(Array.from(plain.grads.h0.data));
      // w is closed over: its terms are summed per segment, then across them (another order).
      const gw = Array.from(plain.grads.w.data);
      Array.from(again.grads.w.data).forEach((g, i) => expect(g).toBeCloseTo(gw[i]!, 13));
    }
    checkGradients(run(2), { h0: x0, w }, { rtol: 1e-6 });
  });

  it("checkpointed scans nested in a checkpointed scan's step give the plain scans' gradients", () => {
    const xs = randomNormal(rng, [6, 2, 3, 4], 1, 0, f64);
    const w = randomNormal(rng, [3, 4], 0.5, 0, f64);
    const run = (outer?: number, inner?: number) => (p: { h0: Tensor; w: Tensor }) => {
      const [hT] = scan(
        (h: Tensor, x: Tensor) => {
          // The inner scan's observers collect h and w (from the outer step) as its externals.
          const [g] = scan(
            (c: Tensor, xi: Tensor) => {
              const next = tanh(add(mul(square(c), p.w), add(xi, h)));
              return [next, next] as const;
            },
            mul(h, 0.5),
            x,
            inner === undefined ? {} : { checkpoint: inner },
          );
          const next = sigmoid(add(g, h));
          return [next, next] as const;
        },
        p.h0,
        xs,
        outer === undefined ? {} : { checkpoint: outer },
      );
      return sum(mul(hT, hT));
    };
    const plain = valueAndGrad(run())({ h0: x0, w });
    for (const [outer, inner] of [
      [2, undefined],
      [undefined, 1],
      [4, 1],
    ] as const) {
      const again = valueAndGrad(run(outer, inner))({ h0: x0, w });
      expect(again.value).toBeCloseTo(plain.value, 13);
      for (const k of ["h0", "w"] as const) {
        const want = Array.from(plain.grads[k].data);
        Array.from(again.grads[k].data).forEach((g, i) =>
          expect(g, `${k} ${outer} ${inner}`).toBeCloseTo(want[i]!, 12),
        );
      }
    }
    checkGradients(run(4, 1), { h0: x0, w }, { rtol: 1e-6 });
  });

  it("a custom primitive returning its input's buffer as its value, and the cotangent as it is", () => {
    const same = customVjp(
      "identityView",
      (x) => reshape(x, x.shape),
      (g) => [g],
    );
    const f = (p: { x: Tensor }) => sum(mul(exp(same(same(p.x))), same(p.x)));
    checkGradients((p: { x: Tensor }) => f(p), { x: x0 });
    // Its value shares x's buffer; the input itself is untouched by the pass.
    const before = Array.from(x0.data);
    valueAndGrad(f)({ x: x0 });
    expect(Array.from(x0.data)).toEqual(before);
  });
});

describe.each([f64, "float32" as const])("gradients a pass returns stay as they were (%s)", (dtype) => {
  // Losses whose gradient is (a view of) a buffer a library derivative made: a mean's filled
  // cotangent, a reshape's, a slice's, an exp's product, all long enough for the buffer pool. Were
  // any of them given back to the pool, a later pass would overwrite (here: poison with NaN) a
  // gradient the caller still holds.
  const shape = [8, 12];
  const losses: [string, (p: { x: Tensor }) => Tensor][] = [
    ["mean", (p) => mean(p.x)],
    ["sum of a reshape", (p) => sum(reshape(p.x, [12, 8]))],
    ["mean of a slice", (p) => mean(sliceAxis(p.x, 1, 1, 11))],
    ["exp", (p) => sum(exp(reshape(p.x, [96])))],
    ["tanh times x", loss],
  ];
  beforeEach(() => configurePool({ on: true, poisoned: true }));
  afterEach(() => configurePool({ on: true, poisoned: false }));

  it.each(losses)("%s: later passes leave the first pass's gradient unchanged", (_name, f) => {
    const x = randomNormal(rng, shape, 1, 0, dtype);
    const first = valueAndGrad(f)({ x });
    const kept = Array.from(first.grads.x.data);
    expect(kept.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 3; i++) {
      for (const [, g] of losses) valueAndGrad(g)({ x: randomNormal(rng, shape, 1, 0, dtype) });
    }
    expect(Array.from(first.grads.x.data)).toEqual(kept);
    // And the gradient is the right one.
    if (dtype === f64) checkGradients(f, { x });
  });
});
