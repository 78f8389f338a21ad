/**
 * The gradient-check table: one or more rows per primitive, each compared with central finite
 * differences in float64 along random directions. The table is typed over every primitive name,
 * so a primitive without a row is a compile error; the tests iterate the primitive table itself
 * and check that each row applies its primitive to traced inputs (not an equivalent composition).
 */
import { describe, expect, it } from "vitest";
import * as bt from "../../src/index.ts";
import {
  type PrimitiveName,
  Rng,
  type Tensor,
  randomNormal,
  randomUniform,
  tensor,
} from "../../src/index.ts";
import { leaf } from "../../src/core/autodiff.ts";
import type { Node } from "../../src/core/node.ts";
import { scatterAdd } from "../../src/core/ops/layout.ts";
import { type RuleTable, primitives } from "../../src/core/primitives.ts";
import { checkGradients } from "./gradcheck.ts";

type Params = Record<string, Tensor>;
interface Row {
  readonly label: string;
  readonly params: (rng: Rng) => Params;
  readonly fn: (p: Params) => Tensor;
  /** Finite-difference settings where float32 rounding sits inside the checked function. */
  readonly check?: { eps: number; rtol: number };
  /**
   * For primitives whose derivative is by design not the true one (spike surrogates): the same
   * function composed from checked primitives, compared in values and gradients instead of finite
   * differences.
   */
  readonly reference?: (p: Params) => Tensor;
}

const f64 = "float64" as const;
const normal = (rng: Rng, shape: number[], std = 1, mean = 0) => randomNormal(rng, shape, std, mean, f64);
const positive = (rng: Rng, shape: number[]) => randomUniform(rng, shape, 0.5, 2, f64);
const away = (rng: Rng, shape: number[]) =>
  bt.mul(randomUniform(rng, shape, 0.3, 2, f64), bt.sub(bt.mul(bt.greater(normal(rng, shape), 0), 2), 1));
const of = (values: bt.NestedArray) => tensor(values, undefined, f64);

const unary = (fn: (x: Tensor) => Tensor, gen = normal): Row[] => [
  { label: "[3, 4]", params: (r) => ({ x: gen(r, [3, 4]) }), fn: (p) => fn(p.x!) },
];
const binary = (fn: (a: Tensor, b: Tensor) => Tensor, genB = normal, genA = normal): Row[] => [
  {
    label: "same shape",
    params: (r) => ({ a: genA(r, [2, 3]), b: genB(r, [2, 3]) }),
    fn: (p) => fn(p.a!, p.b!),
  },
  {
    label: "row broadcast",
    params: (r) => ({ a: genA(r, [4, 3]), b: genB(r, [3]) }),
    fn: (p) => fn(p.a!, p.b!),
  },
  {
    label: "column broadcast",
    params: (r) => ({ a: genA(r, [2, 1, 3]), b: genB(r, [4, 1]) }),
    fn: (p) => fn(p.a!, p.b!),
  },
  { label: "scalar", params: (r) => ({ a: genA(r, [3]), b: genB(r, []) }), fn: (p) => fn(p.a!, p.b!) },
];
// Comparisons have no derivative: their rows check that a function using them as masks is exact.
const comparison = (cmp: (a: Tensor, b: Tensor) => Tensor): Row[] => [
  {
    label: "as a mask",
    params: (r) => ({ a: away(r, [3, 4]), b: away(r, [4]) }),
    fn: (p) => bt.mul(cmp(p.a!, p.b!), bt.mul(p.a!, p.b!)),
  },
];

const cube = bt.customVjp(
  "cube",
  (x) => bt.mul(x, bt.mul(x, x)),
  (g, [x]) => [bt.mul(g, bt.mul(bt.mul(x!, x!), 3))],
);

