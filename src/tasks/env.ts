/**
 * RL mode: a task as a continuing environment with NeuroGym's `step` semantics, so a policy is
 * rewarded and scored exactly as NeuroGym scores it.
 */
import type { Rng } from "../base/random.ts";
import { ValueError } from "../base/errors.ts";
import type { Conditions, RlStepContext, Trial } from "./spec.ts";
import type { Task } from "./task.ts";

/** Extra information returned by {@link TaskEnv.step}. */
export interface StepInfo<C extends Conditions = Conditions> {
  /** The step ended the trial (a response, an abort, or a timeout). */
  readonly newTrial: boolean;
  /** `gt[tInd]` at the step (before the time advanced). */
  readonly gt: number;
  /** The finished trial's performance (only when `newTrial`). */
  readonly performance?: number;
  /** The conditions of the trial that starts (only when `newTrial`). */
  readonly trial?: C;
}

/** One step's result. `terminated`/`truncated` are always false: the environment never ends. */
export interface EnvStepResult<C extends Conditions = Conditions> {
  /** The next observation `[obDim]` (row 0 of the new trial after a switch). */
  readonly ob: Float32Array;
  readonly reward: number;
  readonly terminated: false;
  readonly truncated: false;
  readonly info: StepInfo<C>;
}

/**
 * A continuing trial-based environment.
 *
 * `step(action)`: the task's rule scores the action at in-trial time `t`; time advances by `dtMs`;
 * if the next step would pass the trial end and no response ended it, the trial times out (adding
 * the task's `rTmax`); on a new trial the finished trial's performance is reported, the next trial
 * is sampled and performance resets. The returned observation is the row after the increment.
 *
 * @example
 * const env = new TaskEnv(createTask("PerceptualDecisionMaking"), Rng.fromSeed(0));
 * let { ob } = env.reset();
 * const r = env.step(0);
 */
export class TaskEnv<C extends Conditions = Conditions> {
  readonly task: Task<C>;
  private readonly rng: Rng;
  private readonly ruleRng: Rng;
  private current: Trial<C, Int32Array | Float32Array> | null = null;
  private tMs = 0;
  private tInd = 0;
  private performance = 0;
  private readonly scratch: Record<string, number> = {};
  private readonly noise: boolean;

  /** @param opts.noise `false` samples noiseless trials (oracle and psychometric evaluation). */
  constructor(task: Task<C>, rng: Rng, opts: { readonly noise?: boolean } = {}) {
    this.task = task;
    this.rng = rng;
    this.ruleRng = rng.fold("rule");
    this.noise = opts.noise ?? true;
  }

  /** The trial being played. */
  get trial(): Trial<C, Int32Array | Float32Array> {
    if (this.current === null) throw new ValueError(`TaskEnv: call reset() before using the environment`);
    return this.current;
  }

  /**
   * Starts the first trial and, as NeuroGym does, takes one step with a random action to produce the
   * first observation. With `noStep`, returns row 0 of the first trial instead.
   */
  reset(opts: { readonly noStep?: boolean } = {}): { ob: Float32Array } {
    this.tMs = 0;
    this.tInd = 0;
    this.newTrial();
    if (opts.noStep === true) return { ob: this.observe() };
    const n = this.task.nActions;
    const random = this.task.continuousActions
      ? Float32Array.from({ length: n }, () => this.rng.uniformIn(-1, 1))
      : this.rng.integer(0, n);
    return { ob: this.step(random).ob };
  }

