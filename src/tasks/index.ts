/**
 * Cognitive tasks (NeuroGym family), the trial machinery, the RL environment, time series and
 * synthetic datasets.
 */
/** Timing-spec constructors and helpers: `timing.uniform(800, 1500)`, `timing.truncatedExponential(600, 300, 3000)`. */
export * as timing from "./timing.ts";
export type {
  TimingSpec,
  Timing,
  ConstantTiming,
  ChoiceTiming,
  UniformTiming,
  TruncatedExponentialTiming,
  UntilTiming,
  FunctionTiming,
} from "./timing.ts";
export { type ChannelMap, type Where, range, columnNames } from "./channels.ts";
export { TrialBuilder, type PeriodBounds, type PeriodSelector, type BuiltTrial } from "./trialBuilder.ts";
export type * from "./spec.ts";
export { makeTask, type Task, type TaskOptions } from "./task.ts";
export { responseRule, productionReward } from "./rules.ts";
export {
  ringAngles,
  coherenceRing,
  matchRing,
  cosineRing,
  sharedRing,
  type RingKind,
  circularDistance,
  wrapAngle,
} from "./ring.ts";
export type { TrialRows, TrialSlot } from "./rows.ts";
export { TaskEnv, runPolicy, type Policy, type StepInfo, type EnvStepResult } from "./env.ts";
export {
  tasks,
  taskNames,
  createTask,
  resolveTaskName,
  collections,
  collectionNames,
  type TaskName,
  type OptionsOf,
  type ConditionsOf,
} from "./registry.ts";
export {
  noise,
  passReward,
  passAction,
  reactionTime,
  randomGroundTruth,
  sideBias,
  trialHistory,
  scheduleAttr,
  scheduleEnvs,
  type BlockDuration,
  type ScheduledConditions,
} from "./wrappers.ts";
export {
  TrialSchedule,
  type ScheduleKind,
  randomSchedule,
  sequentialSchedule,
  sequentialBlockSchedule,
  randomBlockSchedule,
} from "./schedules.ts";
export {
  yang19,
  yang19Task,
  yang19TaskNames,
  yang19Specs,
  gaussianBump,
  type Yang19ReachParams,
  type Yang19ReachConditions,
  type Yang19DecisionParams,
  type Yang19DecisionConditions,
  type Yang19MatchParams,
  type Yang19MatchConditions,
  type Yang19FixationCue,
} from "./collections/yang19.ts";
export * from "./native/index.ts";
export * from "./series/index.ts";
export * from "./synthetic/index.ts";
