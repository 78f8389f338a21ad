/**
 * The cell contract: a pure single-step function with explicit parameters and state, and
 * {@link runCell}, which runs any cell over a time-major sequence with `scan`.
 */
import {
  type GatedReadout,
  ValueError,
  arange,
  concat,
  type Rng,
  reshape,
  scan,
  sliceAxis,
  stack,
  type Tensor,
  type Tree,
  treeLeaves,
  unstack,
} from "../core/index.ts";

/** Per-step extras: an `Rng` for noise (recurrent noise, Poisson sources). */
export interface StepContext {
  readonly rng?: Rng;
}

/** What one step returns: the next state and the step's output `[B, nOut]`. */
export interface StepResult<S extends Tree> {
  readonly state: S;
  readonly output: Tensor;
}

/** Options of a whole-sequence run. */
export interface RunOptions<S extends Tree> {
  /** The initial state; defaults to `cell.initialState(params, B)`. */
  readonly state0?: S;
  /** Noise source; each step gets its own stream, so checkpointed recomputation draws the same numbers. */
  readonly rng?: Rng;
  /** Segment length for checkpointed BPTT (memory ~ T / checkpoint); omit to keep the whole graph. */
  readonly checkpoint?: number;
  /** Use the cell's fused sequence kernel when it has one (default true). */
  readonly fused?: boolean;
  /** State leaves (dotted paths, e.g. `"v"` or `"lif.spike"`) to return for every step. */
  readonly record?: readonly string[];
}

/** What a whole-sequence run returns. */
export interface RunResult<S extends Tree> {
  /** The state after the last step. */
  readonly final: S;
  /** `[T, B, nOut]`: the step outputs. */
  readonly outputs: Tensor;
  /** `[T, B, ...]` per recorded state path. */
  readonly traces: Record<string, Tensor>;
}

/**
 * A cell: one step of a dynamical system, `step(params, state, x_t) → { state, output }`.
 *
 * - `config` is JSON-serialisable and, with `name`, rebuilds the cell (see `modelFromConfig`).
 * - `init(rng)` draws the parameter tree; `initialState(params, B)` gives the state tree at t = 0
 *   (it may depend on params, e.g. a trainable `h0`).
 * - `step` is pure: it reads `x` `[B, nIn]` and returns a new state; it never mutates.
 * - `sequence`, when present, runs the whole sequence in one fused kernel with the same values and
 *   gradients as the step-by-step path.
 *
 * @example
 * const cell = leakyRNN({ nIn: 3, nHidden: 64, tauMs: 100, dtMs: 20 });
 * const params = cell.init(Rng.fromSeed(0));
 * const { outputs } = runCell(cell, params, xs); // xs [T, B, 3] → outputs [T, B, 64]
 */
export interface Cell<P extends Tree = Tree, S extends Tree = Tree, C = unknown> {
  /** The factory's name, e.g. `"leakyRNN"`. */
  readonly name: string;
  /** The factory's options after defaults, JSON-serialisable. */
  readonly config: C;
  /** Input size per step. */
  readonly nIn: number;
  /** Output size per step (the hidden size for rate networks, spikes for LIF). */
  readonly nOut: number;
  init(rng: Rng): P;
  initialState(params: P, batch: number): S;
  step(params: P, state: S, x: Tensor, ctx?: StepContext): StepResult<S>;
  sequence?(params: P, xs: Tensor, options: RunOptions<S>): RunResult<S>;
  /**
   * When present, the state after the last step alone, as `sequence(...).final` gives it (the
   * same values and gradients), without the step sequences: see {@link runToFinal}.
   */
  final?(params: P, xs: Tensor, options: RunOptions<S>): S;
  /**
   * `sequence`'s outputs through a linear readout, `y_t = output_t w + b` `[T, B, O]`, in one fused
   * call that keeps the outputs to itself, with the same values and gradients; `undefined` where
   * the cell's kernel cannot (then run `sequence` and the readout). Models call it only where
   * {@link foldsReadout} allows.
   */
  sequenceReadout?(params: P, xs: Tensor, readout: GatedReadout, options: RunOptions<S>): Tensor | undefined;
}

/** The parameter tree type of a cell. */
export type ParamsOf<X> = X extends { init(rng: Rng): infer P } ? P : never;
/** The state tree type of a cell. */
export type StateOf<X> = X extends Cell<Tree, infer S> ? S : never;

/** The leaf of `tree` at a dotted path, or undefined. */
export function leafAt(tree: Tree, path: string): Tensor | undefined {
  return treeLeaves(tree).find((l) => l.path === path)?.leaf;
}

/**
 * Runs `cell` over `xs` `[T, B, nIn]` (time-major) with `scan`, or with the cell's fused kernel
 * when it has one and `fused !== false`.
 * @returns the final state, the outputs `[T, B, nOut]` and the recorded traces
 */
