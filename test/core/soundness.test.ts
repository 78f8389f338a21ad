/**
 * Places where the core once returned a wrong number instead of the right one or an error. Each
 * test pins one defect: it failed before its fix.
 */
import { describe, expect, it } from "vitest";
import {
  BraintsError,
  CorruptFileError,
  Rng,
  ShapeError,
  Tensor,
  ValueError,
  add,
  decodeCheckpoint,
  encodeCheckpoint,
  encodeSafetensors,
  grad,
  mul,
  randomNormal,
  recurrence,
  scan,
  spikingChain,
  sum,
  tensor,
  valueAndGrad,
  where,
  zeros,
} from "../../src/index.ts";
import { chainConstants as spikingChainConstants } from "../../src/models/spiking/network.ts";
import { lifConfig } from "../../src/models/spiking/lif.ts";

const f64 = "float64" as const;

describe("where", () => {
  it("routes the whole gradient to the branch it selected, whatever the non-zero condition's value", () => {
    // A refractory countdown (0, 1, 2, 3) used as the condition: every non-zero entry selects `a`.
    const cond = tensor([0, 1, 2, 3], undefined, f64);
    const g = grad((p: { a: typeof cond; b: typeof cond }) => sum(where(cond, p.a, p.b)))({
      a: tensor([1, 1, 1, 1], undefined, f64),
      b: tensor([1, 1, 1, 1], undefined, f64),
    });
    expect(Array.from(g.a.data)).toEqual([0, 1, 1, 1]);
    expect(Array.from(g.b.data)).toEqual([1, 0, 0, 0]);
  });
});

describe("valueAndGrad", () => {
  const cube = (q: { x: Tensor }) => sum(mul(q.x, mul(q.x, q.x)));

  it("refuses nested differentiation instead of returning a zero second derivative", () => {
    const x = tensor([1, 2], undefined, f64);
    const second = () => grad((p: { x: Tensor }) => sum(grad(cube)(p).x))({ x });
    expect(second).toThrow(BraintsError);
    expect(second).toThrow(/valueAndGrad: nested differentiation .* is not supported/);
  });

  it("refuses an inner differentiation of a function closing over an outer traced tensor", () => {
    const x = tensor([1, 2], undefined, f64);
    const y = tensor([3, 4], undefined, f64);
    const closing = () =>
      grad((p: { x: Tensor }) => sum(grad((q: { y: Tensor }) => sum(mul(q.y, mul(p.x, p.x))))({ y }).y))({
        x,
      });
    expect(closing).toThrow(/valueAndGrad: nested differentiation .* is not supported/);
  });

  it("gives every gradient its parameter's dtype, also when the function computes in float64", () => {
    const scale = tensor([2, 3], undefined, f64);
    const g = grad((p: { x: Tensor }) => sum(mul(p.x, scale)))({ x: tensor([1, 1]) });
    expect(g.x.dtype).toBe("float32");
    expect(Array.from(g.x.data)).toEqual([2, 3]);
  });

  it("returns aux tensors without their traced graph (nothing keeps the graph alive)", () => {
    const { aux } = valueAndGrad(
      (p: { x: Tensor }) => {
        const h = mul(p.x, 2);
        return [sum(h), { h, list: [h], label: "kept" }] as const;
      },
      { hasAux: true },
    )({ x: tensor([1, 2]) });
    expect(aux.h.node).toBeUndefined();
    expect(aux.list[0]!.node).toBeUndefined();
    expect(aux.label).toBe("kept");
    expect(Array.from(aux.h.data)).toEqual([2, 4]);
  });
});

describe("scan", () => {
  for (const checkpoint of [undefined, 1, 2, 3]) {
    it(`passes the gradient of a closed-over tensor that a step returns untouched (checkpoint ${checkpoint ?? "off"})`, () => {
      const g = grad((p: { w: Tensor }) => {
        // The step returns w itself as its output and as the next carry: 4 outputs + the final carry.
        const [last, ys] = scan((_c: Tensor) => [p.w, p.w] as const, zeros([2]), null, {
          length: 4,
          ...(checkpoint === undefined ? {} : { checkpoint }),
        });
        return add(sum(ys), sum(last));
      })({ w: tensor([1, 2]) });
      expect(Array.from(g.w.data)).toEqual([5, 5]);
    });
  }
});

