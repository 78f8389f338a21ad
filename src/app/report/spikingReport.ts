/**
 * The report of a spiking run: the loss curve with the training accuracy, a raster of the hidden
 * spikes and the membrane traces of one training sample, and the accuracies per epoch.
 */
import { lossCurve } from "../../plot/lossCurve.ts";
import { raster } from "../../plot/raster.ts";
import { voltageTraces } from "../../plot/voltageTraces.ts";
import type { SpikingConfig } from "../recipes/spikingConfig.ts";
import { sampleActivity } from "../../train/spikeTrains.ts";
import type { Run } from "../runs/run.ts";
import { evaluateSpikingRun } from "../runs/spiking.ts";
import { lossPoints } from "./figures.ts";
import { trainingSeconds, writeReport } from "./write.ts";

const pct = (x: number | undefined) => (x === undefined ? "-" : `${(100 * x).toFixed(1)}%`);

/**
 * Evaluates the spiking run and writes its `report.html`.
 * @returns the report's path and a one-line result
 */
export async function reportSpikingRun(
  run: Run,
  config: SpikingConfig,
): Promise<{ path: string; headline: string }> {
  const { evaluation, model } = evaluateSpikingRun(run, config);
  const { recipe, params } = model;
  const { data, training } = config;
  const metrics = run.readMetrics();
  const { spikes, v } = sampleActivity(recipe.model, params, recipe.train.xs, 0);
  const heldOut = `${pct(evaluation.heldOutAccuracy)} of ${evaluation.samples} fresh spike trains (labels are random: chance is 50%, so this only checks that the network memorises rather than generalises)`;
  const path = await writeReport(run, {
    title: `braints report: spiking classifier on random spike trains`,
    summary: [
      [
        "data",
        `${data.samples} samples of ${data.steps} steps (dt ${data.dtMs} ms), ${data.inputs} inputs at ${data.rateHz} Hz, random binary labels`,
      ],
      [
        "model",
        `${data.inputs} inputs → ${config.model.hidden} LIF neurons → 2 leaky-integrator readouts; loss on the maximum over time`,
      ],
      [
        "training",
        `${metrics.length} epochs × ${training.stepsPerEpoch} Adam steps on the whole set, lr ${training.lr}, seed ${training.seed}, ${trainingSeconds(metrics)}`,
      ],
      ["training accuracy", `${pct(evaluation.trainAccuracy)} of ${data.samples} samples`],
      ["held-out accuracy", heldOut],
    ],
    figures: [
      {
        id: "training",
        heading: "Training",
        caption: "Cross-entropy of every update (log scale) and the training accuracy after every epoch.",
        figure: lossCurve(lossPoints(metrics, "trainAccuracy"), {
          title: "Training loss and training accuracy",
          lossTitle: "cross-entropy (nats)",
          metricTitle: "training accuracy",
          metricDomain: [0, 1],
        }),
      },
      {
        id: "raster",
        heading: "Hidden spikes",
        caption: "Spikes of the hidden LIF neurons on training sample 0, one tick per spike.",
        figure: raster(spikes, data.dtMs, { title: "Raster of the hidden LIF neurons (sample 0)" }),
      },
      {
        id: "membrane",
        heading: "Membrane potentials",
        caption: `Membrane potentials of the hidden LIF neurons on training sample 0, with the threshold (${recipe.net.cell.lifConfig.vTh}) and the spikes.`,
        figure: voltageTraces(v, data.dtMs, {
          threshold: recipe.net.cell.lifConfig.vTh,
          spikes,
          title: "Membrane traces of the hidden LIF neurons (sample 0)",
        }),
      },
    ],
    tables: [
      {
        caption: "Accuracy after every epoch (held-out: fresh spike trains, chance 50%)",
        header: ["epoch", "step", "training loss", "training accuracy", "held-out accuracy"],
        rows: metrics.map((l) => [
          l.epoch,
          l.step,
          l.trainLoss.toFixed(4),
          pct(l.metrics["trainAccuracy"]),
          pct(l.metrics["heldOutAccuracy"]),
        ]),
      },
    ],
  });
  return {
    path,
    headline: `training accuracy ${evaluation.trainAccuracy.toFixed(3)}, held-out accuracy ${evaluation.heldOutAccuracy.toFixed(3)} over ${evaluation.samples} fresh samples (chance 0.5: labels are random)`,
  };
}
