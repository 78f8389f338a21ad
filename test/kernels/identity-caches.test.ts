/**
 * Adversarial checks of the work the kernels cache or defer by array identity (a forward's tape
 * kept in WASM memory for its backward, outputs only the backward reads, arrays reused once their
 * one reader is done, states read where a forward left them), through the public API: every
 * scenario is compared with a computation that caches nothing (each primitive alone in a fresh
 * setting, fresh copies of the arrays, or the step-by-step path).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cast,
  randomBernoulli,
  scan,
  softmaxCrossEntropy,
  spikingClassifier,
  tanh,
  type Callbacks,
  type Cell,
  type Tree,
  Trainer,
  adam,
  decodeCheckpoint,
  encodeCheckpoint,
  hornNetwork,
  leakyRNNModel,
  linearReadout,
  mse,
  readOverTime,
  runCell,
  sequenceModel,
  treeLeaves,
  type GatedLayerParams,
  type KernelBackend,
  Rng,
  type Tensor,
  add,
  createBackend,
  fromData,
  getBackend,
  gru,
  gruLayer,
  gruReadout,
  hornLayer,
  hornLayerFinal,
  lstm,
  lstmLayer,
  lstmReadout,
  matmul,
  mul,
  randomNormal,
  rnnLayer,
  setBackend,
  sum,
  valueAndGrad,
} from "../../src/index.ts";

const before = getBackend();
afterEach(() => void setBackend(before));

/**
 * `backend` (default: the current one) filling every array a forward is handed to write an output
 * into with NaN first: an output left unwritten where it is read shows, instead of passing unseen
 * with the floats an earlier pass left in the reused array.
 */
function poisoning(backend: KernelBackend = getBackend()): KernelBackend {
  const poison = (a: object) => {
    for (const [k, v] of Object.entries(a)) if (k.endsWith("Into") && v instanceof Float32Array) v.fill(NaN);
  };
  return {
    ...backend,
    recurrenceForward: (a) => (poison(a), backend.recurrenceForward(a)),
    gatedForward: (a) => (poison(a), backend.gatedForward(a)),
    hornForward: (a) => (poison(a), backend.hornForward(a)),
  };
}

const bits = (t: Tensor | undefined) => Array.from(t?.data ?? []);
const grads = (g: Record<string, Tensor>) =>
  Object.fromEntries(Object.entries(g).map(([k, t]) => [k, bits(t)]));
const normal = (seed: number, shape: number[], scale = 1) => {
  const t = randomNormal(Rng.fromSeed(seed), shape);
  return scale === 1 ? t : mul(t, scale);
};
const copy = (t: Tensor) => fromData(t.data.slice(), t.shape);

const [T, B, I, H, O] = [6, 5, 3, 8, 4];

/** A GRU with a folded readout: params, inputs and a target for its outputs. */
function gruCase(seed: number) {
  const cell = gru({ nIn: I, nHidden: H }).init(Rng.fromSeed(seed)) as GatedLayerParams;
  return {
    p: { ...cell, w: normal(seed + 1, [H, O], 0.3), b: normal(seed + 2, [O], 0.1) },
    x: normal(seed + 3, [T, B, I]),
    h0: normal(seed + 4, [B, H], 0.5),
    target: normal(seed + 5, [T, B, O]),
  };
}
type GruP = ReturnType<typeof gruCase>["p"];
const gruLoss = (c: ReturnType<typeof gruCase>) => (p: GruP) =>
  sum(mul(gruReadout(c.x, p, c.h0, { w: p.w, b: p.b }), c.target));

function lstmCase(seed: number) {
  const cell = lstm({ nIn: I, nHidden: H }).init(Rng.fromSeed(seed)) as GatedLayerParams;
  return {
    p: { ...cell, w: normal(seed + 1, [H, O], 0.3) },
    x: normal(seed + 3, [T, B, I]),
    h0: normal(seed + 4, [B, H], 0.5),
    c0: normal(seed + 6, [B, H], 0.5),
    target: normal(seed + 5, [T, B, O]),
  };
}
type LstmP = ReturnType<typeof lstmCase>["p"];
const lstmLoss = (c: ReturnType<typeof lstmCase>) => (p: LstmP) =>
  sum(mul(lstmReadout(c.x, p, c.h0, c.c0, { w: p.w }), c.target));