// The spiking chain, composed step by step from checked primitives and a surrogate spike.
const chainInput = bt.randomBernoulli(Rng.fromSeed(5), [30, 3, 6], 0.3);
const chainConstants = {
  synDecay: Math.exp(-0.1),
  cv: Math.exp(-0.2),
  ci: 1 - Math.exp(-0.2),
  c0: 0,
  vTh: 1,
  vReset: 0,
  v0: 0,
  outDecay: Math.exp(-0.5),
  surrogate: "fastSigmoid",
  surrogateScale: 10,
} as const;
const chainSpike = bt.customVjp(
  "spike",
  (x) => bt.greaterEqual(x, 0),
  (g, [x]) => [bt.div(g, bt.square(bt.add(bt.mul(bt.abs(x!), chainConstants.surrogateScale), 1)))],
);
function spikingChainByOps(w1: Tensor, w2: Tensor, reset: "hard" | "soft", detachReset: boolean): Tensor {
  const c = chainConstants;
  const B = chainInput.shape[1]!;
  const zeros = (n: number) => bt.zeros([B, n]);
  const init = { g1: zeros(4), v: zeros(4), g2: zeros(2), u: zeros(2) };
  const [, ys] = bt.scan(
    (st: typeof init, x: Tensor) => {
      const g1 = bt.add(bt.mul(st.g1, c.synDecay), bt.matmul(x, w1));
      const v1 = bt.add(bt.mul(st.v, c.cv), bt.mul(g1, c.ci));
      const s = chainSpike(bt.sub(v1, c.vTh));
      const sr = detachReset ? bt.stopGradient(s) : s;
      const v =
        reset === "hard" ? bt.add(v1, bt.mul(bt.sub(c.vReset, v1), sr)) : bt.sub(v1, bt.mul(sr, c.vTh));
      const g2 = bt.add(bt.mul(st.g2, c.synDecay), bt.matmul(s, w2));
      const u = bt.add(bt.mul(st.u, c.outDecay), bt.mul(g2, 1 - c.outDecay));
      return [{ g1, v, g2, u }, bt.concat([u, bt.mul(s, 0.3), bt.mul(v, 0.2)], 1)] as const;
    },
    init,
    chainInput,
  );
  return ys;
}

/** A small HORN layer's inputs, and its arguments after the input sequence. */
const hornParams = (r: Rng) => ({
  u: normal(r, [4, 2, 3]),
  wIh: normal(r, [3, 3], 0.6),
  bIh: normal(r, [3], 0.3),
  wHh: normal(r, [3, 3], 0.6),
  bHh: normal(r, [3], 0.3),
  alpha: positive(r, [3]),
  omega: positive(r, [3]),
  gamma: normal(r, [3], 0.1, 0.2),
  v: normal(r, [3], 0.3),
  x0: normal(r, [2, 3], 0.5),
  y0: normal(r, [2, 3], 0.5),
});
const hornArgs = (p: Params) =>
  [
    { wIh: p.wIh!, bIh: p.bIh!, wHh: p.wHh!, bHh: p.bHh! },
    { alpha: p.alpha!, omega: p.omega!, gamma: p.gamma!, v: p.v! },
    { x: p.x0!, y: p.y0! },
    { gain: 0.8, dt: 0.5 },
  ] as const;

