/**
 * The task registry: every task by its NeuroGym class name (env ids `Name-v0` are accepted too).
 */
import { ValueError } from "../base/errors.ts";
import { didYouMean } from "../base/suggest.ts";
import type { Conditions, TaskSpec } from "./spec.ts";
import { makeTask, type Task, type TaskOptions } from "./task.ts";
import { randomBlockSchedule } from "./schedules.ts";
import { yang19, yang19Specs } from "./collections/yang19.ts";
import { randomGroundTruth, reactionTime, scheduleAttr } from "./wrappers.ts";
import { AntiReach } from "./native/antiReach.ts";
import { ContextDecisionMaking } from "./native/contextDecisionMaking.ts";
import { DawTwoStep } from "./native/dawTwoStep.ts";
import { DelayComparison } from "./native/delayComparison.ts";
import { DelayMatchCategory } from "./native/delayMatchCategory.ts";
import { DelayMatchSample } from "./native/delayMatchSample.ts";
import { DelayMatchSampleDistractor1D } from "./native/delayMatchSampleDistractor1D.ts";
import { DelayPairedAssociation } from "./native/delayPairedAssociation.ts";
import { DualDelayMatchSample } from "./native/dualDelayMatchSample.ts";
import { EconomicDecisionMaking } from "./native/economicDecisionMaking.ts";
import { GoNogo } from "./native/goNogo.ts";
import { HierarchicalReasoning } from "./native/hierarchicalReasoning.ts";
import { IntervalDiscrimination } from "./native/intervalDiscrimination.ts";
import { MotorTiming } from "./native/motorTiming.ts";
import { MultiSensoryIntegration } from "./native/multiSensoryIntegration.ts";
import { OneTwoThreeGo } from "./native/oneTwoThreeGo.ts";
import { PerceptualDecisionMaking } from "./native/perceptualDecisionMaking.ts";
import { PerceptualDecisionMakingDelayResponse } from "./native/perceptualDecisionMakingDelayResponse.ts";
import { PostDecisionWager } from "./native/postDecisionWager.ts";
import { ProbabilisticReasoning } from "./native/probabilisticReasoning.ts";
import { PulseDecisionMaking } from "./native/pulseDecisionMaking.ts";
import { Reaching1D } from "./native/reaching1D.ts";
import { ReadySetGo } from "./native/readySetGo.ts";
import { ReachingDelayResponse } from "./native/reachingDelayResponse.ts";
import { SpatialSuppressMotion } from "./native/spatialSuppressMotion.ts";
import { AnnubesEnv } from "./native/annubes.ts";
import { Bandit } from "./native/bandit.ts";
import { Detection } from "./native/detection.ts";
import { Null } from "./native/null.ts";
import { Reaching1DWithSelfDistraction } from "./native/reaching1DWithSelfDistraction.ts";
import { ToneDetection } from "./native/toneDetection.ts";

/** All tasks by name. */
export const tasks = {
  PerceptualDecisionMaking,
  DelayComparison,
  DelayMatchSample,
  DelayMatchCategory,
  GoNogo,
  ContextDecisionMaking,
  ReadySetGo,
  IntervalDiscrimination,
  AntiReach,
  DualDelayMatchSample,
  MultiSensoryIntegration,
  Reaching1D,
  PostDecisionWager,
  DawTwoStep,
  EconomicDecisionMaking,
  PerceptualDecisionMakingDelayResponse,
  PulseDecisionMaking,
  DelayMatchSampleDistractor1D,
  DelayPairedAssociation,
  MotorTiming,
  OneTwoThreeGo,
  ProbabilisticReasoning,
  HierarchicalReasoning,
  AnnubesEnv,
  Bandit,
  Detection,
  Null,
  Reaching1DWithSelfDistraction,
  ReachingDelayResponse,
  SpatialSuppressMotion,
  ToneDetection,
  "yang19.go": yang19Specs.go,
  "yang19.rtgo": yang19Specs.rtgo,
  "yang19.dlygo": yang19Specs.dlygo,
  "yang19.anti": yang19Specs.anti,
  "yang19.rtanti": yang19Specs.rtanti,
  "yang19.dlyanti": yang19Specs.dlyanti,
  "yang19.dm1": yang19Specs.dm1,
  "yang19.dm2": yang19Specs.dm2,
  "yang19.ctxdm1": yang19Specs.ctxdm1,
  "yang19.ctxdm2": yang19Specs.ctxdm2,
  "yang19.multidm": yang19Specs.multidm,
  "yang19.dlydm1": yang19Specs.dlydm1,
  "yang19.dlydm2": yang19Specs.dlydm2,
  "yang19.ctxdlydm1": yang19Specs.ctxdlydm1,
  "yang19.ctxdlydm2": yang19Specs.ctxdlydm2,
  "yang19.multidlydm": yang19Specs.multidlydm,
  "yang19.dms": yang19Specs.dms,
  "yang19.dnms": yang19Specs.dnms,
  "yang19.dmc": yang19Specs.dmc,
  "yang19.dnmc": yang19Specs.dnmc,
} as const;