/** A leaky RNN layer whose states stay inside the primitive (`states: false`). */
function rnnCase(seed: number) {
  return {
    p: {
      wIn: normal(seed, [I, H], 0.5),
      b: normal(seed + 1, [H], 0.1),
      wRec: normal(seed + 2, [H, H], 0.3),
      wOut: normal(seed + 3, [H, O], 0.3),
      bOut: normal(seed + 4, [O], 0.1),
    },
    x: normal(seed + 5, [T, B, I]),
    h0: normal(seed + 6, [B, H], 0.5),
    target: normal(seed + 7, [T, B, O]),
  };
}
type RnnP = ReturnType<typeof rnnCase>["p"];
const rnnLoss = (c: ReturnType<typeof rnnCase>) => (p: RnnP) =>
  sum(mul(rnnLayer(c.x, p, c.h0, { alpha: 0.2, activation: "tanh", states: false }).ys, c.target));

/** A HORN layer read at its final state only. */
function hornCase(seed: number) {
  return {
    p: {
      wIh: normal(seed, [I, H], 0.5),
      bIh: normal(seed + 1, [H], 0.1),
      wHh: normal(seed + 2, [H, H], 0.3),
      bHh: normal(seed + 3, [H], 0.1),
      alpha: normal(seed + 4, [H], 0.1),
      omega: normal(seed + 5, [H], 0.1),
      gamma: normal(seed + 6, [H], 0.1),
      v: normal(seed + 7, [H], 0.1),
    },
    x: normal(seed + 8, [T, B, I]),
    s0: { x: normal(seed + 9, [B, H], 0.3), y: normal(seed + 10, [B, H], 0.3) },
    target: normal(seed + 11, [B, H]),
  };
}
type HornP = ReturnType<typeof hornCase>["p"];
const constantsOf = (p: HornP) => ({
  alpha: add(p.alpha, 1),
  omega: add(p.omega, 1),
  gamma: add(p.gamma, 0.5),
  v: p.v,
});
const hornLoss = (c: ReturnType<typeof hornCase>) => (p: HornP) => {
  const { x, y } = hornLayerFinal(c.x, p, constantsOf(p), c.s0, { gain: 0.5, dt: 0.5 });
  return add(sum(mul(x, c.target)), sum(mul(y, c.target)));
};

