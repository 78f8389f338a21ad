/**
 * The playground page: controls on the left, figures on the right. The draft config is what the CLI
 * reads (config.json); the training worker trains it, the figure worker draws it, and this thread
 * only edits the draft, builds figure specs and puts SVG on the page.
 */
import { Rng, columnNames } from "braints";
import {
  type LossPoint,
  attractorPlot,
  forecastPlot,
  lossCurve,
  raster,
  trialPlot,
  voltageTraces,
} from "braints/plot";
import {
  type FixedPointInput,
  activityFigure,
  exampleTrialFigure,
  parseRunConfig,
  plural,
  psychometricFigure,
  stateSpaceFigure,
  trainingFigure,
  trainingTask,
} from "braints/recipes";
import { Controls, type Draft, h, kindOf } from "./controls.ts";
import { FigureSlot } from "./figures.ts";
import { PRESETS, type Preset } from "./presets.ts";
import type { Analysis, FromWorker, ToWorker } from "./protocol.ts";
import { fixedPointValue, readFixedPointValue, readShared, shareUrl } from "./share.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const worker = new Worker(new URL("./train.worker.ts", import.meta.url), { type: "module" });
/** True from sending a model (configure, load) until the worker says it is built: older results are stale. */
let awaitingModel = false;
const send = (message: ToWorker, transfer: Transferable[] = []) => {
  if (message.type === "configure" || message.type === "load") awaitingModel = true;
  worker.postMessage(message, transfer);
};

const shared = readShared(location.hash);
let draft: Draft =
  shared.draft ?? (structuredClone(PRESETS.find((p) => p.id === "S3")?.config ?? {}) as Draft);
let preset: Preset | undefined = PRESETS.find((p) => JSON.stringify(p.config) === JSON.stringify(draft));
/**
 * The input the network is held at for the fixed-point search: a shared link's, else the preset's,
 * else zero, or the visitor's choice.
 */
let fixedPointInput: FixedPointInput = shared.fixedPointInput ?? preset?.fixedPointInput ?? "zero";
let trialSeed = 0;
let losses: LossPoint[] = [];
/** The draft passed the config check and went to the worker (Start and Step act on it). */
let configuredOk = false;
/** The model file whose parameters the worker holds, when they were loaded rather than trained. */
let loadedFrom: string | undefined;

/** Figure slots by view. */
const slots = {
  task: new FigureSlot("task"),
  training: new FigureSlot("training", 400),
  example1: new FigureSlot("example-1"),
  example2: new FigureSlot("example-2"),
  activity: new FigureSlot("activity"),
  psychometric: new FigureSlot("psychometric"),
  dynamics: new FigureSlot("dynamics"),
  raster: new FigureSlot("raster"),
  membrane: new FigureSlot("membrane"),
  forecast1: new FigureSlot("forecast-1"),
  forecast2: new FigureSlot("forecast-2"),
  forecast3: new FigureSlot("forecast-3"),
  attractor: new FigureSlot("attractor"),
};

/** The menu of the fixed-point search's input: zero, or the mean input of one of the task's periods. */
const fixedPointMenu = h("select", { id: "fixed-point-input" });
const fixedPointField = h(
  "div",
  { class: "field" },
  h("label", { for: "fixed-point-input" }, "fixed points of the network held at"),
  fixedPointMenu,
  h(
    "p",
    { class: "help" },
    "The constant input of the fixed-point search: zero (the autonomous network), or a period's mean input over the trials (e.g. fixation: the network waiting for the stimulus). A network whose cue stays on through the trial may have no fixed point at zero input.",
  ),
);
fixedPointMenu.addEventListener("change", () => {
  fixedPointInput = readFixedPointValue(fixedPointMenu.value) ?? "zero";
  updateUrl();
  // A trained model that is not training is searched again at once (else after training).
  if (document.body.dataset["analysed"] === "final") slots.dynamics.message("Finding the fixed points ...");
  send({ type: "fixedPointInput", input: fixedPointInput });
});

