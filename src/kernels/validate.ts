/**
 * Argument checks shared by every backend, so all of them fail the same way with the same text:
 * `where: what must hold, got what`.
 */
import { ShapeError, ValueError } from "../base/errors.ts";
import {
  ACTIVATIONS,
  GATES,
  UPDATE_ORDERS,
  type AdamArgs,
  type ArrayActivation,
  type ArithmeticOp,
  ARITHMETIC_OPS,
  type GatedBackwardArgs,
  type GatedForwardArgs,
  type Gemm,
  type HornBackwardArgs,
  type HornForwardArgs,
  type RecurrenceBackwardArgs,
  type RecurrenceForwardArgs,
  derivativeFromStates,
} from "./backend.ts";

function checkDim(where: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    const what = min === 0 ? "a non-negative integer" : `an integer ≥ ${min}`;
    throw new ValueError(`${where}: ${name} must be ${what}, got ${value}`);
  }
}

function checkLength(where: string, name: string, arr: ArrayLike<number>, sizeText: string, size: number) {
  if (!(arr instanceof Float32Array)) {
    throw new ShapeError(`${where}: ${name} must be a Float32Array, got ${describe(arr)}`);
  }
  if (arr.length !== size) {
    throw new ShapeError(`${where}: ${name} must have ${sizeText} = ${size} elements, got ${arr.length}`);
  }
}

function checkFinite(where: string, name: string, value: number): void {
  if (!Number.isFinite(value))
    throw new ValueError(`${where}: ${name} must be a finite number, got ${value}`);
}

function describe(x: unknown): string {
  return x === null || typeof x !== "object" ? String(x) : x.constructor.name;
}

/** Checks the arguments of {@link KernelBackend.gemm}. */
export const validateGemm: Gemm = (transA, transB, M, N, K, alpha, A, B, beta, C) => {
  const w = "gemm";
  checkDim(w, "M", M, 0);
  checkDim(w, "N", N, 0);
  checkDim(w, "K", K, 0);
  checkFinite(w, "alpha", alpha);
  checkFinite(w, "beta", beta);
  checkLength(w, transA ? "A (transposed)" : "A", A, transA ? "K*M" : "M*K", M * K);
  checkLength(w, transB ? "B (transposed)" : "B", B, transB ? "N*K" : "K*N", K * N);
  checkLength(w, "C", C, "M*N", M * N);
};

/** Checks the arguments of {@link KernelBackend.recurrenceForward}. */
export function validateRecurrenceForward(a: RecurrenceForwardArgs, where = "recurrenceForward"): void {
  const { T, B, H } = a;
  checkDim(where, "T", T, 1);
  checkDim(where, "B", B, 1);
  checkDim(where, "H", H, 1);
  if (a.drive !== null) checkLength(where, "drive", a.drive, "T*B*H", T * B * H);
  if (a.preInto) checkLength(where, "preInto", a.preInto, "T*B*H", T * B * H);
  if (a.hsInto) checkLength(where, "hsInto", a.hsInto, "T*B*H", T * B * H);
  checkLength(where, "wRec", a.wRec, "H*H", H * H);
  checkLength(where, "h0", a.h0, "B*H", B * H);
  if (a.input) {
    const { I } = a.input;
    checkDim(where, "input.I", I, 1);
    checkLength(where, "input.x", a.input.x, "T*B*I", T * B * I);
    checkLength(where, "input.wIn", a.input.wIn, "I*H", I * H);
    checkLength(where, "input.b", a.input.b, "H", H);
  }
  if (a.readout) {
    const { O } = a.readout;
    checkDim(where, "readout.O", O, 1);
    checkLength(where, "readout.wOut", a.readout.wOut, "H*O", H * O);
    checkLength(where, "readout.bOut", a.readout.bOut, "O", O);
  }
  if (!(a.alpha > 0 && a.alpha <= 1)) {
    throw new ValueError(`${where}: alpha must be in (0, 1], got ${a.alpha}`);
  }
  if (!ACTIVATIONS.includes(a.activation)) {
    throw new ValueError(
      `${where}: activation must be one of ${ACTIVATIONS.join(", ")}, got "${a.activation}"`,
    );
  }
  if (!UPDATE_ORDERS.includes(a.order)) {
    throw new ValueError(`${where}: order must be one of ${UPDATE_ORDERS.join(", ")}, got "${a.order}"`);
  }
}