describe("deferred outputs and kept tapes, interleaved", () => {
  beforeEach(() => void setBackend(poisoning(before)));
  it("four fused primitives interleaved in one loss give each one's gradients alone, bit for bit", () => {
    const [g, l, r, h] = [gruCase(10), lstmCase(20), rnnCase(30), hornCase(40)];
    const alone = {
      g: grads(valueAndGrad(gruLoss(g))(g.p).grads),
      l: grads(valueAndGrad(lstmLoss(l))(l.p).grads),
      r: grads(valueAndGrad(rnnLoss(r))(r.p).grads),
      h: grads(valueAndGrad(hornLoss(h))(h.p).grads),
    };
    // Each forward gives the previous one's kept block up before that one's backward runs; the
    // GRU and HORN run twice on the very same arrays (their gradients: twice the ones alone, exactly).
    const mixed = valueAndGrad((p: { g: GruP; l: LstmP; r: RnnP; h: HornP }) =>
      add(
        add(add(gruLoss(g)(p.g), lstmLoss(l)(p.l)), add(rnnLoss(r)(p.r), hornLoss(h)(p.h))),
        add(gruLoss(g)(p.g), hornLoss(h)(p.h)),
      ),
    )({ g: g.p, l: l.p, r: r.p, h: h.p }).grads;
    const twice = (x: Record<string, number[]>) =>
      Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v.map((y) => 2 * y)]));
    expect(grads(mixed.g)).toEqual(twice(alone.g));
    expect(grads(mixed.l)).toEqual(alone.l);
    expect(grads(mixed.r)).toEqual(alone.r);
    expect(grads(mixed.h)).toEqual(twice(alone.h));
  });

  it("stacked layers, each reading the states the one below handed out, give the gradients of the stack through fresh arrays", () => {
    const g = gruCase(15);
    const layer = (cell: typeof gru, seed: number) => ({
      ...(cell({ nIn: H, nHidden: H }).init(Rng.fromSeed(seed)) as GatedLayerParams),
    });
    const [mid, top] = [layer(lstm as typeof gru, 16), layer(gru, 17)];
    type P = { g: GruP; mid: typeof mid; top: typeof top };
    const c0 = normal(18, [B, H], 0.5);
    const stack = (fresh: (t: Tensor) => Tensor) => (p: P) => {
      const h1 = gruLayer(g.x, p.g, g.h0);
      const { hs: h2 } = lstmLayer(fresh(h1), p.mid, g.h0, c0);
      return sum(mul(gruReadout(fresh(h2), p.top, g.h0, { w: p.g.w, b: p.g.b }), g.target));
    };
    const params: P = { g: g.p, mid, top };
    // x + 0 is x in a new array, and its derivative passes the cotangent on as it is.
    const reference = valueAndGrad(stack((t) => add(t, 0)))(params);
    const direct = valueAndGrad(stack((t) => t))(params);
    expect(direct.value).toBe(reference.value);
    expect([grads(direct.grads.g), grads(direct.grads.mid), grads(direct.grads.top)]).toEqual([
      grads(reference.grads.g),
      grads(reference.grads.mid),
      grads(reference.grads.top),
    ]);
  });

  it("the same gradient three times over, with other forwards of the same sizes between", () => {
    const [g, l, r, h] = [gruCase(11), lstmCase(21), rnnCase(31), hornCase(41)];
    const all = () => [
      grads(valueAndGrad(gruLoss(g))(g.p).grads),
      grads(valueAndGrad(lstmLoss(l))(l.p).grads),
      grads(valueAndGrad(rnnLoss(r))(r.p).grads),
      grads(valueAndGrad(hornLoss(h))(h.p).grads),
    ];
    const first = all();
    // Untraced forwards (an evaluation) in between take the same kept arrays.
    gruLoss(gruCase(12))(gruCase(12).p);
    lstmLoss(lstmCase(22))(lstmCase(22).p);
    rnnLoss(rnnCase(32))(rnnCase(32).p);
    hornLoss(hornCase(42))(hornCase(42).p);
    expect(all()).toEqual(first);
    expect(all()).toEqual(first);
  });

  it("a gradient taken inside the loss of another (independent parameters) changes neither", () => {
    const [g, l] = [gruCase(13), lstmCase(23)];
    const aloneG = grads(valueAndGrad(gruLoss(g))(g.p).grads);
    const aloneL = valueAndGrad(lstmLoss(l))(l.p);
    let inner: ReturnType<typeof aloneL.grads.wIh.data.slice> | undefined;
    const outer = valueAndGrad((p: GruP) => {
      const ys = gruReadout(g.x, p, g.h0, { w: p.w, b: p.b });
      // Between the GRU's forward and its backward: another layer's whole forward and backward.
      inner = valueAndGrad(lstmLoss(l))(l.p).grads.wIh.data.slice();
      return sum(mul(ys, g.target));
    })(g.p);
    expect(grads(outer.grads)).toEqual(aloneG);
    expect(Array.from(inner!)).toEqual(bits(aloneL.grads.wIh));
  });
});