/** A registered task name. */
export type TaskName = keyof typeof tasks;

/** The options type of a registered task. */
export type OptionsOf<N extends TaskName> =
  (typeof tasks)[N] extends TaskSpec<infer P, infer _C, infer _S> ? TaskOptions<P> : never;

/** The conditions type of a registered task. */
export type ConditionsOf<N extends TaskName> =
  (typeof tasks)[N] extends TaskSpec<infer _P, infer C, infer _S> ? C : never;

/** Every registered task name, in the table order. */
export const taskNames = Object.keys(tasks) as TaskName[];

/** Options of a collection entry: the options of the task it is built on. */
export type CollectionOptions = Readonly<Record<string, unknown>>;

/**
 * NeuroGym's collection variants: tasks built from a registered task with wrappers and schedules,
 * by name. `createTask` accepts these names too.
 */
export const collections: Readonly<Record<string, (options: CollectionOptions) => Task>> = {
  /** PerceptualDecisionMaking as a reaction-time task (Roitman & Shadlen 2002). */
  roitman02: (o) => reactionTime(createTask("PerceptualDecisionMaking", o)),
  /**
   * PerceptualDecisionMaking in blocks of 90 trials biased 80:20 towards one side, then the other
   * (the International Brain Laboratory's task, 2020).
   */
  ibl20: (o) =>
    scheduleAttr(
      randomGroundTruth(createTask("PerceptualDecisionMaking", o)),
      randomBlockSchedule([90, 90]),
      [{ p: [0.8, 0.2] }, { p: [0.2, 0.8] }],
    ),
  /**
   * The 20 Yang-19 tasks interleaved by NeuroGym's random schedule with a one-hot rule input
   * (53 inputs, 17 actions); each task alone is registered as `yang19.<name>`.
   */
  yang19: (o) => yang19(o),
};

/** Every collection entry's name. */
export const collectionNames = Object.keys(collections);

/** Resolves `"PerceptualDecisionMaking"` or `"PerceptualDecisionMaking-v0"`. @throws ValueError listing the names. */
export function resolveTaskName(name: string): TaskName {
  const bare = name.endsWith("-v0") ? name.slice(0, -3) : name;
  if (!(bare in tasks)) {
    throw new ValueError(
      `createTask: unknown task '${name}'; known tasks are ${taskNames.join(", ")}; collections are ${collectionNames.join(", ")}${didYouMean(bare, [...taskNames, ...collectionNames])}`,
    );
  }
  return bare as TaskName;
}

/**
 * Configures a registered task by name.
 * @example
 * const task = createTask("DelayComparison", { timing: { delay: [200, 400, 800, 1600, 3200] } });
 */
export function createTask<N extends TaskName>(
  name: N | `${N}-v0`,
  options?: OptionsOf<N>,
): Task<ConditionsOf<N>>;
export function createTask(name: string, options?: Readonly<Record<string, unknown>>): Task<Conditions>;
export function createTask(name: string, options: Readonly<Record<string, unknown>> = {}): Task<Conditions> {
  if (Object.hasOwn(collections, name)) return (collections[name] as (o: CollectionOptions) => Task)(options);
  const spec = tasks[resolveTaskName(name)] as unknown as TaskSpec<never, Conditions, unknown>;
  return makeTask(spec, options as never);
}
