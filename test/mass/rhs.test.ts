/**
 * Every model's right-hand side at one state, against the value worked out by hand from its
 * paper's equations (the arithmetic is in each row). Each row is checked twice: evaluated on
 * float64 tensors (the step-by-step path) and as the traced program the fused kernel runs.
 */
import { describe, expect, it } from "vitest";
import {
  type AnyMassModel,
  MASS_MODELS,
  type Tensor,
  balloonWindkessel,
  fitzHughNagumo,
  hopf,
  jansenRit,
  kuramoto,
  larterBreakspear,
  montbrioPazoRoxin,
  tensor,
  tensorAlgebra,
  thresholdLinear,
  trace,
  vanDerPol,
  wilsonCowan,
  wilsonCowanAdaptation,
  wongWang,
  wongWangDeco,
  wongWangStimulus,
} from "../../src/index.ts";
import { ProgramRunner } from "../../src/kernels/js/massProgram.ts";

interface Row {
  readonly model: AnyMassModel;
  readonly label: string;
  readonly state: Record<string, number>;
  readonly params?: Record<string, number>;
  readonly inputs?: Record<string, number>;
  /** ds/dt per variable, worked by hand. */
  readonly expected: Record<string, number>;
  /** Readouts worked by hand. */
  readonly readouts?: Record<string, number>;
}

const [I1, I2] = wongWangStimulus(25.6);

