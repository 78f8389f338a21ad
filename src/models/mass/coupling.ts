/**
 * Long-range couplings: how the activity a node sends becomes the input another node receives.
 * A coupling is split around the connectome, as in TVB: `pre` maps the sent variables of source j
 * to channels, the network forms the delayed weighted sums `S_i = Σ_j W_ij pre_j(t − d_ij)`, and
 * `post` maps the sums (with the receiving node's own variables, for differences) to the model's
 * coupling inputs. Every coupling has a global gain G, a parameter like any other.
 */
import { ValueError } from "../../base/errors.ts";
import type { Algebra, Value } from "./algebra.ts";
import { type Named, type ParameterSpec, param } from "./model.ts";

/** The couplings by name. */
export type CouplingName = "linear" | "diffusive" | "sigmoidal" | "jansenRit" | "kuramoto";

/** A coupling's definition; see the module comment for the split into pre, sums and post. */
export interface Coupling {
  readonly name: CouplingName;
  readonly title: string;
  readonly parameters: Named<string, ParameterSpec>;
  /** How many variables it sends (undefined: any number, one channel and one output each). */
  readonly sends?: number;
  /** Channels per node, given the number of variables sent. */
  channels(sent: number): number;
  /** Coupling outputs (model inputs fed), given the number of variables sent. */
  outputs(sent: number): number;
  /** Source side: sent variables → channels. */
  pre<T>(o: Algebra<T>, x: readonly T[], p: Named<string, T>): Value<T>[];
  /** Target side: own sent variables, channel sums and the row sum Σ_j W_ij → model inputs. */
  post<T>(
    o: Algebra<T>,
    x: readonly T[],
    sums: readonly T[],
    rowSum: Value<T>,
    p: Named<string, T>,
  ): Value<T>[];
}

const gain = param(1, "1", "global coupling gain G");

/** The parameter `name` (present by construction: the network fills every declared parameter). */
function at<T>(p: Named<string, T>, name: string): T {
  return p[name] as T;
}
const perVariable = { channels: (n: number) => n, outputs: (n: number) => n };

/** `u_i = G Σ_j W_ij x_j(t − d_ij)` (TVB's Linear; additive coupling), per sent variable. */
const linear: Coupling = {
  name: "linear",
  title: "linear (additive)",
  parameters: { gain },
  ...perVariable,
  pre: (_o, x) => [...x],
  post: (o, _x, sums, _rowSum, p) => sums.map((s) => o.mul(at(p, "gain"), s)),
};

/** `u_i = G Σ_j W_ij (x_j(t − d_ij) − x_i(t))` (TVB's Difference; diffusive coupling). */
const diffusive: Coupling = {
  name: "diffusive",
  title: "diffusive (difference)",
  parameters: { gain },
  ...perVariable,
  pre: (_o, x) => [...x],
  post: (o, x, sums, rowSum, p) =>
    sums.map((s, k) => o.mul(at(p, "gain"), o.sub(s, o.mul(rowSum, x[k] as (typeof x)[0])))),
};

/**
 * `u_i = G Σ_j W_ij S(x_j(t − d_ij))`, `S(x) = c_min + (c_max − c_min) / (1 + e^{−(x − midpoint)/width})`
 * (TVB's Sigmoidal; with c_min = 0 and width = δ/2 also the hyperbolic-tangent coupling
 * `½ c_max (1 + tanh((x − midpoint)/δ))`).
 */
const sigmoidal: Coupling = {
  name: "sigmoidal",
  title: "sigmoidal",
  parameters: {
    gain,
    cmin: param(0, "1", "lower bound of the sigmoid"),
    cmax: param(1, "1", "upper bound of the sigmoid"),
    midpoint: param(0, "1", "midpoint of the sigmoid"),
    width: param(1, "1", "width (inverse slope) of the sigmoid", { min: 0 }),
  },
  ...perVariable,
  pre: (o, x, p) => {
    const [cmin, cmax] = [at(p, "cmin"), at(p, "cmax")];
    const scaled = (v: (typeof x)[0]) => o.div(o.sub(v, at(p, "midpoint")), at(p, "width"));
    return x.map((v) => o.add(cmin, o.mul(o.sub(cmax, cmin), o.sigmoid(scaled(v)))));
  },
  post: (o, _x, sums, _rowSum, p) => sums.map((s) => o.mul(at(p, "gain"), s)),
};

/**
 * Jansen–Rit's sigmoid of the sent PSP difference (TVB's SigmoidalJansenRit): sends
 * `2 e0 / (1 + e^{r (v0 − (y1 − y2))})` and `u_i = G Σ_j W_ij (that)`; send exactly two variables.
 */
const jansenRit: Coupling = {
  name: "jansenRit",
  title: "Jansen–Rit sigmoid",
  parameters: {
    gain,
    e0: param(0.0025, "1/ms", "half the maximal firing rate"),
    v0: param(6, "mV", "firing threshold"),
    r: param(0.56, "1/mV", "sigmoid steepness"),
  },
  sends: 2,
  channels: () => 1,
  outputs: () => 1,
  pre: (o, x, p) => {
    const v = o.sub(x[0] as (typeof x)[0], x[1] as (typeof x)[0]);
    return [o.mul(o.mul(2, at(p, "e0")), o.sigmoid(o.mul(at(p, "r"), o.sub(v, at(p, "v0")))))];
  },
  post: (o, _x, sums, _rowSum, p) => [o.mul(at(p, "gain"), sums[0] as (typeof sums)[0])],
};

/**
 * The Kuramoto coupling `u_i = G Σ_j W_ij sin(θ_j(t − d_ij) − θ_i)`, computed as
 * `G (cos θ_i Σ_j W_ij sin θ_j − sin θ_i Σ_j W_ij cos θ_j)` so the sums stay linear; sends one phase.
 */
const kuramoto: Coupling = {
  name: "kuramoto",
  title: "Kuramoto (sine of the phase difference)",
  parameters: { gain },
  sends: 1,
  channels: () => 2,
  outputs: () => 1,
  pre: (o, x) => {
    const theta = x[0] as (typeof x)[0];
    return [o.sin(theta), o.cos(theta)];
  },
  post: (o, x, sums, _rowSum, p) => {
    const theta = x[0] as (typeof x)[0];
    const [sinSum, cosSum] = sums as [(typeof sums)[0], (typeof sums)[0]];
    const g = at(p, "gain");
    return [o.mul(g, o.sub(o.mul(o.cos(theta), sinSum), o.mul(o.sin(theta), cosSum)))];
  },
};

/** Every coupling, by name. */
export const COUPLINGS: Readonly<Record<CouplingName, Coupling>> = {
  linear,
  diffusive,
  sigmoidal,
  jansenRit,
  kuramoto,
};

/** The names of the couplings. */
export const COUPLING_NAMES = Object.keys(COUPLINGS) as CouplingName[];

/** The coupling called `name`, or a clear error. */
export function couplingNamed(where: string, name: string): Coupling {
  const c = (COUPLINGS as Record<string, Coupling>)[name];
  if (!c) {
    throw new ValueError(
      `${where}: coupling must be one of ${COUPLING_NAMES.map((n) => `"${n}"`).join(", ")}, got "${name}"`,
    );
  }
  return c;
}