const table: Record<PrimitiveName, Row[]> = {
  neg: unary(bt.neg),
  exp: unary(bt.exp),
  log: [
    ...unary(bt.log, positive),
    { label: "small positive", params: () => ({ x: of([1e-3, 0.02]) }), fn: (p) => bt.log(p.x!) },
  ],
  tanh: [
    ...unary(bt.tanh),
    { label: "saturated", params: () => ({ x: of([-20, 20, 5]) }), fn: (p) => bt.tanh(p.x!) },
  ],
  sigmoid: [
    ...unary(bt.sigmoid),
    {
      label: "saturated without overflow",
      params: () => ({ x: of([-800, 800, -30, 30]) }),
      fn: (p) => bt.sigmoid(p.x!),
    },
  ],
  relu: unary(bt.relu, away),
  softplus: [
    ...unary(bt.softplus),
    {
      label: "large magnitudes",
      params: () => ({ x: of([-800, 800, -40, 40]) }),
      fn: (p) => bt.softplus(p.x!),
    },
  ],
  abs: unary(bt.abs, away),
  sqrt: [
    ...unary(bt.sqrt, positive),
    { label: "small positive", params: () => ({ x: of([1e-2, 4]) }), fn: (p) => bt.sqrt(p.x!) },
  ],
  sin: unary(bt.sin),
  cos: unary(bt.cos),
  add: binary(bt.add),
  sub: binary(bt.sub),
  mul: binary(bt.mul),
  div: binary(bt.div, away),
  pow: [
    ...binary(bt.pow, normal, positive),
    {
      label: "integer exponent of negatives",
      params: () => ({ a: of([-1.5, -0.5, 2]) }),
      fn: (p) => bt.pow(p.a!, 3),
    },
  ],
  maximum: binary(bt.maximum, away, (r, s) => bt.add(away(r, s), 0.05)),
  minimum: binary(bt.minimum, away, (r, s) => bt.add(away(r, s), 0.05)),
  greater: comparison(bt.greater),
  greaterEqual: comparison(bt.greaterEqual),
  less: comparison(bt.less),
  lessEqual: comparison(bt.lessEqual),
  equal: [
    {
      label: "as a mask",
      params: (r) => ({ a: normal(r, [5]) }),
      fn: (p) => bt.mul(bt.equal(p.a!, p.a!), bt.exp(p.a!)),
    },
  ],
  where: [
    {
      label: "broadcast branches",
      params: (r) => ({ a: normal(r, [3, 4]), b: normal(r, [4]) }),
      fn: (p) => bt.where(bt.greater(p.a!, 0), bt.mul(p.a!, 2), bt.exp(p.b!)),
    },
  ],
  sum: [
    { label: "all axes", params: (r) => ({ x: normal(r, [2, 3, 4]) }), fn: (p) => bt.sum(p.x!) },
    { label: "axes 0 and 2", params: (r) => ({ x: normal(r, [2, 3, 4]) }), fn: (p) => bt.sum(p.x!, [0, 2]) },
    { label: "keepDims", params: (r) => ({ x: normal(r, [2, 3]) }), fn: (p) => bt.sum(p.x!, -1, true) },
  ],
  max: [
    { label: "last axis", params: (r) => ({ x: normal(r, [3, 5]) }), fn: (p) => bt.max(p.x!, -1) },
    { label: "leading axis", params: (r) => ({ x: normal(r, [6, 2, 3]) }), fn: (p) => bt.max(p.x!, 0) },
    {
      label: "axes 0 and 2 (not adjacent)",
      params: (r) => ({ x: normal(r, [2, 3, 4]) }),
      fn: (p) => bt.max(p.x!, [0, 2]),
    },
  ],
  softmaxCrossEntropy: [
    {
      label: "[3, 2, 4] logits",
      params: (r) => ({ z: normal(r, [3, 2, 4], 2) }),
      fn: (p) => bt.softmaxCrossEntropy(p.z!, [0, 3, 1, 2, 2, 0]),
    },
    {
      label: "weighted rows",
      params: (r) => ({ z: normal(r, [5, 3], 2) }),
      fn: (p) => bt.softmaxCrossEntropy(p.z!, [2, 0, 1, 1, 0], [1, 0.5, 0, 2, 1]),
    },
  ],
  reshape: unary((x) => bt.reshape(x, [2, -1, 2])),
  transpose: [
    { label: "3-D", params: (r) => ({ x: normal(r, [2, 3, 4]) }), fn: (p) => bt.transpose(p.x!, [2, 0, 1]) },
  ],
  broadcastTo: [
    {
      label: "[3, 1] to [2, 3, 4]",
      params: (r) => ({ x: normal(r, [3, 1]) }),
      fn: (p) => bt.broadcastTo(p.x!, [2, 3, 4]),
    },
  ],
  sliceAxis: [
    {
      label: "middle axis",
      params: (r) => ({ x: normal(r, [2, 5, 3]) }),
      fn: (p) => bt.sliceAxis(p.x!, 1, 1, 4),
    },
  ],
  padAxis: [
    { label: "last axis", params: (r) => ({ x: normal(r, [2, 3]) }), fn: (p) => bt.padAxis(p.x!, 1, 2, 6) },
  ],
  concat: [
    {
      label: "axis 1",
      params: (r) => ({ a: normal(r, [2, 3]), b: normal(r, [2, 1]) }),
      fn: (p) => bt.concat([p.a!, p.b!, p.a!], 1),
    },
    {
      label: "stack",
      params: (r) => ({ a: normal(r, [2, 3]), b: normal(r, [2, 3]) }),
      fn: (p) => bt.stack([p.a!, p.b!], 1),
    },
  ],
  unstack: [
    {
      label: "partially used slices",
      params: (r) => ({ x: normal(r, [4, 3]) }),
      fn: (p) => {
        const rows = bt.unstack(p.x!, 0);
        return bt.mul(rows[0]!, bt.exp(rows[2]!));
      },
    },
  ],
  gather: [
    {
      label: "repeated indices",
      params: (r) => ({ x: normal(r, [3, 4]) }),
      fn: (p) => bt.gather(p.x!, [2, 0, 2, 3], 1),
    },
  ],
  scatterAdd: [
    {
      label: "repeated and missing indices (its derivative is gather)",
      params: (r) => ({ g: normal(r, [4, 2]) }),
      fn: (p) => scatterAdd(p.g!, Int32Array.from([1, 1, 4, 0]), 0, 6),
    },
  ],
  cast: [
    {
      label: "to float32 and back",
      params: (r) => ({ x: normal(r, [3]) }),
      fn: (p) => bt.cast(bt.cast(p.x!, "float32"), "float64"),
      check: { eps: 1e-2, rtol: 1e-4 },
    },
  ],
  matmul: [
    {
      label: "[3, 4] x [4, 2]",
      params: (r) => ({ a: normal(r, [3, 4]), b: normal(r, [4, 2]) }),
      fn: (p) => bt.matmul(p.a!, p.b!),
    },
    {
      label: "transposed operands",
      params: (r) => ({ a: normal(r, [4, 3]), b: normal(r, [2, 4]) }),
      fn: (p) => bt.matmul(p.a!, p.b!, { transA: true, transB: true }),
    },
    {
      label: "leading axes folded into rows, transposed weight",
      params: (r) => ({ a: normal(r, [2, 3, 4]), b: normal(r, [5, 4]) }),
      fn: (p) => bt.matmul(p.a!, p.b!, { transB: true }),
    },
    {
      label: "batch broadcast",
      params: (r) => ({ a: normal(r, [2, 3, 4]), b: normal(r, [4, 5]) }),
      fn: (p) => bt.matmul(p.a!, p.b!),
    },
  ],
  custom: [
    {
      label: "cube with its exact derivative",
      params: (r) => ({ x: normal(r, [4]) }),
      fn: (p) => cube(p.x!),
    },
  ],
  spikingChain: (["hard", "soft"] as const)
    .flatMap((reset) =>
      [true, false].map((detachReset) => ({
        label: `${reset} reset, ${detachReset ? "detached" : "differentiated"} reset`,
        params: (r: Rng) => ({ w1: randomNormal(r, [6, 4], 1.5), w2: randomNormal(r, [4, 2]) }),
        fn: (p: Params) => {
          const out = bt.spikingChain(chainInput, p.w1!, p.w2!, { ...chainConstants, reset, detachReset });
          return bt.concat([out.u, bt.mul(out.spikes, 0.3), bt.mul(out.v, 0.2)], 2);
        },
        reference: (p: Params) => spikingChainByOps(p.w1!, p.w2!, reset, detachReset),
      })),
    )
    .concat({
      label: "the readout's maximum over time",
      params: (r: Rng) => ({ w1: randomNormal(r, [6, 4], 1.5), w2: randomNormal(r, [4, 2]) }),
      fn: (p: Params) =>
        bt.spikingChain(chainInput, p.w1!, p.w2!, { ...chainConstants, reset: "hard", detachReset: false })
          .uMax,
      reference: (p: Params) =>
        bt.max(bt.sliceAxis(spikingChainByOps(p.w1!, p.w2!, "hard", false), 2, 0, 2), 0),
    }),
  recurrence: (["rate", "current"] as const).flatMap((order) =>
    (["relu", "tanh", "sigmoid", "softplus", "identity"] as const).map((activation) => ({
      label: `${activation}, ${order} order`,
      params: (r: Rng) => ({ d: normal(r, [5, 2, 3]), w: normal(r, [3, 3], 0.5), h0: normal(r, [3]) }),
      fn: (p: Params) => bt.recurrence(p.d!, p.w!, p.h0!, { alpha: 0.3, activation, order }),
    })),
  ),
  // float64 runs the fused layers' reference kernels, so these rows check the primitives' own derivatives.
  gatedLayer: (["gru", "lstm"] as const).map((cell) => ({
    label: cell,
    params: (r: Rng) => {
      const G = cell === "gru" ? 3 : 4;
      return {
        x: normal(r, [4, 2, 3]),
        wIh: normal(r, [3, G * 3], 0.6),
        wHh: normal(r, [3, G * 3], 0.6),
        bIh: normal(r, [G * 3], 0.3),
        bHh: normal(r, [G * 3], 0.3),
        h0: normal(r, [2, 3], 0.5),
        c0: normal(r, [2, 3], 0.5),
      };
    },
    fn: (p: Params) => {
      const weights = { wIh: p.wIh!, wHh: p.wHh!, bIh: p.bIh!, bHh: p.bHh! };
      if (cell === "gru") return bt.gruLayer(p.x!, weights, p.h0!);
      const { hs, cs } = bt.lstmLayer(p.x!, weights, p.h0!, p.c0!);
      return bt.concat([hs, cs], 2);
    },
  })),
  hornLayer: [
    {
      label: "per-unit constants, both states read",
      params: hornParams,
      fn: (p: Params) => {
        const { xs, ys } = bt.hornLayer(p.u!, ...hornArgs(p));
        return bt.concat([xs, ys], 2);
      },
    },
    {
      label: "the final state alone (hornLayerFinal), both states read",
      params: hornParams,
      fn: (p: Params) => {
        const { x, y } = bt.hornLayerFinal(p.u!, ...hornArgs(p));
        return bt.concat([x, y], 1);
      },
    },
    {
      label: "the final position through a folded readout (hornLayerReadout), with and without bias",
      params: (r: Rng) => ({ ...hornParams(r), wOut: normal(r, [3, 2], 0.6), bOut: normal(r, [2], 0.3) }),
      fn: (p: Params) => {
        const [weights, constants, state0, options] = hornArgs(p);
        const readout = (b?: Tensor) =>
          bt.hornLayerReadout(p.u!, weights, constants, state0, { w: p.wOut!, ...(b && { b }) }, options);
        return bt.concat([readout(p.bOut!), readout()], 1);
      },
    },
  ],
};

