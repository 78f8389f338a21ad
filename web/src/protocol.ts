/** Messages between the page and its training worker. */
import type {
  DynamicsAnalysis,
  ExampleTrial,
  FixedPointInput,
  Psychometric,
  TaskNames,
} from "braints/recipes";

/** What the page asks of the worker. */
export type ToWorker =
  /**
   * Build the model and trainer of a run config (a config.json as the CLI writes it); its fixed
   * points are searched with the network held at `fixedPointInput`.
   */
  | { readonly type: "configure"; readonly config: unknown; readonly fixedPointInput: FixedPointInput }
  | { readonly type: "run" }
  | { readonly type: "pause" }
  /** Train one epoch, then pause. */
  | { readonly type: "step" }
  | { readonly type: "lr"; readonly lr: number }
  /** Load a CLI run's config.json and model.safetensors, then evaluate it. */
  | {
      readonly type: "load";
      readonly config: string;
      readonly model: ArrayBuffer;
      readonly source: string;
      readonly fixedPointInput: FixedPointInput;
    }
  /** Hold the network at another input for the fixed-point search (searched again at once when trained). */
  | { readonly type: "fixedPointInput"; readonly input: FixedPointInput }
  | { readonly type: "export" }
  /** Time W1's training step (leaky RNN H128, B16, T100, Adam). */
  | { readonly type: "bench"; readonly steps: number };

/** The figures' data after (or during) training, by kind. */
export type Analysis =
  | {
      readonly kind: "supervised";
      readonly names: TaskNames;
      readonly examples: readonly ExampleTrial[];
      /** The held-out evaluation (after training or when paused), as `braints eval` scores it. */
      readonly evaluation?: {
        readonly accuracy: number;
        readonly trials: number;
        readonly seed: number;
        readonly psychometric?: Psychometric;
      };
      /** PCA trajectories and fixed points (after training or when paused). */
      readonly dynamics?: DynamicsAnalysis;
    }
  | {
      readonly kind: "spiking";
      readonly dtMs: number;
      readonly threshold: number;
      readonly spikes: number[][];
      readonly v: number[][];
      readonly trainAccuracy: number;
      readonly heldOutAccuracy: number;
    }
  | {
      readonly kind: "forecast";
      readonly names: readonly string[];
      readonly dt: number;
      readonly testStart: number;
      readonly fits: readonly {
        readonly horizon: number;
        readonly testMse: number;
        readonly testNrmse: number;
        readonly truth: number[][];
        readonly prediction: number[][];
      }[];
    };

/** What the worker tells the page. */
export type FromWorker =
  | { readonly type: "ready"; readonly backend: string; readonly isolated: boolean }
  | {
      readonly type: "configured";
      readonly config: unknown;
      readonly parameters: number;
      readonly totalSteps: number;
    }
  | { readonly type: "losses"; readonly points: readonly { readonly step: number; readonly loss: number }[] }
  | {
      readonly type: "epoch";
      readonly epoch: number;
      readonly step: number;
      readonly metrics: Readonly<Record<string, number>>;
      readonly seconds: number;
    }
  | { readonly type: "running"; readonly running: boolean; readonly finished: boolean }
  | { readonly type: "analysis"; readonly analysis: Analysis; readonly final: boolean }
  | { readonly type: "exported"; readonly model: Uint8Array; readonly config: string }
  | { readonly type: "bench"; readonly msPerStep: number; readonly steps: number; readonly backend: string }
  | { readonly type: "error"; readonly message: string };
