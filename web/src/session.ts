/**
 * One model being trained in the worker: the recipe of its run config (the CLI's recipes, so a
 * model trained here is the model `braints train` would build), the trainer state, and what the
 * figures need. Supervised and spiking runs train by BPTT one epoch at a time; a forecast run is one
 * ridge solve per horizon.
 */
import {
  type BatchSource,
  Trainer,
  type TrainerOptions,
  type TrainerState,
  type Tree,
  columnNames,
  countParameters,
  sampleActivity,
} from "braints";
import {
  type FixedPointInput,
  type ForecastRecipe,
  type RunConfig,
  type SupervisedRecipe,
  type SpikingRecipe,
  analyzeDynamics,
  configuredOptimizer,
  configuredTask,
  decodeCheckedCheckpoint,
  encodeCheckedCheckpoint,
  evaluateNetwork,
  exampleTrials,
  forecastModelInfo,
  forecastRecipe,
  readoutTree,
  spikingRecipe,
  supervisedRecipe,
} from "braints/recipes";
import type { Analysis } from "./protocol.ts";

/** Called with each step's loss as training runs. */
export type OnStep = (step: number, loss: number) => void;

type Bptt =
  | { readonly kind: "supervised"; readonly recipe: SupervisedRecipe }
  | { readonly kind: "spiking"; readonly recipe: SpikingRecipe };

/** A run config's model and its training, held by the worker. */
export class Session {
  private state: TrainerState<Tree> | undefined;
  private trainer: Trainer<Tree, unknown> | undefined;
  private fits: ReturnType<ForecastRecipe["fit"]> | undefined;
  private readonly bptt: Bptt | undefined;
  private readonly forecast: ForecastRecipe | undefined;
  private lr: number | undefined;
  /** The constant input the fixed-point search holds the network at (see `analyzeDynamics`). */
  fixedPointInput: FixedPointInput = "zero";

  constructor(
    readonly config: RunConfig,
    private readonly onStep: OnStep,
  ) {
    switch (config.kind) {
      case "supervised":
        this.bptt = { kind: "supervised", recipe: supervisedRecipe(config) };
        break;
      case "spiking":
        this.bptt = { kind: "spiking", recipe: spikingRecipe(config) };
        break;
      case "forecast":
        this.forecast = forecastRecipe(config);
        break;
    }
    if (this.bptt) {
      this.trainer = this.makeTrainer();
      this.state = this.trainer.initialState(
        this.bptt.recipe.initialParams(),
        this.bptt.recipe.fitOptions.seed,
      );
    }
  }

  private makeTrainer(): Trainer<Tree, unknown> {
    const bptt = this.bptt as Bptt;
    const options = bptt.recipe.trainerOptions as TrainerOptions<Tree, unknown>;
    const training =
      bptt.kind === "supervised" ? bptt.recipe.config.training : ({ optimizer: "adam" } as const);
    return new Trainer<Tree, unknown>({
      ...options,
      ...(this.lr === undefined ? {} : { optimizer: configuredOptimizer({ ...training, lr: this.lr }) }),
      callbacks: [{ onStep: (record) => this.onStep(record.step + 1, record.loss) }],
    });
  }

  /** Parameters of the model (a forecast: its readouts' weights once solved). */
  get parameters(): number {
    if (this.state) return countParameters(this.state.params).total;
    const f = this.forecast as ForecastRecipe;
    return (f.features.shape[1] as number) * f.names.length * f.config.training.horizons.length;
  }

  get totalSteps(): number {
    const f = this.bptt?.recipe.fitOptions;
    return f ? f.epochs * f.stepsPerEpoch : 1;
  }

  get step(): number {
    return this.state?.step ?? (this.fits ? 1 : 0);
  }

  get finished(): boolean {
    return this.step >= this.totalSteps;
  }

  /** Changes the learning rate from the next update on (the optimizer's moments are kept). */
  setLearningRate(lr: number): void {
    this.lr = lr;
    if (this.bptt) this.trainer = this.makeTrainer();
  }

  /** Trains one epoch (a forecast: solves the readouts); returns the epoch's record. */
  trainEpoch(): { epoch: number; step: number; metrics: Readonly<Record<string, number>>; seconds: number } {
    if (this.forecast) {
      const t0 = performance.now();
      this.fits = this.forecast.fit();
      const first = this.fits[0];
      return {
        epoch: 0,
        step: 1,
        metrics: first ? { testMse: first.testMse, testNrmse: first.testNrmse } : {},
        seconds: (performance.now() - t0) / 1000,
      };
    }
    const { recipe } = this.bptt as Bptt;
    const state = this.state as TrainerState<Tree>;
    const next = (this.trainer as Trainer<Tree, unknown>).resume(
      state,
      recipe.batches as BatchSource<unknown>,
      {
        ...recipe.fitOptions,
        epochs: state.epoch + 1,
      },
    );
    this.state = next;
    const record = next.history.epochs.at(-1);
    return {
      epoch: next.epoch,
      step: next.step,
      metrics: record?.metrics ?? {},
      seconds: record?.seconds ?? 0,
    };
  }