const rows: Row[] = [
  {
    model: hopf,
    label: "inside the limit cycle",
    // r² = 0.5² + 0.2² = 0.29, a − β r² = 0.25 − 0.29 = −0.04
    // dx = −0.04·0.5 − 0.2·(−0.2) = 0.02;  dy = −0.04·(−0.2) + 0.2·0.5 = 0.108
    state: { x: 0.5, y: -0.2 },
    expected: { x: 0.02, y: 0.108 },
  },
  {
    model: vanDerPol,
    label: "on the outer branch",
    // dx = 1·(2 − 2³/3 − 0.5) = −7/6;  dy = 2/1 = 2
    state: { x: 2, y: 0.5 },
    expected: { x: -7 / 6, y: 2 },
  },
  {
    model: fitzHughNagumo,
    label: "with I = 0.5",
    // dv = 1 − 1/3 − 0.5 + 0.5 = 2/3;  dw = (1 + 0.7 − 0.8·0.5)/12.5 = 1.3/12.5 = 0.104
    state: { v: 1, w: 0.5 },
    params: { I: 0.5 },
    expected: { v: 2 / 3, w: 0.104 },
  },
  {
    model: wilsonCowan,
    label: "at E = 0.2, I = 0.1 (hysteresis set)",
    // drive_E = 12·0.2 − 4·0.1 = 2.0; S_E = σ(1.2(2 − 2.8)) − σ(−1.2·2.8) = σ(−0.96) − σ(−3.36)
    //         = 0.2768781949 − 0.0335692233 = 0.2433089716
    // dE = (−0.2 + (1 − 0.2)·0.2433089716)/10 = −0.000535282272
    // drive_I = 13·0.2 − 11·0.1 = 1.5; S_I = σ(−2.5) − σ(−4) = 0.0758581800 − 0.0179862100 = 0.0578719700
    // dI = (−0.1 + 0.9·0.0578719700)/10 = −0.004791522695
    state: { E: 0.2, I: 0.1 },
    expected: { E: -0.0005352822724697754, I: -0.004791522694676322 },
  },
  {
    model: wilsonCowanAdaptation,
    label: "with adaptation currents A_E = 0.3, A_I = 0.1",
    // drive_E = 2.0 − 0.3 = 1.7: S_E = σ(1.2(1.7 − 2.8)) − σ(−3.36) = σ(−1.32) − 0.0335692 = 0.2108
    // dE = (−0.2 + 0.8·S_E)/10 = −0.00582007438;  drive_I = 1.5 − 0.1 = 1.4: S_I = σ(−2.6) − σ(−4)
    // dI = (−0.1 + 0.9·S_I)/10 = −0.00539630107
    // dA_E = (0.1·0.2 − 0.3)/100 = −0.0028;  dA_I = (0.08·0.1 − 0.1)/80 = −0.00115
    state: { E: 0.2, I: 0.1, AE: 0.3, AI: 0.1 },
    expected: { E: -0.005820074384298821, I: -0.005396301065687028, AE: -0.0028, AI: -0.00115 },
  },
  {
    model: jansenRit,
    label: "at y = (0.5, 10, 5, 0.1, −0.2, 0.05) mV, mV/ms",
    // S(v) = 0.005/(1 + e^{0.56 (6 − v)}): S(5) = 0.0018177373, S(135·0.5) = 0.005 (saturated),
    // S(0.25·135·0.5 = 16.875) = 0.0049886986
    // dy3 = 3.25·0.1·S(5) − 2·0.1·0.1 − 0.01·0.5 = 0.000590765 − 0.02 − 0.005 = −0.024409235
    // dy4 = 3.25·0.1·(0.22 + 0.8·135·0.005) − 2·0.1·(−0.2) − 0.01·10 = 0.325·0.76 + 0.04 − 0.1 = 0.187
    // dy5 = 22·0.05·0.25·135·S(16.875) − 2·0.05·0.05 − 0.0025·5 = 0.185205 − 0.005 − 0.0125 = 0.167705
    state: { y0: 0.5, y1: 10, y2: 5, y3: 0.1, y4: -0.2, y5: 0.05 },
    expected: {
      y0: 0.1,
      y1: -0.2,
      y2: 0.05,
      y3: -0.02440923537795755,
      y4: 0.18699999999999978,
      y5: 0.16770543395883758,
    },
    readouts: { eeg: 5 },
  },
  {
    model: wongWang,
    label: "25.6% coherence, S = (0.3, 0.1)",
    // I_i = 5.2e-4·30·(1 ± 0.256) = 0.0195936, 0.0116064 nA
    // x1 = 0.2609·0.3 − 0.0497·0.1 + 0.3255 + 0.0195936 = 0.4183936
    // x2 = 0.2609·0.1 − 0.0497·0.3 + 0.3255 + 0.0116064 = 0.3482864
    // r1 = (270 x1 − 108)/(1 − e^{−0.154 (270 x1 − 108)}) = 4.9662720/(1 − e^{−0.7648059}) = 9.290119 Hz
    // r2 = (−13.962672)/(1 − e^{2.1502515}) = 1.840337 Hz
    // dS1 = −0.3/100 + 0.7·0.641·r1·1e-3 = 0.001168476;  dS2 = −0.001 + 0.9·0.641·r2·1e-3 = 0.0000616906
    state: { S1: 0.3, S2: 0.1 },
    inputs: { I1, I2 },
    expected: { S1: 0.00116847624638857, S2: 6.169061947353767e-5 },
    readouts: { r1: 9.290118668126967, r2: 1.8403373539149548 },
  },
  {
    model: wongWangDeco,
    label: "S_E = 0.2, S_I = 0.05, coupling input 0.1",
    // I_E = 0.382 + 1.4·0.15·0.2 + 0.15·0.1 − 0.05 = 0.389;  I_I = 0.7·0.382 + 0.15·0.2 − 0.05 = 0.2474
    // r_E = (310·0.389 − 125)/(1 − e^{−0.16·(−4.41)}) = −4.41/(1 − 2.0250) = 4.302181 Hz
    // r_I = (615·0.2474 − 177)/(1 − e^{−0.087·(−24.849)}) = 3.232471 Hz
    // dS_E = −0.2/100 + 0.8·0.641·r_E·1e-3 = 0.000206159;  dS_I = −0.05/10 + r_I·1e-3 = −0.001767529
    state: { SE: 0.2, SI: 0.05 },
    inputs: { E: 0.1 },
    expected: { SE: 0.00020615866933056202, SI: -0.0017675286216033708 },
    readouts: { rE: 4.302181492454293, rI: 3.2324713783966295 },
  },
  {
    model: montbrioPazoRoxin,
    label: "r = 0.5, v = −1",
    // dr = (1/π + 2·0.5·(−1))/1 = 0.3183099 − 1 = −0.6816901
    // dv = ((−1)² − 5 + 15·1·0.5 − (π·0.5)²)/1 = 3.5 − 2.4674011 = 1.0325989
    state: { r: 0.5, v: -1 },
    expected: { r: -0.6816901138162093, v: 1.0325988997276605 },
  },
  {
    model: kuramoto,
    label: "ω = 0.3 plus coupling input 0.05",
    // dθ = 0.3 + 0.05
    state: { theta: 1 },
    params: { omega: 0.3 },
    inputs: { theta: 0.05 },
    expected: { theta: 0.35 },
    readouts: { sin: Math.sin(1), cos: Math.cos(1) },
  },
  {
    model: larterBreakspear,
    label: "V = 0.1, W = 0.2, Z = 0.05, ⟨Q_V⟩ = 0.3",
    // m_Ca = ½(1 + tanh(0.11/0.15)) = 0.8125502, m_Na = ½(1 + tanh(−0.2/0.15)) = 0.0649692,
    // m_K = ½(1 + tanh(0.1/0.3)) = 0.6607564, Q_V = ½(1 + tanh(0.1/0.65)) = 0.5763219,
    // Q_Z = ½(1 + tanh(0.05/0.7)) = 0.5356537; excitation = 0.9·Q_V + 0.1·0.3 = 0.5486897
    // dV = −[(1.1 + 0.1·e)·m_Ca·(0.1 − 1) + 2·0.2·0.8 + 0.5·0.6 + (6.7 m_Na + 0.4 e)(0.1 − 0.53)
    //        + 2·0.05·Q_Z] + 0.3 = 0.7525356
    // dW = 0.7 (m_K − 0.2)/1 = 0.3225295;  dZ = 0.1 (0.4·0.3 + 2·0.1·Q_V) = 0.0235264
    state: { V: 0.1, W: 0.2, Z: 0.05 },
    inputs: { QV: 0.3 },
    expected: { V: 0.7525355541674962, W: 0.32252945813607203, Z: 0.02352643759814905 },
    readouts: { QV: 0.5763218799074524 },
  },
  {
    model: thresholdLinear,
    label: "both populations above threshold",
    // I_E = 24.3·5 − 19.7·2 = 82.1 pA: dE = (−5 + 0.066·82.1)/20 = 0.02093
    // I_I = 12.2·5 − 12.5·2 = 36 pA: dI = (−2 + 0.351·36)/10 = 1.0636
    state: { E: 5, I: 2 },
    expected: { E: 0.02093, I: 1.0636 },
  },
  {
    model: thresholdLinear,
    label: "both populations below threshold",
    // I_E = 121.5 − 157.6 < 0 → dE = −5/20;  I_I = 61 − 100 < 0 → dI = −8/10
    state: { E: 5, I: 8 },
    expected: { E: -0.25, I: -0.8 },
  },
  {
    model: balloonWindkessel,
    label: "s = 0.1, f = 1.2, v = 1.1, q = 0.9, z = 0.5",
    // ds = 0.5 − 0.65·0.1 − 0.41·0.2 = 0.353;  df = 0.1
    // v^{1/α} = 1.1^{3.125} = 1.3469521: dv = (1.2 − 1.3469521)/0.98 = −0.1499511
    // E(f) = (1 − 0.66^{1/1.2})/0.34 = 0.8608043: dq = (1.2·0.8608043 − 1.3469521·0.9/1.1)/0.98 = −0.0704964
    // BOLD = 0.02 (2.38·0.1 + 2 (1 − 0.9/1.1) + 0.48·(−0.1)) = 0.0110727
    state: { s: 0.1, f: 1.2, v: 1.1, q: 0.9 },
    inputs: { z: 0.5 },
    expected: { s: 0.353, f: 0.1, v: -0.14995108890905323, q: -0.07049642363543303 },
    readouts: { bold: 0.011072727272727274 },
  },
];

