/**
 * Seeded, splittable pseudo-random numbers. Nothing in braints calls `Math.random`: every random
 * draw comes from an {@link Rng} the caller passes in, so the same seed gives the same numbers in
 * Node and in a browser.
 *
 * The generator is xoshiro128** (32-bit state words, fast on JS integers); seeds and splits are
 * expanded with splitmix32 so nearby seeds give unrelated streams. {@link Rng.fold} derives a named
 * stream from a seed, as JAX's `fold_in` does: braints gives every consumer of randomness its own
 * (docs/randomness.md).
 */
import { BraintsError } from "./errors.ts";

/** Serialisable generator state: four uint32 words plus a cached spare normal deviate. */
export interface RngState {
  readonly words: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

type Words = [number, number, number, number];

function expandSeed(a: number, b: number): Words {
  const s0 = splitmix32(a ^ 0x6a09e667);
  const s1 = splitmix32(s0 ^ b);
  const s2 = splitmix32(s1 ^ 0x3c6ef372);
  const s3 = splitmix32(s2 ^ 0xa54ff53a);
  // xoshiro must not start from the all-zero state.
  return s0 | s1 | s2 | s3 ? [s0, s1, s2, s3] : [1, 0, 0, 0];
}

/**
 * Which of a seed's streams a data set draws from: training data (`"data"`) or held-out evaluation
 * data (`"eval"`). The two never share numbers, whatever the seeds.
 */
export type DataStream = "data" | "eval";

/** A name or an index that {@link Rng.fold} mixes into a stream. */
export type StreamKey = string | number;

/** Tags that keep a string key and a number key apart (`"7"` and `7` name different streams). */
const STRING_TAG = 0x73747221;
const NUMBER_TAG = 0x6e756d21;

function keyWords(key: StreamKey): number[] {
  if (typeof key === "string") {
    return [STRING_TAG, key.length, ...Array.from(key, (ch) => ch.codePointAt(0) as number)];
  }
  if (!Number.isSafeInteger(key)) {
    throw new BraintsError(`Rng.fold: a key must be a string or a safe integer, got ${key}`);
  }
  return [NUMBER_TAG, key >>> 0, Math.floor(key / 4294967296) >>> 0];
}

/**
 * Mixes `data` into a generator state. Each word passes through splitmix32 (a bijection) chained
 * over all four state words, so distinct keys give unrelated states.
 */
function absorb(state: Words, data: readonly number[]): Words {
  let [a, b, c, d] = state;
  for (const x of data) {
    a = splitmix32(a ^ x);
    b = splitmix32(b ^ a);
    c = splitmix32(c ^ b);
    d = splitmix32(d ^ c);
    a ^= d;
  }
  return a | b | c | d ? [a >>> 0, b, c, d] : [1, 0, 0, 0];
}

/**
 * A stream of random numbers. It is the one piece of mutable state in the library: pass it in,
 * {@link Rng.split} it to give independent streams to independent consumers.
 *
 * @example
 * const rng = Rng.fromSeed(42);
 * const [forInit, forData] = rng.split(2);
 * forData.normal(); // a standard normal deviate
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  // The spare deviate as an unboxed double beside a flag: a `number | null` field holds a boxed
  // number, which made every second `normal()` allocate.
  private hasSpare = false;
  private spare = 0;

  private constructor(words: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  /** A generator from an integer seed (any safe integer; negative allowed). */
  static fromSeed(seed: number): Rng {
    if (!Number.isSafeInteger(seed)) {
      throw new BraintsError(`Rng.fromSeed: seed must be a safe integer, got ${seed}`);
    }
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    return new Rng(expandSeed(lo, hi));
  }

  /** Restores a generator saved with {@link Rng.state}. */
  static fromState(state: RngState): Rng {
    if (state.words.length !== 4 || state.words.every((w) => w === 0)) {
      throw new BraintsError(`Rng.fromState: words must be four uint32 values, not all zero`);
    }
    const rng = new Rng(state.words.map((w) => w >>> 0) as [number, number, number, number]);
    if (state.spareNormal !== null) {
      rng.hasSpare = true;
      rng.spare = state.spareNormal;
    }
    return rng;
  }