describe("parameter-tree paths", () => {
  // With dotted paths, { "a.b": x, a: { b: y } } named both leaves 'a.b'.
  const colliding = () => ({ "a.b": tensor([1]), a: { b: tensor([2]) } });

  it("are refused in autodiff when a key contains the path separator, naming the key", () => {
    const f = () =>
      grad((p: ReturnType<typeof colliding>) => add(sum(p["a.b"]), mul(sum(p.a.b), 3)))(colliding());
    expect(f).toThrow(ValueError);
    expect(f).toThrow(/tree: key 'a\.b' must not contain '\.'/);
  });

  it("are refused in checkpoints, when encoding and when decoding a file that has one", () => {
    expect(() => encodeCheckpoint({ params: colliding() })).toThrow(/tree: key 'a\.b' must not contain '\.'/);
    const crafted = encodeSafetensors(
      { "params.a.b": tensor([1]) },
      { "braints.format": "1", "braints.paramTree": JSON.stringify({ "a.b": null, a: { b: null } }) },
    );
    expect(() => decodeCheckpoint(crafted, "crafted.safetensors")).toThrow(CorruptFileError);
    expect(() => decodeCheckpoint(crafted, "crafted.safetensors")).toThrow(
      /crafted\.safetensors: .*key 'a\.b' must not contain '\.'/,
    );
  });
});

describe("tensor construction", () => {
  it("refuses ragged nested arrays, naming where the structure breaks", () => {
    expect(() =>
      tensor([
        [1, 2],
        [3, [4]],
      ] as never),
    ).toThrow(ShapeError);
    expect(() =>
      tensor([
        [1, 2],
        [3, [4]],
      ] as never),
    ).toThrow(/tensor: nested arrays must be rectangular.*\[1\]\[1\]/);
    expect(() => tensor([[1, 2], [3]])).toThrow(
      /rectangular.*an array of 1 where 2 entries belong at values\[1\]/,
    );
    expect(() => tensor([1, [2, 3]] as never)).toThrow(/tensor: nested arrays must be rectangular/);
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).shape,
    ).toEqual([2, 2]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });

  it("never pairs a shape with a buffer of another size", () => {
    expect(() => new Tensor([4, 2, 3], new Float32Array(0))).toThrow(
      /Tensor: shape \[4, 2, 3\] needs 24 elements, got a buffer of 0/,
    );
  });

  for (const options of [{ alpha: 0.5, order: "current" }, { alpha: 1 }] as const) {
    it(`gives the fused recurrence's outputs shapes that agree with their data (${JSON.stringify(options)})`, () => {
      // These settings take the derivative from the states, so the kernel returns no pre-activations.
      const drive = randomNormal(Rng.fromSeed(1), [4, 2, 3]);
      const hs = recurrence(drive, randomNormal(Rng.fromSeed(2), [3, 3], 0.3), zeros([3]), options);
      expect(hs.shape).toEqual([4, 2, 3]);
      const g = grad((p: { w: Tensor }) => sum(recurrence(drive, p.w, zeros([3]), options)))({
        w: randomNormal(Rng.fromSeed(2), [3, 3], 0.3),
      });
      expect(g.w.shape).toEqual([3, 3]);
    });
  }
});

// The constants of S4c's chain: LIF (tau 10 ms) between synapses of 10 ms, readout of 5 ms, dt 1 ms.
const chainConstants = spikingChainConstants(
  lifConfig("test", { n: 4, dtMs: 1 }),
  { dtMs: 1, tauMs: 10 },
  { dtMs: 1, tauMs: 5 },
);

describe("spikingChain", () => {
  it("refuses to differentiate with respect to its input spikes instead of returning zeros", () => {
    const w1 = randomNormal(Rng.fromSeed(1), [3, 4], 2);
    const w2 = randomNormal(Rng.fromSeed(2), [4, 2]);
    const x = randomNormal(Rng.fromSeed(3), [5, 2, 3]);
    const f = () => grad((p: { x: Tensor }) => sum(spikingChain(p.x, w1, w2, chainConstants).u))({ x });
    expect(f).toThrow(/spikingChain: the gradient with respect to the input x is not implemented/);
  });
});

describe("spikingChain in float64", () => {
  it("is refused, naming the operand, instead of computing in float32 behind a float64 model", () => {
    const w1 = randomNormal(Rng.fromSeed(1), [3, 4], 2, 0, "float64");
    const w2 = randomNormal(Rng.fromSeed(2), [4, 2]);
    const x = randomNormal(Rng.fromSeed(3), [5, 2, 3]);
    expect(() => spikingChain(x, w1, w2, chainConstants)).toThrow(
      /spikingChain: the fused kernel computes in float32, got w1 in float64/,
    );
  });
});