/** Lists zero and the periods of a trial of the task in the menu; a choice the task lacks falls back to zero. */
function setFixedPointPeriods(periods: readonly string[]): void {
  if (fixedPointInput !== "zero" && !periods.includes(fixedPointInput.period)) fixedPointInput = "zero";
  fixedPointMenu.replaceChildren(
    h("option", { value: "zero" }, "zero input"),
    ...periods.map((p) =>
      h("option", { value: fixedPointValue({ period: p }) }, `the ${p} period's mean input`),
    ),
  );
  fixedPointMenu.value = fixedPointValue(fixedPointInput);
}

/** Which views each kind shows, in order, with their headings (and controls above the figures). */
const VIEWS: Record<string, readonly (readonly [string, readonly FigureSlot[], HTMLElement?])[]> = {
  supervised: [
    ["Task: one trial", [slots.task]],
    ["Training", [slots.training]],
    ["Example trials", [slots.example1, slots.example2]],
    ["Unit activity", [slots.activity]],
    ["Psychometric curve", [slots.psychometric]],
    ["State space and fixed points", [slots.dynamics], fixedPointField],
  ],
  spiking: [
    ["Training", [slots.training]],
    ["Spike raster", [slots.raster]],
    ["Membrane potentials", [slots.membrane]],
  ],
  forecast: [
    ["Attractor: predicted and true", [slots.attractor]],
    ["Forecasts: truth and prediction", [slots.forecast1, slots.forecast2, slots.forecast3]],
  ],
};

function showError(text: string): void {
  const box = $("message");
  box.textContent = text;
  box.hidden = text === "";
}

/** Forgets the results of the previous model (before another is configured or loaded). */
function clearResults(): void {
  losses = [];
  loadedFrom = undefined;
  for (const key of ["analysed", "epoch", "epochMetric", "state"]) delete document.body.dataset[key];
  const el = $("accuracy");
  el.textContent = "";
  for (const key of ["value", "trials", "source"]) delete el.dataset[key];
}

function setStatus(text: string): void {
  $("status").textContent = text;
}

function layoutViews(): void {
  const kind = kindOf(draft);
  $("views").replaceChildren(
    ...(VIEWS[kind] ?? []).map(([title, list, field]) =>
      h(
        "section",
        { class: "view", "data-view": title.split(":")[0]?.toLowerCase().replace(/\W+/g, "-") ?? "" },
        h("h2", {}, title),
        ...(field ? [field] : []),
        ...list.map((s) => s.element),
      ),
    ),
  );
  for (const list of Object.values(VIEWS[kind] ?? []))
    for (const s of list[1]) s.message("Train the model (Start or Step) to see this figure.");
}

/** Each period of a trial with its mean loss weight over its steps, e.g. "fixation 0, decision 1" (periods of no steps left out). */
function periodWeights(
  mask: Float32Array,
  periods: Readonly<Record<string, { start: number; end: number }>>,
): string {
  return Object.entries(periods)
    .filter(([, b]) => b.end > b.start)
    .map(([name, b]) => {
      const weights = mask.subarray(b.start, b.end);
      const mean = weights.reduce((a, w) => a + w, 0) / weights.length;
      return `${name} ${Number(mean.toPrecision(3))}`;
    })
    .join(", ");
}

/**
 * Draws one trial of the task the draft trains on (inputs, target, the loss mask its training
 * scores, periods) and lists its periods for the fixed points.
 */