/** Functions composed from primitives whose numerics need their own rows (max is shifted out). */
const composed: Row[] = [
  {
    label: "logsumexp of large values",
    params: () => ({ x: of([[1000, 999, 998]]) }),
    fn: (p) => bt.logsumexp(p.x!, -1),
  },
  { label: "logSoftmax", params: (r) => ({ x: normal(r, [4, 3], 3) }), fn: (p) => bt.logSoftmax(p.x!) },
];

function expectSameValueAndGrad(f: (p: Params) => Tensor, g: (p: Params) => Tensor, params: Params): void {
  const rng = Rng.fromSeed(3);
  const w = randomNormal(rng, f(params).shape);
  const a = bt.valueAndGrad((p: Params) => bt.sum(bt.mul(f(p), w)))(params);
  const b = bt.valueAndGrad((p: Params) => bt.sum(bt.mul(g(p), w)))(params);
  expect(a.value).toBeCloseTo(b.value, 4);
  for (const [k, grad] of Object.entries(a.grads)) {
    const ref = b.grads[k]!.data;
    grad.data.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(ref[i]!))));
  }
}

/** The primitives applied on the way from traced `params` to `fn`'s output. */
function primitivesApplied(fn: (p: Params) => Tensor, params: Params): Set<string> {
  const traced = Object.fromEntries(Object.entries(params).map(([k, t]) => [k, leaf(t)]));
  const seen = new Set<string>();
  const visited = new Set<Node>();
  const stack: (Node | undefined)[] = [fn(traced).node];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || visited.has(node)) continue;
    visited.add(node);
    seen.add(node.prim);
    for (const input of node.inputs) stack.push(input.node);
  }
  return seen;
}

