/**
 * The training worker: builds the model of a run config, trains it one epoch per task so that
 * pause, step and learning-rate messages are read between epochs, streams the step losses, and
 * computes what the figures show. The page's main thread never trains or evaluates.
 */
import { getBackend, initBackend } from "braints";
// W1 exactly as `npm run bench` builds it (public API only), so page and Node time the same step.
import { makeW1 } from "../../bench/training.ts";
import { type FixedPointInput, parseRunConfig } from "braints/recipes";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { Session } from "./session.ts";

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  crossOriginIsolated?: boolean;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

let session: Session | undefined;
let running = false;
/** Step losses not yet sent; flushed at most every 100 ms so the page is not flooded. */
let pending: { step: number; loss: number }[] = [];
let lastFlush = 0;

function flush(): void {
  if (pending.length > 0) post({ type: "losses", points: pending });
  pending = [];
  lastFlush = performance.now();
}

const onStep = (step: number, loss: number) => {
  pending.push({ step, loss });
  if (performance.now() - lastFlush > 100) flush();
};

/** Yields to the event loop so queued messages (pause, step, lr) are handled. */
const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function fail(e: unknown): void {
  running = false;
  post({ type: "error", message: e instanceof Error ? e.message : String(e) });
  post({ type: "running", running: false, finished: session?.finished ?? false });
}

function configure(config: unknown, fixedPointInput: FixedPointInput): Session {
  const s = new Session(parseRunConfig(config, { source: "config" }), onStep);
  s.fixedPointInput = fixedPointInput;
  post({ type: "configured", config: s.config, parameters: s.parameters, totalSteps: s.totalSteps });
  return s;
}

/** Trains epochs until paused or done (`once`: one epoch); analyses after each epoch. */
async function train(once: boolean): Promise<void> {
  const s = session;
  if (!s || running) return;
  running = true;
  post({ type: "running", running: true, finished: false });
  try {
    while (running && !s.finished) {
      const record = s.trainEpoch();
      flush();
      post({ type: "epoch", ...record });
      if (s !== session) return;
      post({ type: "analysis", analysis: s.analyse("examples"), final: false });
      if (once) break;
      await yieldToMessages();
    }
    running = false;
    if (s !== session) return;
    post({ type: "running", running: false, finished: s.finished });
    analyseInFull(s);
  } catch (e) {
    fail(e);
  }
}

/** The evaluation first (accuracy, psychometric curve), then the dynamics (PCA, fixed points). */
function analyseInFull(s: Session): void {
  post({ type: "analysis", analysis: s.analyse("evaluation"), final: false });
  post({ type: "analysis", analysis: s.analyse("full"), final: true });
}

/** Mean milliseconds of W1's training step over `steps` (after 5 warm-up steps): the bench's own step. */
function benchW1(steps: number): number {
  const step = makeW1();
  for (let k = 0; k < 5; k++) step();
  const t0 = performance.now();
  for (let k = 0; k < steps; k++) step();
  return (performance.now() - t0) / steps;
}

scope.onmessage = async ({ data: message }) => {
  try {
    switch (message.type) {
      case "configure":
        running = false;
        session = undefined; // a config the worker rejects leaves no model to train
        session = configure(message.config, message.fixedPointInput);
        post({ type: "running", running: false, finished: false });
        break;
      case "run":
        await train(false);
        break;
      case "step":
        await train(true);
        break;
      case "pause":
        running = false;
        break;
      case "lr":
        session?.setLearningRate(message.lr);
        break;
      case "load": {
        let raw: unknown;
        try {
          raw = JSON.parse(message.config);
        } catch (e) {
          throw new Error(`config.json: not valid JSON (${(e as Error).message})`);
        }
        running = false;
        session = undefined;
        const s = configure(raw, message.fixedPointInput);
        session = s;
        s.loadModel(new Uint8Array(message.model), message.source);
        post({ type: "running", running: false, finished: true });
        analyseInFull(s);
        break;
      }
      case "fixedPointInput":
        if (!session) break;
        session.fixedPointInput = message.input;
        // Trained and not training: search again now (while training, the search after it uses the input).
        if (!running && session.step > 0)
          post({ type: "analysis", analysis: session.analyse("dynamics"), final: true });
        break;
      case "export": {
        if (!session) throw new Error("export: no model yet; choose a preset or configure a model first");
        const files = session.exportFiles();
        post({ type: "exported", ...files }, [files.model.buffer as ArrayBuffer]);
        break;
      }
      case "bench":
        post({
          type: "bench",
          msPerStep: benchW1(message.steps),
          steps: message.steps,
          backend: getBackend().name,
        });
        break;
    }
  } catch (e) {
    fail(e);
  }
};

// The default backend: WASM SIMD on a pool of workers where the page is cross-origin isolated,
// otherwise on this worker's thread.
const backend = await initBackend();
post({ type: "ready", backend: backend.name, isolated: scope.crossOriginIsolated === true });