function drawTask(): void {
  if (kindOf(draft) !== "supervised") return;
  try {
    const config = parseRunConfig(draft, { source: "settings" });
    if (config.kind !== "supervised") return;
    const task = trainingTask(config);
    const trial = task.sampleTrial(Rng.fromSeed(trialSeed));
    const D = task.obDim;
    const T = trial.info.nSteps;
    setFixedPointPeriods(Object.keys(trial.info.periods));
    slots.task.show(
      () =>
        trialPlot(
          {
            inputs: Array.from({ length: T }, (_, t) => Array.from(trial.ob.subarray(t * D, (t + 1) * D))),
            targets: trial.gt,
            mask: trial.mask,
            periods: Object.entries(trial.info.periods).map(([n, b]) => ({
              name: n,
              startMs: b.start * task.dtMs,
              endMs: b.end * task.dtMs,
            })),
            dtMs: task.dtMs,
            channelNames: task.obColumnNames,
            actionNames: columnNames(task.actions, task.nActions),
          },
          { title: `${task.name}: trial ${trialSeed + 1}` },
        ),
      `Conditions: ${Object.entries(trial.info.conditions)
        .filter(([, v]) => ["number", "string", "boolean"].includes(typeof v))
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(
          ", ",
        )}; ${T} steps of ${task.dtMs} ms. Shaded bands alternate between periods; the blue area is the loss weight training scores each step with (lossOn "${config.training.lossOn}"), by period: ${periodWeights(trial.mask, trial.info.periods)}.`,
    );
  } catch (e) {
    slots.task.message((e as Error).message);
  }
}

/** Checks the draft as the CLI would and, when it is valid, rebuilds the model in the worker. */
function configure(structural: boolean): void {
  if (structural) controls.render(draft);
  try {
    parseRunConfig(draft, { source: "settings" });
  } catch (e) {
    configuredOk = false;
    showError((e as Error).message);
    return;
  }
  configuredOk = true;
  showError("");
  clearResults();
  layoutViews();
  drawTask();
  updateUrl();
  updateBar();
  send({ type: "configure", config: draft, fixedPointInput });
}

/** Puts the draft and the fixed-point input in the address bar (after the task's periods checked the input). */
function updateUrl(): void {
  history.replaceState(null, "", shareUrl(location.href, { draft, fixedPointInput }));
}

function updateBar(): void {
  const p = preset;
  $("bar").textContent = p ? `${p.title}: ${p.about} Bar: ${p.bar}.` : "Custom settings (no tutorial bar).";
}

function drawTraining(): void {
  const kind = kindOf(draft);
  const bar =
    preset?.barValue === undefined ? undefined : { value: preset.barValue, label: `bar ${preset.barValue}` };
  if (kind === "supervised") {
    slots.training.showBuilt(() => trainingFigure(losses, bar));
  } else if (kind === "spiking") {
    slots.training.show(
      () =>
        lossCurve(losses, {
          title: "Training loss and training accuracy",
          lossTitle: "cross-entropy (nats)",
          metricTitle: "training accuracy",
          metricDomain: [0, 1],
          ...(bar ? { bar } : {}),
        }),
      "Cross-entropy of every update (log scale) and the accuracy on the training spike trains after every epoch.",
    );
  }
}