/** Checks the arguments of {@link KernelBackend.recurrenceBackward}. */
export function validateRecurrenceBackward(a: RecurrenceBackwardArgs): void {
  const where = "recurrenceBackward";
  validateRecurrenceForward(a, where);
  const n = a.T * a.B * a.H;
  checkLength(where, "hs", a.hs, "T*B*H", n);
  if (!(a.pre.length === 0 && derivativeFromStates(a))) checkLength(where, "pre", a.pre, "T*B*H", n);
  if (a.dHs !== null) checkLength(where, "dHs", a.dHs, "T*B*H", n);
  const dYs = a.dYs ?? null;
  if (dYs !== null) {
    if (!a.readout) throw new ValueError(`${where}: dYs is given but there is no readout`);
    checkLength(where, "dYs", dYs, "T*B*O", a.T * a.B * a.readout.O);
  }
  if (a.dHs === null && dYs === null) {
    throw new ValueError(`${where}: need a cotangent, dHs or dYs, got neither`);
  }
}

/** Checks T, B, I and H of a sequence layer. */
function checkSizes(where: string, a: { T: number; B: number; I: number; H: number }): void {
  for (const k of ["T", "B", "I", "H"] as const) checkDim(where, k, a[k], 1);
}

/** Checks the arguments of {@link KernelBackend.gatedForward}. */
export function validateGatedForward(a: GatedForwardArgs, where = "gatedForward"): void {
  if (a.cell !== "gru" && a.cell !== "lstm")
    throw new ValueError(`${where}: cell must be "gru" or "lstm", got "${String(a.cell)}"`);
  checkSizes(where, a);
  const { T, B, I, H } = a;
  const G = GATES[a.cell];
  checkLength(where, "x", a.x, "T*B*I", T * B * I);
  checkLength(where, "wIh", a.wIh, `I*${G}H`, I * G * H);
  checkLength(where, "wHh", a.wHh, `H*${G}H`, H * G * H);
  checkLength(where, "bIh", a.bIh, `${G}H`, G * H);
  checkLength(where, "bHh", a.bHh, `${G}H`, G * H);
  checkLength(where, "h0", a.h0, "B*H", B * H);
  if (a.gatesInto) checkLength(where, "gatesInto", a.gatesInto, "T*B*4H", T * B * 4 * H);
  if (a.hsInto) checkLength(where, "hsInto", a.hsInto, "T*B*H", T * B * H);
  if (a.csInto) checkLength(where, "csInto", a.csInto, "T*B*H", T * B * H);
  if (a.readout) {
    const { O } = a.readout;
    checkDim(where, "readout O", O, 1);
    checkLength(where, "readout wOut", a.readout.wOut, "H*O", H * O);
    if (a.readout.bOut) checkLength(where, "readout bOut", a.readout.bOut, "O", O);
    if (a.readout.ysInto) checkLength(where, "readout ysInto", a.readout.ysInto, "T*B*O", T * B * O);
  }
  if (a.cell === "lstm") {
    if (a.c0 === null) throw new ValueError(`${where}: the LSTM needs c0 [B, H], got null`);
    checkLength(where, "c0", a.c0, "B*H", B * H);
  } else if (a.c0 !== null) throw new ValueError(`${where}: the GRU has no cell state, got c0`);
}

/** Checks the arguments of {@link KernelBackend.gatedBackward}. */
export function validateGatedBackward(a: GatedBackwardArgs): void {
  const where = "gatedBackward";
  validateGatedForward(a, where);
  const n = a.T * a.B * a.H;
  checkLength(where, "hs", a.hs, "T*B*H", n);
  checkLength(where, "gates", a.gates, "T*B*4H", 4 * n);
  if (a.cell === "lstm") checkLength(where, "cs", a.cs ?? new Float32Array(0), "T*B*H", n);
  if (a.dHs !== null) checkLength(where, "dHs", a.dHs, "T*B*H", n);
  if (a.dCs !== null) {
    if (a.cell !== "lstm") throw new ValueError(`${where}: dCs is given but the GRU has no cell state`);
    checkLength(where, "dCs", a.dCs, "T*B*H", n);
  }
  if (a.dYs) {
    if (!a.readout || a.dHs !== null) throw new ValueError(`${where}: dYs needs the readout and no dHs`);
    checkLength(where, "dYs", a.dYs, "T*B*O", a.T * a.B * a.readout.O);
  }
  if (a.dHs === null && a.dCs === null && !a.dYs)
    throw new ValueError(`${where}: need a cotangent, dHs, dCs or dYs, got none`);
}