function paramsOf(row: Row): Record<string, number> {
  return Object.fromEntries(
    Object.entries(row.model.parameters as Record<string, { value: number }>).map(([k, s]) => [
      k,
      row.params?.[k] ?? s.value,
    ]),
  );
}

function byTensors(row: Row) {
  const t = (x: number): Tensor => tensor(x, [], "float64");
  const map = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, t(v)]));
  const s = map(row.state);
  const p = map(paramsOf(row));
  const u = Object.fromEntries(row.model.inputs.map((name: string) => [name, row.inputs?.[name] ?? 0]));
  const d = row.model.rhs(tensorAlgebra, s, p, u) as Record<string, Tensor | number>;
  const value = (x: Tensor | number) => (typeof x === "number" ? x : x.item());
  const readouts = Object.fromEntries(
    Object.keys(row.readouts ?? {}).map((name) => [
      name,
      value(row.model.observables[name]!(tensorAlgebra, s, p, u)),
    ]),
  );
  return { derivative: Object.fromEntries(Object.entries(d).map(([k, v]) => [k, value(v)])), readouts };
}

function byProgram(row: Row) {
  const vars = Object.keys(row.model.variables);
  const pars = Object.keys(row.model.parameters);
  const ins = row.model.inputs as string[];
  const names = Object.keys(row.readouts ?? {});
  const program = trace(vars.length + pars.length + ins.length, (o, x) => {
    const pick = (keys: string[], from: number) => Object.fromEntries(keys.map((k, i) => [k, x[from + i]!]));
    const s = pick(vars, 0);
    const p = pick(pars, vars.length);
    const u = pick(ins, vars.length + pars.length);
    const d = row.model.rhs(o, s, p, u) as Record<string, (typeof x)[0] | number>;
    return [...vars.map((v) => d[v]!), ...names.map((n) => row.model.observables[n]!(o, s, p, u))];
  });
  const runner = new ProgramRunner(program, 1);
  const values = [
    ...vars.map((v) => row.state[v]!),
    ...Object.values(paramsOf(row)),
    ...ins.map((n) => row.inputs?.[n] ?? 0),
  ];
  values.forEach((v, i) => runner.inputs[i]!.fill(v));
  runner.forward();
  const out = runner.outputs.map((o) => o[0]!);
  return {
    derivative: Object.fromEntries(vars.map((v, i) => [v, out[i]!])),
    readouts: Object.fromEntries(names.map((n, i) => [n, out[vars.length + i]!])),
  };
}

const close = (got: number, want: number) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));

describe.each(rows)("$model.name: $label", (row) => {
  it("matches the hand-worked derivative on tensors and as a traced program", () => {
    for (const run of [byTensors(row), byProgram(row)]) {
      for (const [v, want] of Object.entries(row.expected)) close(run.derivative[v]!, want);
      for (const [n, want] of Object.entries(row.readouts ?? {})) close(run.readouts[n]!, want);
    }
  });
});

describe("the model table", () => {
  it("has a hand-worked row for every registered model", () => {
    const covered = new Set(rows.map((r) => r.model.name));
    expect([...Object.keys(MASS_MODELS)].filter((n) => !covered.has(n))).toEqual([]);
  });

  it("gives every parameter a unit and a description", () => {
    for (const m of Object.values(MASS_MODELS)) {
      for (const [name, spec] of Object.entries(
        m.parameters as Record<string, { unit: string; doc: string }>,
      )) {
        expect(spec.unit.length, `${m.name}.${name}`).toBeGreaterThan(0);
        expect(spec.doc.length, `${m.name}.${name}`).toBeGreaterThan(3);
      }
    }
  });
});