describe("states handed out, read after the backward pass", () => {
  beforeEach(() => void setBackend(poisoning(before)));
  // Each layer's states, from its inputs; the loss reads them through products.
  const layers = [
    ["GRU", () => gruCase(50), (c: ReturnType<typeof gruCase>, p: GruP) => [gruLayer(c.x, p, c.h0)]],
    [
      "LSTM",
      () => lstmCase(60),
      (c: ReturnType<typeof lstmCase>, p: LstmP) => {
        const { hs, cs } = lstmLayer(c.x, p, c.h0, c.c0);
        return [hs, cs];
      },
    ],
    [
      "HORN",
      () => hornCase(70),
      (c: ReturnType<typeof hornCase>, p: HornP) => {
        const { xs, ys } = hornLayer(c.x, p, constantsOf(p), c.s0, { gain: 0.5, dt: 0.5 });
        return [xs, ys];
      },
    ],
  ] as const;
  it.each(layers)(
    "%s: states returned beside the loss read the same after the gradient, through a product too",
    (_, make, statesOf) => {
      const c = make() as never;
      const run = statesOf as (c: never, p: never) => Tensor[];
      const params = (c as { p: never }).p;
      const w = normal(55, [H, O]);
      const target = normal(56, [T, B, O]);
      // The references first, from fresh copies: the gradient's forward is the last to keep a block.
      const reference = run(c, params).map(copy);
      const products = reference.map((s) => bits(matmul(s, w)));
      const { aux } = valueAndGrad(
        (p: never) => {
          const states = run(c, p);
          return [
            states.map((s) => sum(mul(matmul(s, w), target))).reduce((a, b) => add(a, b)),
            states,
          ] as const;
        },
        { hasAux: true },
      )(params);
      // Read where the forward left them, if anywhere, after its backward ran there.
      expect(aux.map((s) => bits(matmul(s, w)))).toEqual(products);
      expect(aux.map(bits)).toEqual(reference.map(bits));
    },
  );
});

describe("arrays shared between inputs", () => {
  beforeEach(() => void setBackend(poisoning(before)));
  it("inputs that are views of one buffer, or one tensor in two places, give the values and gradients of fresh copies", () => {
    const l = lstmCase(80);
    const buffer = new Float32Array(T * B * I + 2 * B * H);
    buffer.set(l.x.data);
    buffer.set(l.h0.data, T * B * I);
    const x = fromData(buffer.subarray(0, T * B * I), [T, B, I]);
    const h0 = fromData(buffer.subarray(T * B * I, T * B * I + B * H), [B, H]);
    // h0 doubles as c0: the same tensor in two places.
    const viewed = valueAndGrad((p: LstmP) => sum(mul(lstmReadout(x, p, h0, h0, { w: p.w }), l.target)))(l.p);
    const fresh = valueAndGrad((p: LstmP) =>
      sum(mul(lstmReadout(copy(l.x), p, copy(l.h0), copy(l.h0), { w: p.w }), l.target)),
    )(l.p);
    expect(viewed.value).toBe(fresh.value);
    expect(grads(viewed.grads)).toEqual(grads(fresh.grads));
  });

  it("one buffer refilled between evaluations gives each batch's outputs", () => {
    const g = gruCase(90);
    const buffer = new Float32Array(T * B * I);
    const outs: number[][] = [];
    for (const seed of [91, 92, 91]) {
      buffer.set(normal(seed, [T, B, I]).data);
      outs.push(bits(gruReadout(fromData(buffer, [T, B, I]), g.p, g.h0, { w: g.p.w, b: g.p.b })));
    }
    const fresh = (seed: number) =>
      bits(gruReadout(normal(seed, [T, B, I]), g.p, g.h0, { w: g.p.w, b: g.p.b }));
    expect(outs).toEqual([fresh(91), fresh(92), fresh(91)]);
  });
});

describe("backends switched between a forward and its backward", () => {
  const cases = [
    ["GRU with a folded readout", gruCase, gruLoss],
    ["LSTM with a folded readout", lstmCase, lstmLoss],
    ["leaky RNN without states", rnnCase, rnnLoss],
    ["HORN final state", hornCase, hornLoss],
  ] as const;
  it.each(cases)("%s: the backward on another backend gives that backend's gradient", (_, make, lossOf) => {
    const gradsOf = (seed: number) => {
      const c = (make as (seed: number) => { p: Record<string, Tensor> })(seed);
      const loss = (lossOf as (c: unknown) => (p: Record<string, Tensor>) => Tensor)(c);
      return (wrap: (l: Tensor) => Tensor = (l) => l) =>
        grads(valueAndGrad((p: Record<string, Tensor>) => wrap(loss(p)))(c.p).grads);
    };
    for (const [first, second] of [
      ["wasm", "js"],
      ["wasm", "wasm-mt"],
      ["wasm-mt", "wasm"],
    ] as const) {
      const a = poisoning(createBackend(first, { threads: 2 }));
      const b = createBackend(second, { threads: 2 });
      // Other numbers of the same sizes first: the arrays reused from their passes hold them.
      setBackend("js");
      for (let i = 0; i < 3; i++) gradsOf(141 + i)();
      setBackend(a);
      const switched = gradsOf(140)((l) => (setBackend(b), l));
      const reference = gradsOf(140)();
      for (const k of Object.keys(reference)) {
        const [r, s] = [reference[k]!, switched[k]!];
        const worst = Math.max(...r.map((v, i) => Math.abs(v - s[i]!) / (1 + Math.abs(v))));
        expect(worst, `${first} then ${second}: ${k}`).toBeLessThan(1e-4);
      }
      // Switched away and back before the backward: the first backend's own gradient, bit for bit.
      setBackend(a);
      const own = gradsOf(140)();
      expect(
        gradsOf(140)((l) => (setBackend(b), setBackend(a), l)),
        `${first} and back`,
      ).toEqual(own);
    }
  });
});

