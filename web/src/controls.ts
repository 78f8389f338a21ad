/**
 * The control panel: fields bound to a draft run config (the JSON the CLI reads), each with a
 * one-line explanation. Changing a field edits the draft and calls `onChange`.
 */
import { ACTIVATIONS, type TaskName, tasks } from "braints";
import { FORECAST_SERIES, OPTIMIZERS, SUPERVISED_TASKS } from "braints/recipes";

/** A run config as a user edits it: any subset of the CLI's keys. */
export type Draft = { kind?: string; [section: string]: unknown };

type Section = Record<string, unknown>;

/** The models the page offers, and the run kind each belongs to. */
export const MODELS = [
  { value: "leakyRNN", label: "leaky RNN (CT-RNN)", kind: "supervised" },
  { value: "vanillaRNN", label: "vanilla RNN", kind: "supervised" },
  { value: "gru", label: "GRU", kind: "supervised" },
  { value: "lstm", label: "LSTM", kind: "supervised" },
  { value: "horn", label: "HORN (harmonic oscillators)", kind: "supervised" },
  { value: "lif", label: "LIF spiking network", kind: "spiking" },
  { value: "nvar", label: "NVAR (next-generation reservoir)", kind: "forecast" },
  { value: "esn", label: "ESN (echo state network)", kind: "forecast" },
] as const;

export function kindOf(draft: Draft): string {
  return draft.kind ?? "supervised";
}

/** The model value of a draft (for the model menu). */
export function modelOf(draft: Draft): string {
  const kind = kindOf(draft);
  if (kind === "spiking") return "lif";
  if (kind === "forecast") return String((draft["model"] as Section | undefined)?.["type"] ?? "nvar");
  return String((draft["model"] as Section | undefined)?.["type"] ?? "leakyRNN");
}

function section(draft: Draft, name: string): Section {
  const s = (draft[name] ??= {}) as Section;
  return s;
}

/** Builds an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** A labelled field with its one-line explanation. */
function row(label: string, help: string, input: HTMLElement): HTMLElement {
  const id = `f-${label.replace(/\W+/g, "-").toLowerCase()}`;
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), input, h("p", { class: "help" }, help));
}

/** Fields of one control panel, re-created whenever the draft's kind or task changes. */
export class Controls {
  constructor(
    private readonly root: HTMLElement,
    private readonly onChange: (structural: boolean) => void,
  ) {}

  private number(
    s: Section,
    key: string,
    label: string,
    help: string,
    fallback: number | undefined,
    step = "any",
  ): HTMLElement {
    const input = h("input", { type: "number", step, "data-key": key });
    const value = s[key] ?? fallback;
    if (value !== undefined) input.value = String(value);
    input.addEventListener("change", () => {
      if (input.value === "") delete s[key];
      else s[key] = Number(input.value);
      this.onChange(false);
    });
    return row(label, help, input);
  }

  private select(
    current: string,
    options: readonly { value: string; label: string }[],
    label: string,
    help: string,
    set: (value: string) => void,
    structural = false,
  ): HTMLElement {
    const input = h("select", {}, ...options.map((o) => h("option", { value: o.value }, o.label)));
    input.value = current;
    input.addEventListener("change", () => {
      set(input.value);
      this.onChange(structural);
    });
    return row(label, help, input);
  }

  private choice(
    s: Section,
    key: string,
    values: readonly string[],
    label: string,
    help: string,
    fallback: string,
  ) {
    return this.select(
      String(s[key] ?? fallback),
      values.map((v) => ({ value: v, label: v })),
      label,
      help,
      (v) => (s[key] = v),
    );
  }

  /** Re-creates every field for `draft`. */
  render(draft: Draft): void {
    const kind = kindOf(draft);
    const groups: [string, HTMLElement[]][] = [];
    const modelMenu = this.select(
      modelOf(draft),
      MODELS,
      "model",
      "The network to train; spiking and reservoir models come with their own data.",
      (value) => {
        const m = MODELS.find((x) => x.value === value);
        if (!m) return;
        if (m.kind !== kind) {
          for (const k of Object.keys(draft)) delete draft[k];
          if (m.kind !== "supervised") draft.kind = m.kind;
        }
        if (m.kind === "supervised") section(draft, "model")["type"] = m.value;
        // NVAR and ESN take different settings: a new forecast model starts from its defaults.
        if (m.kind === "forecast") draft["model"] = m.value === "nvar" ? {} : { type: m.value };
      },
      true,
    );
    if (kind === "supervised")
      groups.push(
        ["Task", this.taskFields(draft)],
        ["Model", [modelMenu, ...this.rnnFields(draft)]],
        ["Training", this.trainingFields(draft)],
      );
    if (kind === "spiking")
      groups.push(
        ["Data", this.spikeDataFields(draft)],
        [
          "Model",
          [
            modelMenu,
            this.number(
              section(draft, "model"),
              "hidden",
              "LIF neurons",
              "Hidden LIF neurons (τ 10 ms, threshold 1, reset 0).",
              10,
              "1",
            ),
          ],
        ],
        ["Training", this.spikeTrainingFields(draft)],
      );
    if (kind === "forecast")
      groups.push(
        ["Series", this.seriesFields(draft)],
        [
          "Model",
          [modelMenu, ...(modelOf(draft) === "esn" ? this.esnFields(draft) : this.nvarFields(draft))],
        ],
        [
          "Readout",
          [
            this.number(
              section(draft, "training"),
              "alpha",
              "ridge α",
              "Ridge penalty of the linear readouts (one per horizon: 1, 10 and 100 steps ahead).",
              1e-6,
            ),
          ],
        ],
      );
    this.root.replaceChildren(
      ...groups.map(([title, fields]) => h("fieldset", {}, h("legend", {}, title), ...fields)),
    );
  }

