/** The progress bar's last frame shows what the summary after it shows: the last epoch's numbers. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { TrainProgress } from "../../src/app/runs/train.ts";
import { formatMetric, progressHooks } from "../../src/cli/progress.ts";

/** A terminal that records what is written to it. */
function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 160, rows: 40 });
  let written = "";
  stream.on("data", (d: Buffer) => (written += d.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => written };
}

const at = (step: number, loss: number, accuracy?: number): TrainProgress => ({
  step,
  totalSteps: 10,
  epoch: Math.floor(step / 5),
  epochs: 2,
  loss,
  metrics: [{ label: "held-out accuracy", ...(accuracy === undefined ? {} : { value: accuracy }) }],
});

describe("progress on a terminal", () => {
  it("ends on the last epoch's mean loss and metrics, not on the step before them", async () => {
    const { stream, text } = terminal();
    const hooks = progressHooks(stream);
    for (let s = 1; s <= 5; s++) hooks.onStep?.(at(s, 1 - s / 10));
    hooks.onEpoch?.(at(5, 0.8123, 0.689), undefined as never);
    for (let s = 6; s <= 10; s++) hooks.onStep?.(at(s, 0.5 - s / 100, 0.689));
    // The epoch's metrics come after its last step: the summary prints these.
    hooks.onEpoch?.(at(10, 0.4321, 0.824), undefined as never);
    hooks.stop();
    await new Promise((r) => setImmediate(r));
    const frames = text()
      .split(/\r|\x1b\[[0-9;]*[A-Za-z]|\x1b[78]/)
      .filter((f) => f.includes("step "));
    const finalFrame = frames.at(-1) ?? "";
    expect(finalFrame).toContain("step 10/10");
    expect(finalFrame).toContain(`loss ${(0.4321).toFixed(4)}`);
    expect(finalFrame).toContain(`held-out accuracy ${formatMetric(0.824)}`);
  });
});