describe("training: alternation, evaluation between steps, resumption from a checkpoint", () => {
  beforeEach(() => void setBackend(poisoning(before)));
  const [nIn, nOut] = [3, 2];
  const models = [
    ["GRU, folded readout", () => sequenceModel(gru({ nIn, nHidden: 9 }), linearReadout({ nIn: 9, nOut }))],
    ["LSTM, folded readout", () => sequenceModel(lstm({ nIn, nHidden: 7 }), linearReadout({ nIn: 7, nOut }))],
    ["leaky RNN", () => leakyRNNModel({ nIn, nHidden: 10, nOut, tauMs: 100, dtMs: 20 })],
    ["HORN, final state", () => hornNetwork({ nIn, nHidden: [6, 5], nOut })],
  ] as const;
  type Model = ReturnType<(typeof models)[number][1]>;
  interface Batch {
    readonly x: Tensor;
    readonly y: Tensor;
  }
  const batches = (seed: number, model: Model): Batch[] =>
    [0, 1, 2].map((i) => ({
      x: normal(seed + 2 * i, [T, B, nIn]),
      y: normal(seed + 2 * i + 1, model.timeReadout === "last" ? [B, nOut] : [T, B, nOut]),
    }));
  const trainer = (model: Model, callbacks: Callbacks<Tree>[] = []) =>
    new Trainer<Tree, Batch>({
      loss: (p, b) => mse(readOverTime(model.apply(p as never, b.x), model.timeReadout), b.y),
      optimizer: adam({ lr: 0.01 }),
      callbacks,
    });
  const leaves = (p: Tree) => treeLeaves(p).map(({ path, leaf }) => [path, bits(leaf)]);
  const EPOCHS = 2;

  /** Each model trained alone, for the references. */
  const alone = models.map(([, make], i) => {
    const model = make();
    const data = batches(200 + 10 * i, model);
    return leaves(trainer(model).fit(model.init(Rng.fromSeed(i)), data, { epochs: EPOCHS }).params);
  });

  it("four models trained in alternation, an epoch each in turn, end where each trained alone does", () => {
    const runs = models.map(([, make], i) => {
      const model = make();
      const data = batches(200 + 10 * i, model);
      const t = trainer(model);
      return { t, data, state: t.initialState(model.init(Rng.fromSeed(i))) };
    });
    for (let e = 1; e <= EPOCHS; e++)
      for (const r of runs) r.state = r.t.resume(r.state, r.data, { epochs: e });
    expect(runs.map((r) => leaves(r.state.params))).toEqual(alone);
  });

  it("evaluations between steps (outputs, hidden states, another model's gradient) change no step", () => {
    models.forEach(([, make], i) => {
      const model = make();
      const data = batches(200 + 10 * i, model);
      const other = models[(i + 1) % models.length]![1]();
      const otherParams = other.init(Rng.fromSeed(99));
      const otherData = batches(300, other)[0]!;
      const seen: number[][] = [];
      const evaluate: Callbacks<Tree> = {
        onStep: (_r, view) => {
          const run = model.apply(view.params as never, data[0]!.x);
          seen.push(bits(run.outputs), bits(run.hidden), bits(readOverTime(run, model.timeReadout)));
          valueAndGrad((p: Tree) =>
            mse(readOverTime(other.apply(p as never, otherData.x), other.timeReadout), otherData.y),
          )(otherParams);
        },
      };
      const trained = trainer(model, [evaluate]).fit(model.init(Rng.fromSeed(i)), data, { epochs: EPOCHS });
      expect(leaves(trained.params), models[i]![0]).toEqual(alone[i]);
      expect(seen.length).toBe(3 * EPOCHS * data.length);
    });
  });

  it("steps alternating between a threaded and a single-thread backend end where the threaded run alone does", () => {
    const single = poisoning(createBackend("wasm"));
    const threaded = poisoning(createBackend("wasm-mt", { threads: 2 }));
    models.forEach(([, make], i) => {
      const model = make();
      const data = batches(200 + 10 * i, model);
      setBackend(threaded);
      const own = leaves(trainer(model).fit(model.init(Rng.fromSeed(i)), data, { epochs: EPOCHS }).params);
      const alternate: Callbacks<Tree> = {
        onStep: (r) => void setBackend(r.step % 2 === 0 ? single : threaded),
      };
      const mixed = trainer(model, [alternate]).fit(model.init(Rng.fromSeed(i)), data, { epochs: EPOCHS });
      expect(leaves(mixed.params), models[i]![0]).toEqual(own);
    });
  });

  it("training stopped, saved to a checkpoint, read back and resumed ends where the uninterrupted run does", () => {
    models.forEach(([, make], i) => {
      const model = make();
      const data = batches(200 + 10 * i, model);
      const stopAt = 4;
      const stopper: Callbacks<Tree> = { onStep: (r) => (r.step === stopAt ? "stop" : undefined) };
      const t = trainer(model, [stopper]);
      const stopped = t.fit(model.init(Rng.fromSeed(i)), data, { epochs: EPOCHS });
      expect(stopped.step).toBe(stopAt + 1);
      const bytes = encodeCheckpoint({
        params: stopped.params,
        optimizer: stopped.optimizer,
        step: stopped.step,
      });
      const read = decodeCheckpoint(bytes, "mid-training", stopped.params);
      const resumed = trainer(model).resume(
        { ...stopped, params: read.params, optimizer: read.optimizer! },
        data,
        { epochs: EPOCHS },
      );
      expect(leaves(resumed.params), models[i]![0]).toEqual(alone[i]);
    });
  });
});

