/**
 * The reference training steps (see the PyTorch side in the shared bench folder, torch_jit.py and
 * torch_horn.py): forward over the whole sequence, BPTT and an Adam update, built from the public API.
 */
import {
  Rng,
  type Tensor,
  type Tree,
  add,
  adam,
  fromData,
  gru,
  hornNetwork,
  linearReadout,
  lstm,
  readOverTime,
  sequenceModel,
  randomBernoulli,
  sliceAxis,
  spikingChain,
  l2Penalty,
  mse,
  randomNormal,
  randomUniform,
  rnnLayer,
  type GatedParams,
  type SequenceModel,
  type SequenceParams,
  scan,
  sigmoid,
  softmaxCrossEntropy,
  sub,
  tanh,
  matmul,
  mul,
  valueAndGrad,
  zeros,
} from "../src/index.ts";

/** One training step; returns the loss before the update. */
export type TrainStep = () => number;

/**
 * A training step: the loss and gradient at the current parameters, then one Adam update in
 * place (the step keeps no earlier parameters or state, so it donates them, as PyTorch's
 * optimizers update in place).
 */
function adamSteps<P extends Tree>(init: P, lr: number, loss: (p: P) => Tensor): TrainStep {
  const opt = adam({ lr });
  let params = init;
  let state = opt.init(params);
  const lossAndGrad = valueAndGrad(loss);
  return () => {
    const { value, grads } = lossAndGrad(params);
    ({ params, state } = opt.update(grads, state, params, { donate: true }));
    return value;
  };
}

/** PyTorch's `nn.Linear` initialisation: U(-1/sqrt(fanIn), 1/sqrt(fanIn)), stored as [in, out]. */
function linear(rng: Rng, fanIn: number, fanOut: number): { w: Tensor; b: Tensor } {
  const k = 1 / Math.sqrt(fanIn);
  return { w: randomUniform(rng, [fanIn, fanOut], -k, k), b: randomUniform(rng, [fanOut], -k, k) };
}

interface RnnParams {
  readonly wIn: Tensor;
  readonly wRec: Tensor;
  readonly b: Tensor;
  readonly wOut: Tensor;
  readonly bOut: Tensor;
  readonly [key: string]: Tensor;
}

function rnnParams(rng: Rng, I: number, H: number, O: number): RnnParams {
  const input = linear(rng, I, H);
  const rec = linear(rng, H, H);
  const out = linear(rng, H, O);
  return { wIn: input.w, wRec: rec.w, b: add(input.b, rec.b), wOut: out.w, bOut: out.b };
}

/** Runs the RNN (input projection, recurrence and readout in one fused layer) over `x` [T, B, I]: the readout [T, B, O]. */
function readout(p: RnnParams, x: Tensor, alpha: number): Tensor {
  const [, B] = x.shape as [number, number];
  const H = p.wRec.shape[0] as number;
  return rnnLayer(x, p, zeros([B, H]), { alpha, activation: "relu", order: "rate", states: false }).ys;
}

/** W1: leaky ReLU RNN (alpha 0.2), cross-entropy at every step, Adam lr 0.01. */
export function makeW1({ I = 3, H = 128, O = 3, T = 100, B = 16, seed = 0 } = {}): TrainStep {
  const rng = Rng.fromSeed(seed);
  const params = rnnParams(rng, I, H, O);
  const x = randomNormal(rng, [T, B, I]);
  const y = Int32Array.from({ length: T * B }, () => rng.integer(0, O));
  return adamSteps(params, 0.01, (p) => softmaxCrossEntropy(readout(p, x, 0.2), y));
}

/** W2: ReLU RNN integrator (alpha 1), MSE + 2e-4 L2 on the weights, Adam lr 0.01. */
export function makeW2({ I = 1, H = 100, O = 1, T = 25, B = 512, seed = 0 } = {}): TrainStep {
  const rng = Rng.fromSeed(seed);
  // nn.Linear(I + H, H) over [x; h]: its first I rows act on x, the rest on h.
  const cell = linear(rng, I + H, H);
  const out = linear(rng, H, O);
  const params: RnnParams = {
    wIn: sliceAxis(cell.w, 0, 0, I),
    wRec: sliceAxis(cell.w, 0, I),
    b: cell.b,
    wOut: out.w,
    bOut: out.b,
  };
  const x = randomNormal(rng, [T, B, I], 0.1);
  const target = cumsum(x);
  return adamSteps(params, 0.01, (p) =>
    add(
      mse(readout(p, x, 1), target),
      l2Penalty(p, 2e-4, (path) => path.startsWith("w")),
    ),
  );
}

/** Cumulative sum over the leading (time) axis. */
function cumsum(x: Tensor): Tensor {
  const T = x.shape[0] as number;
  const n = x.size / T;
  const out = new Float32Array(x.size);
  for (let i = 0; i < x.size; i++) out[i] = (i >= n ? (out[i - n] as number) : 0) + (x.data[i] as number);
  return fromData(out, x.shape);
}

/**
 * W3: the spiking classifier (100 Bernoulli inputs at 1% → synapse → 10 LIF → synapse → 2 leaky
 * readouts), dt 1 ms with PyTorch script's time constants (τ_syn 10, τ_mem 10, τ_out 5), its
 * current-based LIF (`V ← β V + I`), surrogate `1/(100|x| + 1)²`, CE on the max over time (taken in the
 * kernel: `uMax`), Adam lr 2e-3.
 */