  /** The current state, for checkpoints; `Rng.fromState(rng.state())` continues the same stream. */
  state(): RngState {
    return { words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.hasSpare ? this.spare : null };
  }

  /** An independent copy of this stream's current position (the original is not advanced). */
  clone(): Rng {
    return Rng.fromState(this.state());
  }

  /**
   * The stream named by `keys` under this one (JAX's `fold_in`): a pure function of this stream's
   * current state and the keys, which does not advance this stream. Different keys give unrelated
   * streams, so naming each consumer's stream keeps consumers apart whatever seeds they are given.
   * braints names its streams by purpose, then index (docs/randomness.md):
   * `Rng.fromSeed(seed).fold("data", step)` is the training data of update `step`.
   * @example
   * const root = Rng.fromSeed(0);
   * const init = root.fold("init"); // initial parameters
   * const batch3 = root.fold("data", 3); // training data of update 3
   */
  fold(key: StreamKey, ...more: readonly StreamKey[]): Rng {
    let words: Words = [this.s0, this.s1, this.s2, this.s3];
    for (const k of [key, ...more]) words = absorb(words, keyWords(k));
    return new Rng(words);
  }

  /** `n` new independent streams; advances this one. */
  split(n = 2): Rng[] {
    const out: Rng[] = [];
    for (let i = 0; i < n; i++) out.push(new Rng(expandSeed(this.nextUint32(), this.nextUint32() ^ i)));
    return out;
  }

  /** One new independent stream; advances this one. */
  fork(): Rng {
    return new Rng(expandSeed(this.nextUint32(), this.nextUint32()));
  }

  /**
   * Copies the four xoshiro128** state words into `out`, for a loop that steps the generator in
   * local variables as {@link Rng.nextUint32} does and hands the words back with
   * {@link Rng.writeWords} (the block ziggurat of `base/ziggurat.ts`).
   * @internal
   */
  readWords(out: Int32Array): void {
    out[0] = this.s0;
    out[1] = this.s1;
    out[2] = this.s2;
    out[3] = this.s3;
  }

  /** Sets the state words read by {@link Rng.readWords} and stepped since. @internal */
  writeWords(words: Int32Array): void {
    this.s0 = words[0] as number;
    this.s1 = words[1] as number;
    this.s2 = words[2] as number;
    this.s3 = words[3] as number;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform on [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** A uniform integer in [lo, hi) (hi exclusive), without modulo bias. */
  integer(lo: number, hi: number): number {
    const span = hi - lo;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || span <= 0 || span > 4294967296) {
      throw new BraintsError(
        `Rng.integer: need integers lo < hi with hi - lo <= 2^32, got lo=${lo}, hi=${hi}`,
      );
    }
    return lo + Math.floor(this.uniform() * span);
  }

  /** A standard normal deviate (Box–Muller; the second deviate of each pair is kept for the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** An index drawn with the given (unnormalised, non-negative) weights. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new BraintsError(`Rng.categorical: weights must be finite and >= 0, got ${w} at index ${i}`);
      }
      total += w;
    }
    if (!(total > 0))
      throw new BraintsError(`Rng.categorical: weights must have a positive sum, got ${total}`);
    let u = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] as number;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** One element of a non-empty array, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new BraintsError(`Rng.choice: items must be non-empty, got []`);
    return items[Math.floor(this.uniform() * items.length)] as T;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = p[i] as number;
      p[i] = p[j] as number;
      p[j] = t;
    }
    return p;
  }

  /** Fills `out` with uniform [lo, hi) deviates and returns it. */
  fillUniform<A extends Float32Array | Float64Array>(out: A, lo = 0, hi = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }

  /** Fills `out` with normal deviates of the given mean and standard deviation and returns it. */
  fillNormal<A extends Float32Array | Float64Array>(out: A, mean = 0, std = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
