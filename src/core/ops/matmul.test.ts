import { afterEach, describe, expect, it } from "vitest";
import { getBackend, setBackend } from "../../kernels/index.ts";
import { backendsUnderTest, randomF32 } from "../../kernels/test-util.ts";
import { grad } from "../autodiff.ts";
import { type Tensor, fromData, zeros } from "../tensor.ts";
import { add, tanh } from "./elementwise.ts";
import { cast } from "./layout.ts";
import { matmul } from "./matmul.ts";
import { sum } from "./reduce.ts";

const initial = getBackend();
afterEach(() => setBackend(initial));

describe("matmul with a transposed right operand", () => {
  // Few rows against a large right operand (computed as the transposed product, Cᵀ = B Aᵀ), and
  // shapes that are not: every one equals the kernels' own A Bᵀ bit for bit.
  it.each([
    [16, 128, 384],
    [8, 16, 3],
    [16, 33, 5],
    [7, 64, 20],
    [20, 30, 9],
  ])("equals the kernels' product bit for bit (%i x %i, k %i)", (m, n, k) => {
    for (const backend of backendsUnderTest()) {
      setBackend(backend);
      const [A, B] = [randomF32(m * k, 1), randomF32(n * k, 2)];
      const direct = new Float32Array(m * n);
      backend.gemm(false, true, m, n, k, 1, A, B, 0, direct);
      const got = matmul(fromData(A, [m, k]), fromData(B, [n, k]), { transB: true });
      expect(Array.from(got.data), backend.name).toEqual(Array.from(direct));
    }
  });
});

describe("a float32 weight's gradient over many uses", () => {
  it("sums every use's product (added later, as one product) as float64 does, to float32 precision", () => {
    const rng = (seed: number, n: number, shape: number[]) => fromData(randomF32(n, seed), shape);
    const xs = Array.from({ length: 6 }, (_, t) => rng(10 + t, 16 * 12, [16, 12]));
    const w = rng(3, 12 * 20, [12, 20]);
    const v = rng(4, 20 * 12, [20, 12]);
    const loss = (p: { w: Tensor; v: Tensor }) =>
      sum(
        xs.reduce(
          (acc, x) => add(acc, add(tanh(matmul(x, p.w)), matmul(x, p.v, { transB: true }))),
          zeros([16, 20], p.w.dtype),
        ),
      );
    const g32 = grad(loss)({ w, v });
    const g64 = grad((p: { w: Tensor; v: Tensor }) => loss(p))({
      w: cast(w, "float64"),
      v: cast(v, "float64"),
    });
    for (const k of ["w", "v"] as const) {
      const [a, b] = [g32[k].data, g64[k].data];
      const scale = Math.max(...Array.from(b, Math.abs));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5 * scale);
    }
  });
});