function drawAnalysis(a: Analysis): void {
  if (a.kind === "supervised") {
    const [first, second] = a.examples;
    for (const [slot, trial, i] of [
      [slots.example1, first, 0],
      [slots.example2, second, 1],
    ] as const) {
      if (trial) slot.showBuilt(() => exampleTrialFigure(trial, i, a.names));
    }
    if (first) slots.activity.showBuilt(() => activityFigure(first, 0, a.names.dtMs));
    const e = a.evaluation;
    if (e) {
      const psy = psychometricFigure(e);
      if (psy) slots.psychometric.showBuilt(() => psy);
      else
        slots.psychometric.message("This task has no signed coherence, so there is no psychometric curve.");
      const el = $("accuracy");
      el.textContent = `held-out accuracy ${(100 * e.accuracy).toFixed(2)}% over ${plural(e.trials, "trial")} (seed ${e.seed})${loadedFrom ? ` of the loaded ${loadedFrom}` : ""}`;
      el.dataset["value"] = String(e.accuracy);
      el.dataset["trials"] = String(e.trials);
      if (loadedFrom) el.dataset["source"] = loadedFrom;
    }
    if (a.dynamics) {
      const dynamics = a.dynamics;
      slots.dynamics.showBuilt(() => stateSpaceFigure(dynamics, a.names.actionNames));
    } else if (e) slots.dynamics.message("Finding the fixed points ...");
  } else if (a.kind === "spiking") {
    slots.raster.show(
      () => raster(a.spikes, a.dtMs, { title: "Hidden LIF spikes, training sample 1" }),
      "One tick per spike of each hidden LIF neuron.",
    );
    slots.membrane.show(
      () =>
        voltageTraces(a.v, a.dtMs, {
          threshold: a.threshold,
          spikes: a.spikes,
          title: "Membrane potentials, training sample 1",
        }),
      `Membrane potential of each hidden neuron with the threshold (${a.threshold}, dashed) and its spikes (dots).`,
    );
    const el = $("accuracy");
    el.textContent = `training accuracy ${(100 * a.trainAccuracy).toFixed(1)}%; on fresh spike trains ${(100 * a.heldOutAccuracy).toFixed(1)}% (chance: the labels are random)`;
    el.dataset["value"] = String(a.trainAccuracy);
  } else {
    const list = [slots.forecast1, slots.forecast2, slots.forecast3];
    a.fits.forEach((f, i) =>
      list[i]?.show(
        () =>
          forecastPlot(f.truth, f.prediction, a.dt, a.names, {
            title: `${f.horizon}-step-ahead forecast on the test span`,
            timeTitle: `time after t = ${a.testStart} (model time units)`,
          }),
        `Truth (wide grey) and the readout's prediction ${plural(f.horizon, "step")} ahead (dashed); test MSE ${f.testMse.toExponential(2)}, NRMSE ${f.testNrmse.toExponential(2)}.`,
      ),
    );
    const longest = a.fits.at(-1);
    if (longest)
      slots.attractor.show(
        () =>
          attractorPlot(longest.truth, longest.prediction, a.names, {
            title: `The attractor and the ${longest.horizon}-step-ahead forecast (test span)`,
          }),
        `The test span in the ${a.names[0]}–${a.names.at(-1)} plane: the true trajectory (wide grey) and the readout's prediction ${plural(longest.horizon, "step")} ahead (vermillion).`,
      );
    const first = a.fits[0];
    const el = $("accuracy");
    if (first) {
      el.textContent = `${first.horizon}-step test MSE ${first.testMse.toExponential(3)}`;
      el.dataset["value"] = String(first.testMse);
    }
  }
}

worker.onmessage = ({ data: m }: MessageEvent<FromWorker>) => {
  if (awaitingModel && ["losses", "epoch", "analysis", "running"].includes(m.type)) return;
  switch (m.type) {
    case "ready":
      $("backend").textContent = `kernels: ${m.backend}${m.isolated ? " (cross-origin isolated)" : ""}`;
      document.body.dataset["backend"] = m.backend;
      break;
    case "configured":
      awaitingModel = false;
      $("parameters").textContent = `${m.parameters.toLocaleString("en")} parameters`;
      $("parameters").dataset["value"] = String(m.parameters);
      setStatus(`ready: ${m.totalSteps.toLocaleString("en")} updates planned`);
      break;
    case "losses":
      losses.push(...m.points);
      setStatus(`update ${m.points.at(-1)?.step ?? 0}, loss ${m.points.at(-1)?.loss.toFixed(4) ?? ""}`);
      drawTraining();
      break;
    case "epoch": {
      const key = kindOf(draft) === "spiking" ? "trainAccuracy" : "accuracy";
      const metric = m.metrics[key];
      const last = losses.findLastIndex((p) => p.step === m.step);
      if (metric !== undefined && last >= 0) losses[last] = { ...(losses[last] as LossPoint), metric };
      if (metric !== undefined) document.body.dataset["epochMetric"] = String(metric);
      document.body.dataset["epoch"] = String(m.epoch);
      drawTraining();
      setStatus(
        `epoch ${m.epoch}: ${Object.entries(m.metrics)
          .map(([k, v]) => `${k} ${v.toPrecision(3)}`)
          .join(", ")} (${m.seconds.toFixed(1)} s)`,
      );
      break;
    }
    case "running":
      document.body.dataset["state"] = m.running ? "running" : m.finished ? "finished" : "paused";
      $("start").toggleAttribute("disabled", m.running);
      $("step").toggleAttribute("disabled", m.running);
      $("pause").toggleAttribute("disabled", !m.running);
      break;
    case "analysis":
      drawAnalysis(m.analysis);
      document.body.dataset["analysed"] = m.final ? "final" : "partial";
      break;
    case "exported":
      download(m.model, "model.safetensors", "application/octet-stream");
      download(new TextEncoder().encode(m.config), "config.json", "application/json");
      break;
    case "bench":
      $("bench-result").textContent =
        `W1 step: ${m.msPerStep.toFixed(2)} ms (mean of ${m.steps}, ${m.backend})`;
      $("bench-result").dataset["value"] = String(m.msPerStep);
      break;
    case "error":
      showError(m.message);
      break;
  }
};