  private taskFields(draft: Draft): HTMLElement[] {
    const task = section(draft, "task");
    const name = String(task["name"] ?? "PerceptualDecisionMaking") as TaskName;
    const options = (task["options"] ??=
      name === "PerceptualDecisionMaking" && task["name"] === undefined
        ? { dtMs: 20, timing: { stimulus: 1000 } }
        : {}) as Section;
    const defaults = tasks[name].defaults as unknown as Section;
    const timing = (defaults["timing"] ?? {}) as Record<string, unknown>;
    const userTiming = (options["timing"] ??= {}) as Record<string, unknown>;
    const fields: HTMLElement[] = [
      this.select(
        name,
        SUPERVISED_TASKS.map((t) => ({ value: t, label: t })),
        "task",
        tasks[name].summary,
        (v) => {
          task["name"] = v;
          task["options"] = {};
        },
        true,
      ),
      this.number(
        options,
        "dtMs",
        "dt (ms)",
        "Simulation step; a period shorter than one step lasts 0 steps, as in NeuroGym.",
        Number(defaults["dtMs"]),
      ),
    ];
    for (const [period, spec] of Object.entries(timing)) {
      const input = h("input", { type: "text", "data-key": `timing.${period}` });
      const value = userTiming[period] ?? spec;
      input.value = typeof value === "number" ? String(value) : JSON.stringify(value);
      input.addEventListener("change", () => {
        const text = input.value.trim();
        if (text === "") delete userTiming[period];
        else userTiming[period] = /^[\d.]+$/.test(text) ? Number(text) : safeJson(text);
        this.onChange(false);
      });
      fields.push(
        row(
          `${period} (ms)`,
          `Duration of the ${period} period: a number, or a distribution such as {"kind":"uniform","low":800,"high":1500}.`,
          input,
        ),
      );
    }
    if (typeof defaults["fixationCue"] === "string")
      fields.push(
        this.choice(
          options,
          "fixationCue",
          ["fixation", "untilDecision"],
          "fixation cue",
          "fixation: the cue is on in the fixation period only (NeuroGym 2.1 on); untilDecision: on until the decision, so its offset says when to answer (the NeuroGym the tutorials ran on).",
          defaults["fixationCue"],
        ),
      );
    if (typeof defaults["sigma"] === "number")
      fields.push(
        this.number(
          options,
          "sigma",
          "input noise σ",
          "Noise on the stimulus channels; the per-step sd is σ / √dt.",
          defaults["sigma"],
        ),
      );
    return fields;
  }

  private rnnFields(draft: Draft): HTMLElement[] {
    const model = section(draft, "model");
    const type = String(model["type"] ?? "leakyRNN");
    const fields = [
      this.number(
        section(draft, "model"),
        "hidden",
        "hidden units",
        "Units of the recurrent layer; a linear readout maps them to the actions.",
        64,
        "1",
      ),
    ];
    if (type === "leakyRNN")
      fields.push(
        this.number(
          section(draft, "model"),
          "tauMs",
          "τ (ms)",
          "Membrane time constant; each step moves the state a fraction dt/τ towards its target.",
          100,
        ),
      );
    if (type === "leakyRNN" || type === "vanillaRNN")
      fields.push(
        this.choice(
          section(draft, "model"),
          "activation",
          ACTIVATIONS,
          "activation",
          "The units' nonlinearity f.",
          "relu",
        ),
      );
    if (type === "leakyRNN") {
      fields.push(
        this.number(
          section(draft, "model"),
          "excitatoryFraction",
          "Dale's law: excitatory fraction",
          "Empty: unconstrained; e.g. 0.8 makes 80% of the units excitatory and 20% inhibitory.",
          undefined,
        ),
        this.number(
          section(draft, "model"),
          "sigmaRec",
          "recurrent noise σ",
          "Noise added to the units while training (off when evaluating).",
          0,
        ),
      );
    }
    return fields;
  }

