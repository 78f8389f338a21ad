/**
 * Reward rules (RL mode). Most NeuroGym tasks share one `_step`: a non-zero action during fixation
 * costs `abort`; the first non-zero action in the response period ends the trial and scores
 * `correct` (performance 1) if it equals the ground truth, else `fail`.
 */
import type { BaseParams, Conditions, RlRule, RlStepContext, RlStepResult } from "./spec.ts";

/** A reward by outcome name (0 when the task has no such outcome). */
export function reward(params: BaseParams, key: string): number {
  return params.rewards[key] ?? 0;
}

/** Whether the task aborts trials on fixation breaks (`abort` option; false when the task lacks it). */
export function abortsTrial(params: BaseParams): boolean {
  return (params as BaseParams & { abort?: boolean }).abort === true;
}

/** Where fixation breaks cost `abort`: in the listed periods, or anywhere outside the response periods. */
export type AbortRegion = readonly string[] | "outsideResponse";

/** The shared two-alternative rule: `abortIn` periods penalise responses, `response` periods score them. */
export function responseRule<P extends BaseParams, C extends Conditions>(opts: {
  readonly response: readonly string[];
  readonly abortIn: AbortRegion;
}): RlRule<P, C> {
  return {
    step(ctx: RlStepContext<P, C>): RlStepResult {
      const inResponse = opts.response.some((p) => ctx.inPeriod(p));
      const inAbort =
        opts.abortIn === "outsideResponse" ? !inResponse : opts.abortIn.some((p) => ctx.inPeriod(p));
      if (inAbort) {
        if (ctx.action !== 0)
          return { reward: reward(ctx.params, "abort"), newTrial: abortsTrial(ctx.params) };
        return { reward: 0, newTrial: false };
      }
      if (inResponse && ctx.action !== 0) {
        if (ctx.action === ctx.gtNow) {
          ctx.performance = 1;
          return { reward: reward(ctx.params, "correct"), newTrial: true };
        }
        return { reward: reward(ctx.params, "fail"), newTrial: true };
      }
      return { reward: 0, newTrial: false };
    },
  };
}

/**
 * Interval-production reward (ReadySetGo family): responding `eps` ms away from the target interval
 * earns `max((1 − eps/τ)^1.5, 0.1)·correct` with `τ = prodMargin·interval + 25`, else `fail`.
 */
export function productionReward(
  ctx: RlStepContext,
  producedMs: number,
  intervalMs: number,
  prodMargin: number,
): number {
  const eps = Math.abs(producedMs - intervalMs);
  const threshold = prodMargin * intervalMs + 25;
  if (eps > threshold) return reward(ctx.params, "fail");
  ctx.performance = 1;
  return Math.max((1 - eps / threshold) ** 1.5, 0.1) * reward(ctx.params, "correct");
}

/**
 * Rule of the production tasks (ReadySetGo, MotorTiming): fixation breaks cost `abort`; the first go
 * in `production` ends the trial, scored by {@link productionReward} with the time measured from the
 * end of the `from` period.
 */
export function productionRule<P extends BaseParams & { readonly prodMargin: number }, C extends Conditions>(
  from: string,
  interval: (c: C) => number,
): RlRule<P, C> {
  return {
    step(ctx) {
      if (ctx.inPeriod("fixation") && ctx.action !== 0) {
        return { reward: reward(ctx.params, "abort"), newTrial: abortsTrial(ctx.params) };
      }
      if (ctx.inPeriod("production") && ctx.action === 1) {
        const { periods, conditions } = ctx.trial.info;
        const produced = ctx.tMs - (periods[from]?.endMs ?? 0);
        return {
          reward: productionReward(ctx, produced, interval(conditions), ctx.params.prodMargin),
          newTrial: true,
        };
      }
      return { reward: 0, newTrial: false };
    },
  };
}