export function runCell<P extends Tree, S extends Tree>(
  cell: Cell<P, S>,
  params: P,
  xs: Tensor,
  options: RunOptions<S> = {},
): RunResult<S> {
  if (cell.sequence && options.fused !== false) return cell.sequence(params, xs, options);
  const T = xs.shape[0] as number;
  const B = xs.shape[1] as number;
  const state0 = options.state0 ?? cell.initialState(params, B);
  const record = checkRecord(cell.name, state0, options.record ?? []);
  const streams = options.rng && stepStreams(options.rng, T);

  /** Runs consecutive steps (inputs `[K, B, nIn]`, step indices `[K]`) and stacks what they return. */
  const segment = (
    state: S,
    inp: { x: Tensor; t: Tensor },
  ): readonly [S, { output: Tensor; traced: Tensor[] }] => {
    const outputs: Tensor[] = [];
    const traced: Tensor[][] = record.map(() => []);
    unstack(inp.x, 0).forEach((x, k) => {
      const t = inp.t.data[k] as number;
      const ctx: StepContext = streams ? { rng: (streams[t] as Rng).clone() } : {};
      const { state: next, output } = cell.step(params, state, x, ctx);
      state = next;
      outputs.push(output);
      record.forEach((path, j) => traced[j]?.push(leafAt(next, path) as Tensor));
    });
    return [
      state,
      {
        output: stack(outputs),
        // By position in `record`: a dotted path cannot be a key of the scanned tree.
        traced: traced.map((steps) => stack(steps)),
      },
    ];
  };

  // Segments of `checkpoint` steps run under scan (one checkpointed segment per scan step); the
  // remainder runs directly. Stacking happens per segment, in linear time.
  const K = Math.min(T, options.checkpoint ?? T);
  const full = Math.floor(T / K);
  const steps = arange(0, T);
  const timeMajor = (t: Tensor, n: number) => reshape(t, [n, K, ...t.shape.slice(1)]);
  const [mid, ys] = scan(
    segment,
    state0,
    {
      x: timeMajor(sliceAxis(xs, 0, 0, full * K), full),
      t: timeMajor(sliceAxis(steps, 0, 0, full * K), full),
    },
    full > 1 && options.checkpoint !== undefined ? { checkpoint: 1 } : {},
  );
  const flat = (t: Tensor) => reshape(t, [full * K, ...t.shape.slice(2)]);
  if (full * K === T) {
    return {
      final: mid,
      outputs: flat(ys.output),
      traces: Object.fromEntries(record.map((p, j) => [p, flat(ys.traced[j] as Tensor)])),
    };
  }
  const [final, rest] = segment(mid, {
    x: sliceAxis(xs, 0, full * K, T),
    t: sliceAxis(steps, 0, full * K, T),
  });
  const join = (a: Tensor, b: Tensor) => concat([flat(a), b], 0);
  return {
    final,
    outputs: join(ys.output, rest.output),
    traces: Object.fromEntries(
      record.map((p, j) => [p, join(ys.traced[j] as Tensor, rest.traced[j] as Tensor)]),
    ),
  };
}

/**
 * The state of `cell` after running it over `xs` `[T, B, nIn]`: {@link runCell}'s `final`, computed
 * by the cell's `final` where it has one and `fused !== false` (a classifier reading the last state
 * alone skips the step sequences).
 */
export function runToFinal<P extends Tree, S extends Tree>(
  cell: Cell<P, S>,
  params: P,
  xs: Tensor,
  options: RunOptions<S> = {},
): S {
  if (cell.final && handsOutNoSteps(options)) return cell.final(params, xs, options);
  return runCell(cell, params, xs, options).final;
}

/**
 * Whether a model runs `cell`'s outputs through its linear readout by the cell's
 * `sequenceReadout` (one fused call keeping the outputs to itself): where the cell offers it,
 * `fused !== false` and nothing is recorded.
 */
export function foldsReadout<P extends Tree, S extends Tree>(
  cell: Cell<P, S>,
  options: RunOptions<S>,
): boolean {
  return cell.sequenceReadout !== undefined && handsOutNoSteps(options);
}

/** A fused call handing out no step sequences may serve `options`: fused allowed, nothing recorded. */
export function handsOutNoSteps<S extends Tree>(options: RunOptions<S>): boolean {
  return options.fused !== false && (options.record ?? []).length === 0;
}

/**
 * One random stream per time step, forked from `rng`. Step t draws from a fresh clone of stream t,
 * so a checkpointed recomputation, and a fused kernel drawing the same way, see the same numbers.
 */
export function stepStreams(rng: Rng, T: number): Rng[] {
  return Array.from({ length: T }, () => rng.fork());
}

/** Checks every `record` path names a state leaf; returns the paths. */
export function checkRecord(where: string, state: Tree, record: readonly string[]): readonly string[] {
  const known = treeLeaves(state).map((l) => l.path);
  for (const path of record) {
    if (!known.includes(path)) {
      throw new ValueError(`${where}: record must name state variables (${known.join(", ")}), got "${path}"`);
    }
  }
  return record;
}