function download(bytes: Uint8Array, name: string, type: string): void {
  const a = h("a", { href: URL.createObjectURL(new Blob([bytes as BlobPart], { type })), download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function loadRun(files: FileList | null): Promise<void> {
  // The previous model's results go at once, before the files are read, so nothing on the page
  // (accuracy, "analysed") can be taken for the loaded model's.
  clearResults();
  configuredOk = false;
  const list = Array.from(files ?? []);
  const config = list.find((f) => f.name.endsWith(".json"));
  const model = list.find((f) => f.name.endsWith(".safetensors"));
  if (!config || !model) {
    showError(
      `load: choose both files of a run, config.json and model.safetensors; got ${list.map((f) => f.name).join(", ") || "nothing"}`,
    );
    return;
  }
  const text = await config.text();
  try {
    draft = JSON.parse(text) as Draft;
  } catch (e) {
    showError(`${config.name}: not valid JSON (${(e as Error).message})`);
    return;
  }
  preset = undefined;
  showError("");
  controls.render(draft);
  layoutViews();
  drawTask();
  updateBar();
  updateUrl();
  const bytes = await model.arrayBuffer();
  configuredOk = true;
  loadedFrom = model.name;
  send({ type: "load", config: text, model: bytes, source: model.name, fixedPointInput }, [bytes]);
}

const controls = new Controls($("controls"), configure);

$("presets").append(
  ...PRESETS.map((p) => {
    const b = h(
      "button",
      { type: "button", "data-preset": p.id, title: `${p.about} Bar: ${p.bar}` },
      p.title,
    );
    b.addEventListener("click", () => {
      draft = structuredClone(p.config) as Draft;
      preset = p;
      fixedPointInput = p.fixedPointInput ?? "zero";
      configure(true);
    });
    return b;
  }),
);
$("start").addEventListener("click", () => configuredOk && send({ type: "run" }));
$("pause").addEventListener("click", () => send({ type: "pause" }));
$("step").addEventListener("click", () => configuredOk && send({ type: "step" }));
$("reset").addEventListener("click", () => configure(false));
$("lr").addEventListener("change", () => {
  const lr = Number(($("lr") as HTMLInputElement).value);
  if (!(lr > 0 && lr <= 10)) {
    showError(`learning rate must be a number in (0, 10], got ${($("lr") as HTMLInputElement).value}`);
    return;
  }
  showError("");
  send({ type: "lr", lr });
});
$("new-trial").addEventListener("click", () => {
  trialSeed++;
  drawTask();
});
$("download").addEventListener("click", () => send({ type: "export" }));
$("load").addEventListener("change", (e) => void loadRun((e.target as HTMLInputElement).files));
$("share").addEventListener("click", () => {
  const url = shareUrl(location.href, { draft, fixedPointInput });
  void navigator.clipboard?.writeText(url).catch(() => undefined);
  $("share-url").textContent = url;
});
$("bench").addEventListener("click", () => send({ type: "bench", steps: 30 }));

configure(true);