describe("the primitive table", () => {
  it("files every rule under its own name", () => {
    for (const [name, rule] of Object.entries(primitives)) expect(rule.name, name).toBe(name);
  });

  it("makes a rule without a name and a name without a rule compile errors", () => {
    const neg = primitives.neg;
    type Extra = RuleTable<"neg", { neg: unknown; bogus: unknown }>;
    // @ts-expect-error -- 'bogus' is a rule under no primitive name
    const extra: Extra = { neg, bogus: neg };
    type Missing = RuleTable<"neg" | "exp", { neg: unknown }>;
    // @ts-expect-error -- 'exp' is a primitive name without a rule
    const missing: Missing = { neg };
    expect([extra, missing]).toHaveLength(2);
  });
});

describe("every primitive's derivative matches central finite differences (float64)", () => {
  for (const name of Object.keys(primitives) as PrimitiveName[]) {
    const rows = table[name];
    it(`${name} has gradient-check rows`, () => expect(rows.length).toBeGreaterThan(0));
    for (const row of rows) {
      it(`${name}: ${row.label}`, () => {
        const rng = Rng.fromSeed(name.length * 131 + row.label.length);
        const params = row.params(rng);
        expect([...primitivesApplied(row.fn, params)], `the row applies ${name} to traced inputs`).toContain(
          name,
        );
        if (row.reference) expectSameValueAndGrad(row.fn, row.reference, params);
        else checkGradients(row.fn, params, { seed: 1, ...row.check });
      });
    }
  }
});

describe("composed functions' derivatives match central finite differences (float64)", () => {
  for (const row of composed) {
    it(row.label, () => checkGradients(row.fn, row.params(Rng.fromSeed(row.label.length)), { seed: 1 }));
  }
});