  /**
   * What the figures show: example trials (with `depth` `"evaluation"` also the held-out evaluation,
   * with `"dynamics"` the dynamics, with `"full"` both); spikes; or forecasts.
   */
  analyse(depth: AnalysisDepth): Analysis {
    if (this.forecast) return this.forecastAnalysis(this.forecast);
    const params = (this.state as TrainerState<Tree>).params;
    const bptt = this.bptt as Bptt;
    if (bptt.kind === "spiking") {
      const { recipe } = bptt;
      const { spikes, v } = sampleActivity(recipe.model, params, recipe.train.xs, 0);
      const rows = (t: { shape: readonly number[]; data: ArrayLike<number> }) => {
        const [T, N] = t.shape as [number, number];
        return Array.from({ length: T }, (_, i) =>
          Array.from({ length: N }, (_, j) => t.data[i * N + j] as number),
        );
      };
      const metrics = recipe.trainerOptions.evaluate?.(params) ?? {};
      return {
        kind: "spiking",
        dtMs: recipe.config.data.dtMs,
        threshold: recipe.net.cell.lifConfig.vTh,
        spikes: rows(spikes),
        v: rows(v),
        trainAccuracy: metrics["trainAccuracy"] ?? NaN,
        heldOutAccuracy: metrics["heldOutAccuracy"] ?? NaN,
      };
    }
    return supervisedAnalysis(bptt.recipe, params, depth, this.fixedPointInput);
  }

  private forecastAnalysis(recipe: ForecastRecipe): Analysis {
    const rows = (t: { shape: readonly number[]; data: ArrayLike<number> }) => {
      const [T, d] = t.shape as [number, number];
      return Array.from({ length: T }, (_, i) =>
        Array.from({ length: d }, (_, j) => t.data[i * d + j] as number),
      );
    };
    const { series } = recipe.config;
    return {
      kind: "forecast",
      names: recipe.names,
      dt: series.dt,
      testStart: series.warmup + series.train,
      fits: (this.fits ?? []).map((f) => ({
        horizon: f.horizon,
        testMse: f.testMse,
        testNrmse: f.testNrmse,
        truth: rows(f.test.truth),
        prediction: rows(f.test.prediction),
      })),
    };
  }

  /** The trained model as the CLI writes `model.safetensors`, and the resolved config as `config.json`. */
  exportFiles(): { model: Uint8Array; config: string } {
    const config = `${JSON.stringify(this.config, null, 2)}\n`;
    if (this.forecast) {
      const recipe = this.forecast;
      return {
        model: encodeCheckedCheckpoint({
          params: readoutTree(this.fits ?? recipe.fit()),
          model: forecastModelInfo(recipe),
        }),
        config,
      };
    }
    const bptt = this.bptt as Bptt;
    const model = bptt.kind === "supervised" ? bptt.recipe.network.model : bptt.recipe.model;
    return {
      model: encodeCheckedCheckpoint({
        params: (this.state as TrainerState<Tree>).params,
        model: { name: model.name, config: model.config },
      }),
      config,
    };
  }

  /** Replaces the parameters with a model file's (checked against this model), as after training. */
  loadModel(bytes: Uint8Array, source: string): void {
    if (this.forecast) {
      const { params } = decodeCheckedCheckpoint(bytes, source, this.forecast.readoutShapes);
      const scored = this.forecast.score(params);
      this.fits = scored;
      return;
    }
    const recipe = (this.bptt as Bptt).recipe;
    const { params } = decodeCheckedCheckpoint(bytes, source, recipe.initialParams());
    const state = this.state as TrainerState<Tree>;
    this.state = { ...state, params, step: this.totalSteps, epoch: recipe.fitOptions.epochs };
  }
}

/** How much {@link Session.analyse} computes beyond the example trials. */
export type AnalysisDepth = "examples" | "evaluation" | "dynamics" | "full";

/**
 * Two example trials of different classes; with `depth` "evaluation" or "full" the held-out
 * evaluation as `braints eval` does it (2,000 trials from the run's evaluation seed + 1); with
 * "dynamics" or "full" the PCA trajectories with the fixed points of the network held at `input`.
 */
function supervisedAnalysis(
  recipe: SupervisedRecipe,
  params: Tree,
  depth: AnalysisDepth,
  input: FixedPointInput,
): Analysis {
  const { config, network } = recipe;
  const task = configuredTask(config.task);
  const evaluation =
    depth === "examples" || depth === "dynamics"
      ? undefined
      : evaluateNetwork(network.model, params, task, { trials: 2000, seed: config.evaluation.seed + 1 });
  return {
    kind: "supervised",
    names: {
      dtMs: task.dtMs,
      channelNames: task.obColumnNames,
      actionNames: columnNames(task.actions, task.nActions),
    },
    examples: exampleTrials(network.model, params, task, 2, config.evaluation.seed + 2),
    ...(evaluation
      ? {
          evaluation: {
            accuracy: evaluation.accuracy,
            trials: evaluation.trials,
            seed: evaluation.seed,
            ...(evaluation.psychometric ? { psychometric: evaluation.psychometric } : {}),
          },
        }
      : {}),
    ...(depth === "full" || depth === "dynamics"
      ? {
          dynamics: analyzeDynamics(network, params, task, {
            trials: 32,
            starts: 32,
            fixedPointInput: input,
          }),
        }
      : {}),
  };
}