describe("a model's hidden states after a run that folded its readout", () => {
  beforeEach(() => void setBackend(poisoning(before)));
  it.each([
    ["GRU", () => gru({ nIn: 3, nHidden: 9 })],
    ["LSTM", () => lstm({ nIn: 3, nHidden: 9 })],
  ] as const)(
    "%s: read after a gradient and other forwards, they are the run's, bit for bit",
    (_, cellOf) => {
      const cell = cellOf() as unknown as Cell;
      const model = sequenceModel(cell, linearReadout({ nIn: 9, nOut: 2 }));
      const params = model.init(Rng.fromSeed(5)) as Tree;
      const xs = normal(6, [T, B, 3]);
      const reference = runCell(cell, (params as { cell: Tree }).cell, copy(xs));
      const run = model.apply(params as never, xs);
      const outputs = bits(run.outputs);
      // Between the run and the read: the same model's gradient on other inputs, and other layers.
      valueAndGrad((p: Tree) => sum(model.apply(p as never, normal(7, [T, B, 3])).outputs))(params);
      hornLoss(hornCase(8))(hornCase(8).p);
      expect(bits(run.hidden)).toEqual(bits(reference.outputs));
      expect(bits(run.outputs)).toEqual(outputs);
    },
  );
});

describe("the spiking chain's kept tape", () => {
  beforeEach(() => void setBackend(poisoning(before)));
  it("its backward after other kernels took the memory (it runs the forward again) gives the gradients of one with the tape kept, bit for bit", () => {
    const net = spikingClassifier({ nIn: 12, nHidden: 6, nOut: 3, dtMs: 1 });
    const data = [0, 1].map((i) => ({
      xs: randomBernoulli(Rng.fromSeed(400 + i), [30, 5, 12], 0.4),
      y: Int32Array.from([0, 1, 2, 0, 1].map((v) => (v + i) % 3)),
    }));
    const params = net.init(Rng.fromSeed(402));
    const lossOf = (p: typeof params, d: (typeof data)[number]) =>
      softmaxCrossEntropy(readOverTime(net.apply(p, d.xs), net.timeReadout), d.y);
    const flat = (p: Tree) => treeLeaves(p).map(({ path, leaf }) => [path, bits(leaf)] as const);
    const alone = data.map((d) => flat(valueAndGrad((p: typeof params) => lossOf(p, d))(params).grads));
    expect(Math.max(...alone[0]![0]![1].map(Math.abs))).toBeGreaterThan(0);
    const g = gruCase(403);
    // Both chains' forwards, then a GRU's, before any backward: the first chain's memory is taken twice.
    const mixed = valueAndGrad((q: { a: typeof params; b: typeof params; g: GruP }) =>
      add(add(lossOf(q.a, data[0]!), lossOf(q.b, data[1]!)), gruLoss(g)(q.g)),
    )({ a: params, b: params, g: g.p }).grads;
    expect(flat(mixed.a)).toEqual(alone[0]);
    expect(flat(mixed.b)).toEqual(alone[1]);
  });
});

