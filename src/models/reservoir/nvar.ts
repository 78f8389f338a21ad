/**
 * Nonlinear vector autoregression, the feature map of next-generation reservoir computing
 * (Gauthier et al., Nat. Commun. 2021): time-delay taps of the input and their unique monomials.
 */
import { type Tensor, concat, gather, mul, ones, reshape, sliceAxis, zeros } from "../../core/index.ts";
import type { Cell, RunOptions, RunResult } from "../cell.ts";
import { positiveInt } from "../validate.ts";

/** Options of {@link nvar}. */
export interface NVAROptions {
  /** Input dimension d. */
  readonly nIn: number;
  /** Number of taps k (BrainPy's `delay`). */
  readonly delay: number;
  /** Steps between taps s (default 1). */
  readonly stride?: number;
  /** Monomial degree p, or several degrees (default 2). */
  readonly order?: number | readonly number[];
  /** Prepend the constant feature 1 (default false, BrainPy's default). */
  readonly constant?: boolean;
}

/** Resolved NVAR config. */
export type NVARConfig = {
  readonly nIn: number;
  readonly delay: number;
  readonly stride: number;
  readonly order: readonly number[];
  readonly constant: boolean;
};

/** History: the previous `(k − 1) s` inputs, oldest first, `[(k − 1)s, B, d]` (absent when k = 1). */
export type NVARState = { readonly history?: Tensor };

/** An NVAR cell, plus its feature names and warm-up length. */
export type NVARCell = Cell<Record<string, never>, NVARState, NVARConfig> & {
  /** Names of the output features in order, e.g. `1`, `x0(t)`, `x1(t-5)`, `x0(t)^2`, `x0(t) x1(t-5)`. */
  featureNames(): string[];
  /** `(k − 1) s`: the first outputs, computed with zero history, are warm-up. */
  readonly warmup: number;
};

/** Index tuples `i₁ ≤ … ≤ i_p` over `0..m−1` in lexicographic order: C(m + p − 1, p) of them. */
export function combinationsWithReplacement(m: number, p: number): number[][] {
  const out: number[][] = [];
  const walk = (start: number, prefix: number[]) => {
    if (prefix.length === p) {
      out.push(prefix);
      return;
    }
    for (let i = start; i < m; i++) walk(i, [...prefix, i]);
  };
  walk(0, []);
  return out;
}

/**
 * The NVAR feature map. For input X[t] ∈ R^d, k taps, stride s and degrees p:
 * ```
 * linear   = X[t] ⊕ X[t−s] ⊕ … ⊕ X[t−(k−1)s]              (newest first; k·d features)
 * nonlinear = ∏_j linear[i_j]  for i₁ ≤ … ≤ i_p            (lexicographic; C(kd + p − 1, p) per p)
 * features = [1] ⊕ linear ⊕ nonlinear(p₁) ⊕ …              (the 1 only with `constant`)
 * ```
 * History before the first input is zero; the first `(k−1)s` outputs are warm-up. Shapes: x
 * `[B, d]` → features `[B, F]`. Runs a whole sequence at once (no step loop).
 * @example const f = nvar({ nIn: 3, delay: 4, stride: 5, order: 2, constant: true }); f.nOut // 91 (S4a)
 */
export function nvar(options: NVAROptions): NVARCell {
  const where = "nvar";
  const orders = typeof options.order === "number" ? [options.order] : [...(options.order ?? [2])];
  const config: NVARConfig = {
    nIn: positiveInt(where, "nIn", options.nIn),
    delay: positiveInt(where, "delay", options.delay),
    stride: positiveInt(where, "stride", options.stride ?? 1),
    order: orders.map((p) => positiveInt(where, "order", p)),
    constant: options.constant ?? false,
  };
  const { nIn: d, delay: k, stride: s, constant } = config;
  const m = k * d;
  const span = (k - 1) * s;
  const monomials = config.order.map((p) => combinationsWithReplacement(m, p));
  const nOut = (constant ? 1 : 0) + m + monomials.reduce((n, c) => n + c.length, 0);

  /** Features from the taps `[..., k·d]`. */
  const features = (linear: Tensor): Tensor => {
    const parts = [linear];
    for (const combos of monomials) {
      const p = combos[0]?.length ?? 0;
      let product = gather(
        linear,
        combos.map((c) => c[0] as number),
        -1,
      );
      for (let j = 1; j < p; j++)
        product = mul(
          product,
          gather(
            linear,
            combos.map((c) => c[j] as number),
            -1,
          ),
        );
      parts.push(product);
    }
    if (constant) parts.unshift(ones([...linear.shape.slice(0, -1), 1], linear.dtype));
    return concat(parts, -1);
  };
  /** Taps of a time-major window `[span + T, B, d]` (oldest first) for the last T steps → `[T, B, k·d]`. */
  const taps = (window: Tensor, T: number): Tensor =>
    concat(
      Array.from({ length: k }, (_, i) => sliceAxis(window, 0, span - i * s, span - i * s + T)),
      -1,
    );
  const historyOf = (state: NVARState | undefined, B: number, like: Tensor) =>
    state?.history ?? zeros([span, B, d], like.dtype);

  const run = (xs: Tensor, state0: NVARState | undefined): { out: Tensor; final: NVARState } => {
    const T = xs.shape[0] as number;
    if (span === 0) return { out: features(xs), final: {} };
    const window = concat([historyOf(state0, xs.shape[1] as number, xs), xs], 0);
    return { out: features(taps(window, T)), final: { history: sliceAxis(window, 0, T, T + span) } };
  };

  const names = (): string[] => {
    const linear = Array.from({ length: m }, (_, j) => {
      const lag = Math.floor(j / d) * s;
      return `x${j % d}(t${lag === 0 ? "" : `-${lag}`})`;
    });
    const monomialName = (c: number[]) =>
      [...new Set(c)]
        .map((i) => {
          const power = c.filter((x) => x === i).length;
          return power === 1 ? (linear[i] as string) : `${linear[i] as string}^${power}`;
        })
        .join(" ");
    return [
      ...(constant ? ["1"] : []),
      ...linear,
      ...monomials.flatMap((combos) => combos.map(monomialName)),
    ];
  };

  return {
    name: where,
    config,
    nIn: d,
    nOut,
    warmup: span,
    featureNames: names,
    init: () => ({}),
    initialState: (_p, B) => (span === 0 ? {} : { history: zeros([span, B, d]) }),
    step(_p, state, x) {
      const { out, final } = run(reshape(x, [1, ...x.shape]), state);
      return { state: final, output: reshape(out, [x.shape[0] as number, nOut]) };
    },
    sequence(_p, xs: Tensor, options: RunOptions<NVARState>): RunResult<NVARState> {
      const { out, final } = run(xs, options.state0);
      return { final, outputs: out, traces: {} };
    },
  };
}
