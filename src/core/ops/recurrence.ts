/**
 * The fused recurrence primitive: a whole leaky/vanilla RNN sequence (forward over T steps and its
 * BPTT) in one kernel call, with the same values and gradients as the generic {@link scan} path.
 *
 * rate order:    h_t = (1 - α) h_{t-1} + α f(h_{t-1} W + d_t)
 * current order: h_t = f((1 - α) h_{t-1} + α (h_{t-1} W + d_t))
 */
import { apply } from "../autodiff.ts";
import { ShapeError, ValueError, fmtShape } from "../errors.ts";
import type { Rule } from "../rule.ts";
import { scan } from "../scan.ts";
import { Tensor } from "../tensor.ts";
import { type Activation, type UpdateOrder, ACTIVATIONS, UPDATE_ORDERS } from "../../kernels/backend.ts";
import { getBackend } from "../../kernels/index.ts";
import { add, mul, relu, sigmoid, softplus, tanh } from "./elementwise.ts";
import { broadcastTo } from "./layout.ts";
import { matmul } from "./matmul.ts";

export interface RecurrenceOptions {
  /** Leak `α = dt / tau` in (0, 1]; 1 (default) is the vanilla RNN. */
  readonly alpha?: number;
  /** The nonlinearity f (default relu). */
  readonly activation?: Activation;
  /** Where the leak sits (default "rate"). */
  readonly order?: UpdateOrder;
  /** Use the fused kernel (default true for float32; float64 always takes the generic path). */
  readonly fused?: boolean;
}

interface RecurrenceAttrs {
  readonly alpha: number;
  readonly activation: Activation;
  readonly order: UpdateOrder;
}

const f32 = (t: Tensor) => t.data as Float32Array;

export const recurrenceRules = {
  recurrence: {
    name: "recurrence",
    forward: ([drive, wRec, h0], a: RecurrenceAttrs) => {
      const [T, B, H] = (drive as Tensor).shape as [number, number, number];
      const { hs, pre } = getBackend().recurrenceForward({
        T,
        B,
        H,
        drive: f32(drive as Tensor),
        wRec: f32(wRec as Tensor),
        h0: f32(h0 as Tensor),
        ...a,
      });
      return [new Tensor([T, B, H], hs), new Tensor([T, B, H], pre)];
    },
    vjp: (cts, [drive, wRec, h0], [hs, pre], a: RecurrenceAttrs) => {
      const dHs = cts[0];
      if (!dHs) return [null, null, null];
      const [T, B, H] = (drive as Tensor).shape as [number, number, number];
      const r = getBackend().recurrenceBackward({
        T,
        B,
        H,
        drive: f32(drive as Tensor),
        wRec: f32(wRec as Tensor),
        h0: f32(h0 as Tensor),
        hs: f32(hs as Tensor),
        pre: f32(pre as Tensor),
        dHs: f32(dHs),
        ...a,
      });
      return [new Tensor([T, B, H], r.dDrive), new Tensor([H, H], r.dWRec), new Tensor([B, H], r.dh0)];
    },
  } satisfies Rule<RecurrenceAttrs>,
};

const activations: Record<Activation, (x: Tensor) => Tensor> = {
  relu,
  tanh,
  sigmoid,
  softplus,
  identity: (x) => x,
};

/** The same recurrence as composed operations under {@link scan} (the reference path). */
function recurrenceGeneric(drive: Tensor, wRec: Tensor, h0: Tensor, a: RecurrenceAttrs): Tensor {
  const f = activations[a.activation];
  const leak = 1 - a.alpha;
  const [, hs] = scan(
    (h: Tensor, d: Tensor) => {
      const current = add(matmul(h, wRec), d);
      const next =
        a.order === "rate"
          ? add(mul(h, leak), mul(f(current), a.alpha))
          : f(add(mul(h, leak), mul(current, a.alpha)));
      return [next, next] as const;
    },
    h0,
    drive,
  );
  return hs;
}

/**
 * Runs a leaky (continuous-time) or vanilla RNN over a whole sequence.
 * @param drive `[T, B, H]` input drive `d_t = x_t W_in + b` for every step
 * @param wRec `[H, H]` recurrent weights, layout `[in, out]`
 * @param h0 `[B, H]` or `[H]` initial state (a `[H]` state is shared by the batch and trainable)
 * @returns `[T, B, H]`: the states h_0 … h_{T-1}
 */
export function recurrence(drive: Tensor, wRec: Tensor, h0: Tensor, options: RecurrenceOptions = {}): Tensor {
  const attrs: RecurrenceAttrs = {
    alpha: options.alpha ?? 1,
    activation: options.activation ?? "relu",
    order: options.order ?? "rate",
  };
  if (!(attrs.alpha > 0 && attrs.alpha <= 1)) {
    throw new ValueError(`recurrence: alpha must be in (0, 1], got ${attrs.alpha}`);
  }
  if (!ACTIVATIONS.includes(attrs.activation)) {
    throw new ValueError(
      `recurrence: activation must be one of ${ACTIVATIONS.join(", ")}, got ${String(attrs.activation)}`,
    );
  }
  if (!UPDATE_ORDERS.includes(attrs.order)) {
    throw new ValueError(
      `recurrence: order must be one of ${UPDATE_ORDERS.join(", ")}, got ${String(attrs.order)}`,
    );
  }
  const [T, B, H] = drive.shape;
  if (drive.rank !== 3 || wRec.rank !== 2 || wRec.shape[0] !== H || wRec.shape[1] !== H) {
    throw new ShapeError(
      `recurrence: need drive [T, B, H] and wRec [H, H], got drive ${fmtShape(drive.shape)} and wRec ${fmtShape(wRec.shape)}`,
    );
  }
  if (!(h0.rank === 1 && h0.shape[0] === H) && !(h0.rank === 2 && h0.shape[0] === B && h0.shape[1] === H)) {
    throw new ShapeError(
      `recurrence: h0 must be [B, H] = [${B}, ${H}] or [H] = [${H}], got ${fmtShape(h0.shape)}`,
    );
  }
  const hInit = broadcastTo(h0, [B as number, H as number]);
  const float64 = [drive, wRec, h0].some((t) => t.dtype === "float64");
  if (options.fused === false || float64 || (T as number) === 0)
    return recurrenceGeneric(drive, wRec, hInit, attrs);
  return apply(recurrenceRules.recurrence, [drive, wRec, hInit], attrs)[0] as Tensor;
}