/** Checks the arguments of {@link KernelBackend.hornForward}. */
export function validateHornForward(a: HornForwardArgs, where = "hornForward"): void {
  checkSizes(where, a);
  const { T, B, I, H } = a;
  checkLength(where, "u", a.u, "T*B*I", T * B * I);
  checkLength(where, "wIh", a.wIh, "I*H", I * H);
  checkLength(where, "bIh", a.bIh, "H", H);
  checkLength(where, "wHh", a.wHh, "H*H", H * H);
  checkLength(where, "bHh", a.bHh, "H", H);
  for (const k of ["alpha", "omega", "gamma", "v"] as const) checkLength(where, k, a[k], "H", H);
  checkLength(where, "x0", a.x0, "B*H", B * H);
  checkLength(where, "y0", a.y0, "B*H", B * H);
  for (const k of ["driveInto", "xsInto", "ysInto"] as const) {
    const into = a[k];
    if (into) checkLength(where, k, into, "T*B*H", T * B * H);
  }
  for (const k of ["xLastInto", "yLastInto"] as const) {
    const into = a[k];
    if (into) checkLength(where, k, into, "B*H", B * H);
  }
  checkFinite(where, "gain", a.gain);
  if (!(a.dt > 0 && Number.isFinite(a.dt)))
    throw new ValueError(`${where}: dt must be a finite number > 0, got ${a.dt}`);
}

/** Checks the arguments of {@link KernelBackend.hornBackward}. */
export function validateHornBackward(a: HornBackwardArgs): void {
  const where = "hornBackward";
  validateHornForward(a, where);
  const n = a.T * a.B * a.H;
  for (const k of ["xs", "ys", "drive"] as const) checkLength(where, k, a[k], "T*B*H", n);
  if (a.dXs !== null) checkLength(where, "dXs", a.dXs, "T*B*H", n);
  if (a.dYs !== null) checkLength(where, "dYs", a.dYs, "T*B*H", n);
  if (a.dXLast) checkLength(where, "dXLast", a.dXLast, "B*H", a.B * a.H);
  if (a.dYLast) checkLength(where, "dYLast", a.dYLast, "B*H", a.B * a.H);
  if (a.dXs === null && a.dYs === null && !a.dXLast && !a.dYLast)
    throw new ValueError(`${where}: need a cotangent, dXs, dYs, dXLast or dYLast, got none`);
}

/** Checks the arguments of {@link KernelBackend.activateArray}. */
export function validateActivateArray(kind: ArrayActivation, x: Float32Array, out: Float32Array): void {
  const where = "activateArray";
  if (kind !== "tanh" && kind !== "sigmoid") {
    throw new ValueError(`${where}: kind must be "tanh" or "sigmoid", got ${JSON.stringify(kind)}`);
  }
  checkLength(where, "x", x, "x.length", x.length);
  checkLength(where, "out", out, "x.length", x.length);
}

/** Checks the arguments of {@link KernelBackend.binaryArray}. */
export function validateBinaryArray(
  op: ArithmeticOp,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
): void {
  const where = "binaryArray";
  if (!ARITHMETIC_OPS.includes(op)) {
    throw new ValueError(
      `${where}: op must be one of ${ARITHMETIC_OPS.join(", ")}, got ${JSON.stringify(op)}`,
    );
  }
  checkLength(where, "a", a, "a.length", a.length);
  checkLength(where, "out", out, "a.length", a.length);
  checkLength(where, "b", b, "b.length", b.length);
  if (b.length === 0 ? a.length !== 0 : a.length % b.length !== 0) {
    throw new ShapeError(`${where}: b's length must divide a's, got ${b.length} and ${a.length}`);
  }
}

/** Checks the arguments of {@link KernelBackend.adamUpdate}. */
export function validateAdam(a: AdamArgs): void {
  const where = "adamUpdate";
  const n = a.param.length;
  checkLength(where, "param", a.param, "param.length", n);
  checkLength(where, "grad", a.grad, "param.length", n);
  checkLength(where, "m", a.m, "param.length", n);
  checkLength(where, "v", a.v, "param.length", n);
  checkFinite(where, "lr", a.lr);
  checkFinite(where, "weightDecay", a.weightDecay);
  for (const [name, value] of [
    ["beta1", a.beta1],
    ["beta2", a.beta2],
  ] as const) {
    if (!(value >= 0 && value < 1)) throw new ValueError(`${where}: ${name} must be in [0, 1), got ${value}`);
  }
  if (!(a.eps > 0)) throw new ValueError(`${where}: eps must be > 0, got ${a.eps}`);
  checkDim(where, "step", a.step, 1);
}