export function makeW3({ T = 500, B = 256, nIn = 100, N = 10, O = 2, seed = 0 } = {}): TrainStep {
  const rng = Rng.fromSeed(seed);
  const params = {
    w1: randomNormal(rng, [nIn, N], 7 / Math.sqrt(nIn)),
    w2: randomNormal(rng, [N, O], 1 / Math.sqrt(N)),
  };
  const x = randomBernoulli(rng, [T, B, nIn], 0.01);
  const y = Int32Array.from({ length: B }, () => rng.integer(0, O));
  const constants = {
    synDecay: Math.exp(-1 / 10),
    cv: Math.exp(-1 / 10),
    ci: 1,
    c0: 0,
    vTh: 1,
    vReset: 0,
    v0: 0,
    reset: "hard",
    detachReset: true,
    outDecay: Math.exp(-1 / 5),
    surrogate: "fastSigmoid",
    surrogateScale: 100,
  } as const;
  return adamSteps(params, 2e-3, (p) => softmaxCrossEntropy(spikingChain(x, p.w1, p.w2, constants).uMax, y));
}

/** W4 (GRU) and W5 (LSTM): I3/H128/O3, T100, B16, cross-entropy at every step, Adam lr 0.01. */
export function makeGated(kind: "gru" | "lstm", sizes: GatedSizes = {}): TrainStep {
  return gatedSteps(kind, sizes, (model, p, x) => model.apply(p, x).outputs);
}

interface GatedSizes {
  readonly I?: number;
  readonly H?: number;
  readonly O?: number;
  readonly T?: number;
  readonly B?: number;
  readonly seed?: number;
}

/** The parameters of W4's and W6's model: a GRU cell (PyTorch's layout) and a linear readout. */
export type GruModelParams = SequenceParams<GatedParams>;

/** W4/W5/W6's weights, data and loss, with the logits computed by `logits`. */
function gatedSteps(
  kind: "gru" | "lstm",
  { I = 3, H = 128, O = 3, T = 100, B = 16, seed = 0 }: GatedSizes,
  logits: (model: SequenceModel<GruModelParams>, p: GruModelParams, x: Tensor) => Tensor,
): TrainStep {
  const rng = Rng.fromSeed(seed);
  const model = sequenceModel(
    (kind === "gru" ? gru : lstm)({ nIn: I, nHidden: H }),
    linearReadout({ nIn: H, nOut: O }),
  );
  const x = randomNormal(rng, [T, B, I]);
  const y = Int32Array.from({ length: T * B }, () => rng.integer(0, O));
  return adamSteps(model.init(rng), 0.01, (p) => softmaxCrossEntropy(logits(model, p, x), y));
}

/**
 * W4's GRU as a user writes it from primitives, the way the brainstate tutorial writes a cell: a
 * step of matmul, sigmoid, tanh, mul and add over sliced gate blocks (PyTorch's GRU equations),
 * run by `scan`, then the readout over the stacked states.
 * @param x `[T, B, I]` inputs
 * @returns `[T, B, O]` logits
 */
export function userGruLogits(p: GruModelParams, x: Tensor): Tensor {
  const { wIh, wHh, bIh, bHh } = p.cell;
  const H = wHh.shape[0] as number;
  const gates = (t: Tensor) =>
    [0, 1, 2].map((g) => sliceAxis(t, -1, g * H, (g + 1) * H)) as [Tensor, Tensor, Tensor];
  const step = (h: Tensor, xt: Tensor): [Tensor, Tensor] => {
    const [ir, iz, inn] = gates(add(matmul(xt, wIh), bIh));
    const [hr, hz, hn] = gates(add(matmul(h, wHh), bHh));
    const r = sigmoid(add(ir, hr));
    const z = sigmoid(add(iz, hz));
    const n = tanh(add(inn, mul(r, hn)));
    const next = add(mul(sub(1, z), n), mul(z, h));
    return [next, next];
  };
  const [, hs] = scan(step, zeros([x.shape[1] as number, H], x.dtype), x);
  return add(matmul(hs, p.readout.w), p.readout.b as Tensor);
}

/** W6: {@link userGruLogits} on W4's shape, weights, data and loss (the generic path beside W4's fused kernel). */
export function makeUserGru(sizes: GatedSizes = {}): TrainStep {
  return gatedSteps("gru", sizes, (_model, p, x) => userGruLogits(p, x));
}

/**
 * HORN at S0's shape: 64 oscillators (alpha 0.2, omega 2π/28), 2 one-hot symbols over 8 steps
 * (cue at t = 0, probe at t = 7, label 1 on a match), B32, readout of the last position (read
 * the model's way, `readOverTime`: the readout of the last step alone, as torch_horn.py's
 * `h2o(x)`), cross-entropy, Adam lr 3e-2.
 */
export function makeHorn({ T = 8, B = 32, symbols = 2, H = 64, seed = 0 } = {}): TrainStep {
  const rng = Rng.fromSeed(seed);
  const model = hornNetwork({ nIn: symbols, nHidden: H, nOut: 2, alpha: 0.2, omega: (2 * Math.PI) / 28 });
  const xs = new Float32Array(T * B * symbols);
  const labels = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const [cue, probe] = [rng.integer(0, symbols), rng.integer(0, symbols)];
    xs[b * symbols + cue] = 1;
    xs[((T - 1) * B + b) * symbols + probe] = 1;
    labels[b] = cue === probe ? 1 : 0;
  }
  const x = fromData(xs, [T, B, symbols]);
  return adamSteps(model.init(rng), 3e-2, (p) =>
    softmaxCrossEntropy(readOverTime(model.apply(p, x), model.timeReadout), labels),
  );
}
