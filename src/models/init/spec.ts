/**
 * Initialisers named in a model's JSON config: `"kaimingNormal"` or `{ name: "orthogonal", scale: 0.9 }`.
 * One number, `scale`, tunes each: the variance multiplier for Kaiming, the gain for Xavier and
 * orthogonal, the diagonal value for identity, the target radius for spectral, the std for normal.
 */
import type { Rng } from "../../base/random.ts";
import type { Shape } from "../../base/shape.ts";
import { type DType, type Tensor, eye, mul, randomNormal, zeros } from "../../core/index.ts";
import { oneOf } from "../validate.ts";
import { orthogonal } from "./orthogonal.ts";
import { gaussianSpectral } from "./spectral.ts";
import {
  kaimingNormal,
  kaimingUniform,
  pytorchUniform,
  varianceScaling,
  xavierNormal,
  xavierUniform,
} from "./variance.ts";

/** Names of the initialisers a config can ask for. */
export const INIT_NAMES = [
  "kaimingNormal",
  "kaimingNormalTruncated",
  "kaimingUniform",
  "xavierNormal",
  "xavierUniform",
  "orthogonal",
  "identity",
  "spectral",
  "normal",
  "pytorch",
  "zeros",
] as const;

export type InitName = (typeof INIT_NAMES)[number];

/** An initialiser by name, with an optional scale (see the module docs for its meaning). */
export type InitSpec = InitName | { readonly name: InitName; readonly scale?: number };

/** Where the spec came from (for errors) and what some initialisers need. */
export interface InitContext {
  /** The model, e.g. `"leakyRNN"`. */
  readonly where: string;
  /** The config option, e.g. `"recurrentInit"`. */
  readonly option: string;
  /** Dale's signs per presynaptic unit (spectral). */
  readonly signs?: readonly number[];
  /** The layer's fan-in (pytorch). */
  readonly fanIn?: number;
  readonly dtype?: DType;
}

/**
 * Draws a weight tensor of `shape` (layout `[in, out]`) from the named initialiser.
 * @example initWeight(rng, [64, 64], { name: "orthogonal", scale: 0.9 }, { where: "leakyRNN", option: "recurrentInit" })
 */
export function initWeight(rng: Rng, shape: Shape, spec: InitSpec, ctx: InitContext): Tensor {
  const name = typeof spec === "string" ? spec : spec.name;
  const scale = typeof spec === "string" ? undefined : spec.scale;
  const dtype = ctx.dtype ?? "float32";
  oneOf(ctx.where, ctx.option, name, INIT_NAMES);
  const rows = shape[0] as number;
  const cols = shape[shape.length - 1] as number;
  switch (name) {
    case "kaimingNormal":
      return kaimingNormal(rng, shape, scale ?? 2, dtype);
    case "kaimingNormalTruncated":
      return varianceScaling(rng, shape, { scale: scale ?? 2, distribution: "truncatedNormal", dtype });
    case "kaimingUniform":
      return kaimingUniform(rng, shape, scale ?? 2, dtype);
    case "xavierNormal":
      return xavierNormal(rng, shape, scale ?? 1, dtype);
    case "xavierUniform":
      return xavierUniform(rng, shape, scale ?? 1, dtype);
    case "orthogonal":
      return orthogonal(rng, rows, cols, scale ?? 1, dtype);
    case "identity":
      return mul(eye(rows, dtype), scale ?? 1);
    case "spectral":
      return gaussianSpectral(rng, rows, {
        radius: scale ?? 1,
        dtype,
        ...(ctx.signs ? { signs: ctx.signs } : {}),
      });
    case "normal":
      return randomNormal(rng, shape, scale ?? 1, 0, dtype);
    case "pytorch":
      return pytorchUniform(rng, shape, ctx.fanIn ?? rows, dtype);
    case "zeros":
      return zeros(shape, dtype);
  }
}