  /** Plays `action`: an integer in `[0, nActions)`, or a vector of `nActions` numbers for tasks with continuous actions. */
  step(input: number | ArrayLike<number>): EnvStepResult<C> {
    const n = this.task.nActions;
    let action: number;
    let actionVector: Float32Array | undefined;
    if (this.task.continuousActions) {
      if (typeof input === "number" || input.length !== n || !Array.from(input).every(Number.isFinite)) {
        throw new ValueError(
          `TaskEnv.step: ${this.task.name} takes a vector of ${n} finite numbers as its action, got ${JSON.stringify(typeof input === "number" ? input : Array.from(input))}`,
        );
      }
      action = NaN;
      actionVector = Float32Array.from(input);
    } else {
      if (typeof input !== "number" || !Number.isInteger(input) || input < 0 || input >= n) {
        throw new ValueError(`TaskEnv.step: action must be an integer in [0, ${n}), got ${String(input)}`);
      }
      action = input;
    }
    const trial = this.trial;
    const periods = trial.info.periods;
    const gtNow = trial.gt[this.tInd] ?? 0;
    const tMs = this.tMs;
    const ctx: RlStepContext<never, C> = {
      action,
      ...(actionVector === undefined ? {} : { actionVector }),
      tMs,
      tInd: this.tInd,
      gtNow,
      trial,
      params: this.task.params as never,
      inPeriod: (name) => {
        const b = periods[name];
        return b !== undefined && b.startMs <= tMs && tMs < b.endMs;
      },
      performance: this.performance,
      scratch: this.scratch,
      rng: this.ruleRng,
    };
    const res = this.task.rl.step(ctx);
    this.performance = ctx.performance;
    let reward = res.reward;
    let newTrial = res.newTrial;
    this.tMs += this.task.dtMs;
    this.tInd += 1;
    if (this.tMs + this.task.dtMs > trial.info.tmaxMs + 1e-9 && !newTrial) {
      newTrial = true;
      reward += this.task.rl.rTmax?.(trial, this.task.params) ?? 0;
    }
    let info: StepInfo<C> = { newTrial, gt: gtNow };
    if (newTrial) {
      const performance = this.performance;
      this.tMs = 0;
      this.tInd = 0;
      this.newTrial();
      info = { newTrial, gt: gtNow, performance, trial: this.trial.info.conditions };
    }
    let ob = res.ob ?? this.observe();
    const after = this.task.rl.afterStep;
    if (after !== undefined) {
      ({ ob, reward } = after({ ob, reward, action, newTrial, rng: this.ruleRng, noise: this.noise }));
    }
    return { ob, reward, terminated: false, truncated: false, info };
  }

  private newTrial(): void {
    this.current = this.task.sampleTrial(this.rng, { noise: this.noise, forEnv: true });
    this.task.rl.onNewTrial?.(this.scratch, this.current);
    this.performance = this.task.rl.initialPerformance?.(this.current, this.task.params) ?? 0;
  }

  private observe(): Float32Array {
    const d = this.task.obDim;
    const ob = this.trial.ob.slice(this.tInd * d, (this.tInd + 1) * d);
    this.task.rl.observe?.(ob, this.scratch, this.task.params);
    return ob;
  }
}

/** A policy for {@link runPolicy}: `act` sees each observation; `reset` marks a trial start. */
export interface Policy {
  /** An action index, or a vector for tasks with continuous actions. */
  act(ob: Float32Array): number | ArrayLike<number>;
  reset?(): void;
}

/**
 * Plays `policy` until `nTrials` trials have finished; returns NeuroGym's score (mean
 * `info.performance`) and the mean reward per trial.
 */
export function runPolicy<C extends Conditions>(
  env: TaskEnv<C>,
  policy: Policy,
  nTrials: number,
): { performance: number; rewardPerTrial: number; trials: number } {
  let { ob } = env.reset();
  policy.reset?.();
  let done = 0;
  let perf = 0;
  let total = 0;
  const maxSteps = nTrials * 10_000;
  for (let s = 0; done < nTrials && s < maxSteps; s++) {
    const r = env.step(policy.act(ob));
    ob = r.ob;
    total += r.reward;
    if (r.info.newTrial) {
      done++;
      perf += r.info.performance ?? 0;
      policy.reset?.();
    }
  }
  return { performance: perf / Math.max(done, 1), rewardPerTrial: total / Math.max(done, 1), trials: done };
}
