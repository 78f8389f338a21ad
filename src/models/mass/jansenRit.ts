/** The Jansen–Rit cortical column. */
import type { Algebra, Value } from "./algebra.ts";
import { type MassModel, param, variable } from "./model.ts";

const PARAMETERS = {
  A: param(3.25, "mV", "maximal excitatory PSP amplitude", { min: 0 }),
  B: param(22, "mV", "maximal inhibitory PSP amplitude", { min: 0 }),
  a: param(0.1, "1/ms", "excitatory synaptic rate constant (100 /s)", { min: 0 }),
  b: param(0.05, "1/ms", "inhibitory synaptic rate constant (50 /s)", { min: 0 }),
  C: param(135, "1", "average number of synapses between populations", { min: 0 }),
  a1: param(1, "1", "pyramidal → excitatory interneurons, fraction of C"),
  a2: param(0.8, "1", "excitatory interneurons → pyramidal, fraction of C"),
  a3: param(0.25, "1", "pyramidal → inhibitory interneurons, fraction of C"),
  a4: param(0.25, "1", "inhibitory interneurons → pyramidal, fraction of C"),
  e0: param(0.0025, "1/ms", "half the maximal firing rate (2.5 /s)", { min: 0 }),
  v0: param(6, "mV", "firing threshold (sigmoid midpoint)"),
  r: param(0.56, "1/mV", "sigmoid steepness"),
  p: param(0.22, "1/ms", "mean external input rate to pyramidal cells (220 /s)"),
};

/** The Jansen–Rit potential-to-rate sigmoid `S(v) = 2 e0 / (1 + e^{r (v0 − v)})`. */
export function jansenRitSigmoid<T>(o: Algebra<T>, v: Value<T>, e0: Value<T>, v0: Value<T>, r: Value<T>): T {
  return o.mul(o.mul(2, e0), o.sigmoid(o.mul(r, o.sub(v, v0))));
}

/**
 * Jansen–Rit (Jansen & Rit, Biol. Cybern. 1995): pyramidal cells with excitatory and inhibitory
 * interneurons, each a second-order synaptic kernel (y0..y2 potentials in mV, y3..y5 their rates
 * of change in mV/ms):
 * ```
 * dy0/dt = y3,   dy3/dt = A a S(y1 − y2) − 2a y3 − a² y0
 * dy1/dt = y4,   dy4/dt = A a (p + u + a2 C S(a1 C y0)) − 2a y4 − a² y1
 * dy2/dt = y5,   dy5/dt = B b a4 C S(a3 C y0) − 2b y5 − b² y2
 * S(v) = 2 e0 / (1 + e^{r (v0 − v)})
 * ```
 * The EEG proxy is y1 − y2 (observable `"eeg"`). Published defaults, in ms: A = 3.25 mV, B = 22 mV,
 * a = 100 /s, b = 50 /s, C = 135, C1..C4 = (1, 0.8, 0.25, 0.25) C, e0 = 2.5 /s, v0 = 6 mV,
 * r = 0.56 /mV; the input p of 120–320 pulses/s (here its mean, 220 /s, plus optional noise) gives
 * the ~10 Hz alpha rhythm. Long-range coupling (Jansen–Rit's sigmoid of y1 − y2) enters p.
 */
export const jansenRit = {
  name: "jansenRit",
  title: "Jansen–Rit (1995)",
  timeUnit: "ms",
  variables: {
    y0: variable(0, "mV", "pyramidal PSP (output of the pyramidal population)"),
    y1: variable(0, "mV", "excitatory PSP onto pyramidal cells"),
    y2: variable(0, "mV", "inhibitory PSP onto pyramidal cells"),
    y3: variable(0, "mV/ms", "dy0/dt"),
    y4: variable(0, "mV/ms", "dy1/dt"),
    y5: variable(0, "mV/ms", "dy2/dt"),
  },
  parameters: PARAMETERS,
  inputs: ["p"],
  coupling: { variables: ["y1", "y2"], inputs: ["p"] },
  observables: {
    eeg: (o, s) => o.sub(s.y1, s.y2),
  },
  rhs(o, s, p, u) {
    const S = (v: Value<(typeof s)["y0"]>) => jansenRitSigmoid(o, v, p.e0, p.v0, p.r);
    const aa = o.mul(p.a, p.a);
    const bb = o.mul(p.b, p.b);
    const pyramidal = S(o.sub(s.y1, s.y2));
    const excit = o.mul(o.mul(p.a2, p.C), S(o.mul(o.mul(p.a1, p.C), s.y0)));
    const inhib = o.mul(o.mul(p.a4, p.C), S(o.mul(o.mul(p.a3, p.C), s.y0)));
    return {
      y0: s.y3,
      y1: s.y4,
      y2: s.y5,
      y3: o.sub(o.sub(o.mul(o.mul(p.A, p.a), pyramidal), o.mul(o.mul(2, p.a), s.y3)), o.mul(aa, s.y0)),
      y4: o.sub(
        o.sub(o.mul(o.mul(p.A, p.a), o.add(o.add(p.p, u.p), excit)), o.mul(o.mul(2, p.a), s.y4)),
        o.mul(aa, s.y1),
      ),
      y5: o.sub(o.sub(o.mul(o.mul(p.B, p.b), inhib), o.mul(o.mul(2, p.b), s.y5)), o.mul(bb, s.y2)),
    };
  },
} satisfies MassModel<"y0" | "y1" | "y2" | "y3" | "y4" | "y5", keyof typeof PARAMETERS, "p">;