describe("scan's slabs", () => {
  it("what a step keeps aside stays as it was through later scans, their gradients and fused layers", () => {
    const kept: { t: Tensor; at: number[] }[] = [];
    const run = (seed: number, keep: boolean, w = normal(500, [H, H], 0.3)) =>
      scan(
        (h: Tensor, x: Tensor) => {
          const next = tanh(add(matmul(h, w), x));
          if (keep) kept.push({ t: next, at: bits(next) });
          return [next, mul(next, 2)] as const;
        },
        normal(seed, [B, H]),
        normal(seed + 1, [T, B, H]),
      );
    const [final, ys] = run(501, true);
    const [finalBits, ysBits] = [bits(final), bits(ys)];
    for (let i = 0; i < 3; i++) {
      valueAndGrad((v: Tensor) => sum(run(510 + i, false, v)[1]))(normal(500, [H, H], 0.3));
      gruLoss(gruCase(520 + i))(gruCase(520 + i).p);
      run(530 + i, false);
    }
    expect(kept.length).toBe(T);
    for (const k of kept) expect(bits(k.t)).toEqual(k.at);
    expect(bits(final)).toEqual(finalBits);
    expect(bits(ys)).toEqual(ysBits);
  });
});

describe("a scan's weights kept in the kernels' memory between products", () => {
  beforeEach(() => void setBackend(poisoning(before)));
  // [128, 128]: large enough to be kept; two of them, read in turn, and a fused layer between.
  const N = 128;
  const weights = (seed: number) => ({ u: normal(seed, [N, N], 0.08), v: normal(seed + 1, [N, N], 0.08) });
  type W = ReturnType<typeof weights>;
  const xs = normal(600, [T, 3, N]);
  const h0 = normal(601, [3, N], 0.5);
  const g = gruCase(602);
  // A fused layer's backward done: its kernel memory is free for a kept weight (a forward's tape
  // whose backward has not released it, e.g. HORN's, keeps products from keeping anything).
  const vacate = () => valueAndGrad(gruLoss(g))(g.p);
  const loss = (checkpoint: number | undefined) => (p: W & { g: GruP }) => {
    const [, hs] = scan(
      (h: Tensor, x: Tensor) => {
        const next = tanh(add(matmul(tanh(add(matmul(h, p.u), x)), p.v), h));
        return [next, next] as const;
      },
      h0,
      xs,
      checkpoint === undefined ? {} : { checkpoint },
    );
    return add(sum(mul(hs, hs)), gruLoss(g)(p.g));
  };
  /** The same loss in float64 (plain loops, nothing kept), its gradients rounded to float32. */
  const reference = () => {
    const f64 = (t: Tensor) => cast(t, "float64");
    const p = weights(603);
    return valueAndGrad((q: W) => {
      const [, s] = scan(
        (h: Tensor, x: Tensor) => {
          const next = tanh(add(matmul(tanh(add(matmul(h, q.u), x)), q.v), h));
          return [next, next] as const;
        },
        f64(h0),
        f64(xs),
      );
      return sum(mul(s, s));
    })({ u: f64(p.u), v: f64(p.v) });
  };

  it("plain and checkpointed, with a fused layer in the same loss: the float64 gradients, and the same bits every time", () => {
    const ref = reference();
    const params = { ...weights(603), g: g.p };
    const gruAlone = grads(valueAndGrad(gruLoss(g))(g.p).grads);
    for (const checkpoint of [undefined, 2]) {
      vacate();
      const first = valueAndGrad(loss(checkpoint))(params);
      const again = valueAndGrad(loss(checkpoint))(params);
      expect(first.value).toBe(again.value);
      expect(grads(again.grads.g)).toEqual(grads(first.grads.g));
      expect(grads(first.grads.g)).toEqual(gruAlone);
      for (const k of ["u", "v"] as const) {
        expect(bits(again.grads[k])).toEqual(bits(first.grads[k]));
        const r = ref.grads[k].data;
        const worst = Math.max(
          ...bits(first.grads[k]).map((v, i) => Math.abs(v - r[i]!) / (1 + Math.abs(r[i]!))),
        );
        expect(worst, `${k} (checkpoint ${checkpoint})`).toBeLessThan(1e-4);
      }
      expect(
        Math.abs(first.value - ref.value - gruLoss(g)(g.p).item()) / (1 + Math.abs(ref.value)),
      ).toBeLessThan(1e-4);
    }
  });

  it("a buffer refilled between scans, each reading it in its steps, gives each scan the products of its floats", () => {
    const w = normal(610, [N, N]);
    const buffer = new Float32Array(N * N);
    // Two steps, each multiplying a row by the buffer (the larger operand, kept between products).
    const twice = (x: Tensor) =>
      scan((h: Tensor) => [tanh(matmul(h, x)), matmul(h, x)] as const, normal(620, [1, N], 0.1), null, {
        length: 2,
      })[1];
    const seeds = [611, 612, 611];
    const fresh = seeds.map((seed) => {
      const x = normal(seed, [N, N]);
      return [bits(twice(x)), bits(matmul(x, w))];
    });
    // Refilled between products with no other large product in between, which would take the memory.
    vacate();
    const reused = seeds.map((seed) => {
      buffer.set(normal(seed, [N, N]).data);
      return [bits(twice(fromData(buffer, [N, N]))), bits(matmul(fromData(buffer, [N, N]), w))];
    });
    expect(reused).toEqual(fresh);
  });
});