  private trainingFields(draft: Draft): HTMLElement[] {
    return [
      this.number(
        section(draft, "training"),
        "epochs",
        "epochs",
        "The held-out accuracy is measured after every epoch.",
        20,
        "1",
      ),
      this.number(
        section(draft, "training"),
        "stepsPerEpoch",
        "updates per epoch",
        "Each update is one batch of fresh trials.",
        100,
        "1",
      ),
      this.number(section(draft, "training"), "batchSize", "batch size", "Trials per update.", 16, "1"),
      this.choice(
        section(draft, "training"),
        "optimizer",
        OPTIMIZERS,
        "optimizer",
        "The gradient-descent rule.",
        "adam",
      ),
      this.choice(
        section(draft, "training"),
        "lossOn",
        ["all", "decision"],
        "loss on",
        "Steps the cross-entropy weighs: every step, or only the response periods.",
        "all",
      ),
      this.number(
        section(draft, "training"),
        "seed",
        "seed",
        "Seed of the initial weights and the training trials.",
        0,
        "1",
      ),
      this.number(
        section(draft, "evaluation"),
        "trials",
        "held-out trials per epoch",
        "Fresh trials scored after each epoch; the final score uses 2,000.",
        512,
        "1",
      ),
    ];
  }

  private spikeDataFields(draft: Draft): HTMLElement[] {
    return [
      this.number(
        section(draft, "data"),
        "samples",
        "samples",
        "Random spike trains, each with a coin-flip label; every update sees all of them.",
        256,
        "1",
      ),
      this.number(section(draft, "data"), "steps", "steps", "Steps per sample.", 2000, "1"),
      this.number(
        section(draft, "data"),
        "inputs",
        "inputs",
        "Input channels (Poisson spike trains).",
        100,
        "1",
      ),
      this.number(section(draft, "data"), "rateHz", "rate (Hz)", "Firing rate of every input.", 5),
      this.number(section(draft, "data"), "dtMs", "dt (ms)", "Simulation step.", 0.1),
    ];
  }

  private spikeTrainingFields(draft: Draft): HTMLElement[] {
    return [
      this.number(
        section(draft, "training"),
        "epochs",
        "epochs",
        "Accuracies are measured after every epoch.",
        30,
        "1",
      ),
      this.number(
        section(draft, "training"),
        "stepsPerEpoch",
        "updates per epoch",
        "Adam updates on the whole set (BPTT through the surrogate gradient).",
        50,
        "1",
      ),
      this.number(
        section(draft, "training"),
        "seed",
        "seed",
        "Seed of the spike trains, labels and weights.",
        0,
        "1",
      ),
    ];
  }

  private seriesFields(draft: Draft): HTMLElement[] {
    return [
      this.choice(
        section(draft, "series"),
        "name",
        FORECAST_SERIES,
        "series",
        "The chaotic flow to forecast.",
        "lorenz",
      ),
      this.number(
        section(draft, "series"),
        "dt",
        "dt",
        "Integration and sampling step (model time units).",
        0.01,
      ),
      this.number(
        section(draft, "series"),
        "warmup",
        "warm-up",
        "Time that only fills the NVAR's delay taps.",
        20,
      ),
      this.number(section(draft, "series"), "train", "training span", "Time the readouts are fitted on.", 60),
      this.number(section(draft, "series"), "test", "test span", "Time the forecasts are scored on.", 20),
    ];
  }

  private esnFields(draft: Draft): HTMLElement[] {
    const model = section(draft, "model");
    return [
      this.number(model, "units", "reservoir units", "Units of the fixed random tanh reservoir.", 200, "1"),
      this.number(
        model,
        "spectralRadius",
        "spectral radius",
        "Largest |eigenvalue| of the recurrent weights; near 1 the reservoir remembers longer.",
        0.9,
      ),
      this.number(
        model,
        "leak",
        "leak",
        "Fraction of the way to its target the state moves each step, in (0, 1].",
        1,
      ),
      this.number(model, "inputScaling", "input scaling", "Input weights are uniform in ± this.", 0.05),
      this.number(
        model,
        "connectivity",
        "connectivity",
        "Fraction of recurrent connections that exist.",
        0.1,
      ),
      this.number(model, "seed", "seed", "Seed of the reservoir's random weights.", 0, "1"),
    ];
  }

  private nvarFields(draft: Draft): HTMLElement[] {
    return [
      this.number(
        section(draft, "model"),
        "delay",
        "taps k",
        "Delayed copies of the input in the feature vector.",
        4,
        "1",
      ),
      this.number(section(draft, "model"), "stride", "stride s", "Steps between taps.", 5, "1"),
      this.number(
        section(draft, "model"),
        "order",
        "order p",
        "Degree of the monomials of the taps.",
        2,
        "1",
      ),
    ];
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // the config check names the field and says what is expected
  }
}
