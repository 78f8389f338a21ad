/** Every neural-mass model of the library, by name. */
import { ValueError } from "../../base/errors.ts";
import { balloonWindkessel } from "./balloonWindkessel.ts";
import { fitzHughNagumo } from "./fitzHughNagumo.ts";
import { hopf } from "./hopf.ts";
import { jansenRit } from "./jansenRit.ts";
import { kuramoto } from "./kuramoto.ts";
import { larterBreakspear } from "./larterBreakspear.ts";
import type { AnyMassModel } from "./model.ts";
import { montbrioPazoRoxin } from "./montbrioPazoRoxin.ts";
import { thresholdLinear } from "./thresholdLinear.ts";
import { vanDerPol } from "./vanDerPol.ts";
import { wilsonCowan } from "./wilsonCowan.ts";
import { wilsonCowanAdaptation } from "./wilsonCowanAdaptation.ts";
import { wongWang } from "./wongWang.ts";
import { wongWangDeco } from "./wongWangDeco.ts";

/** The models, keyed by their `name`. */
export const MASS_MODELS: Readonly<Record<string, AnyMassModel>> = Object.fromEntries(
  [
    wilsonCowan,
    wilsonCowanAdaptation,
    jansenRit,
    hopf,
    fitzHughNagumo,
    vanDerPol,
    wongWang,
    wongWangDeco,
    montbrioPazoRoxin,
    kuramoto,
    larterBreakspear,
    thresholdLinear,
    balloonWindkessel,
  ].map((m) => [m.name, m as AnyMassModel]),
);

/** The model called `name`, or a clear error. */
export function massModelNamed(where: string, name: string): AnyMassModel {
  const m = MASS_MODELS[name];
  if (!m) {
    throw new ValueError(
      `${where}: model must be one of ${Object.keys(MASS_MODELS).join(", ")}, got "${name}"`,
    );
  }
  return m;
}