describe("a kernel backward handed arrays whose floats changed since its forward", () => {
  it("writes out the outputs its forward left in the kernels' memory, and reads the new floats", () => {
    const [T, B, H] = [5, 3, 4];
    const f32 = (seed: number, n: number, scale = 1) => mul(normal(seed, [n]), scale).data as Float32Array;
    const h0 = f32(700, B * H, 0.5);
    const args = {
      T,
      B,
      H,
      drive: f32(701, T * B * H),
      wRec: f32(702, H * H, 0.5),
      alpha: 0.5,
      activation: "relu" as const,
      order: "rate" as const,
    };
    const dHs = f32(703, T * B * H);
    const wasm = createBackend("wasm");
    const forward = wasm.recurrenceForward({ ...args, h0, backwardOnly: { hs: true, pre: true } });
    // The caller's h0 gets new floats from a product written into it.
    const reference = createBackend("js").recurrenceForward({ ...args, h0: h0.slice() });
    wasm.gemm(false, false, B, H, H, 1, f32(704, B * H), f32(705, H * H), 0, h0);
    const got = wasm.recurrenceBackward({ ...args, h0, hs: forward.hs, pre: forward.pre, dHs });
    const want = createBackend("js").recurrenceBackward({
      ...args,
      h0,
      hs: reference.hs,
      pre: reference.pre,
      dHs,
    });
    for (const k of ["dWRec", "dh0", "dDrive"] as const) {
      const [a, b] = [Array.from(got[k]!), Array.from(want[k]!)];
      expect(Math.max(...b.map(Math.abs)), k).toBeGreaterThan(0);
      const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i]!) / (1 + Math.abs(b[i]!))));
      expect(worst, k).toBeLessThan(1e-5);
    }
  });
});
