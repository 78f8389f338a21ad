/**
 * Figure slots on the page: each shows one Vega-Lite figure (the same specs the HTML report uses),
 * drawn to a bitmap by the figure worker and put on a canvas. The page's main thread builds the
 * spec (one figure per task) and shows the bitmap; Vega runs in the worker, and the figure's
 * thousands of marks never enter the page's DOM, so the page stays responsive while training
 * streams updates. A slot re-renders at most once per interval and always ends on the latest
 * figure, so live training never queues up renders.
 */
import type { Figure } from "braints/plot";
import type { RenderReply, RenderRequest } from "./render.worker.ts";

const worker = new Worker(new URL("./render.worker.ts", import.meta.url), { type: "module" });
const waiting = new Map<number, (reply: RenderReply) => void>();
let nextId = 0;
worker.onmessage = ({ data }: MessageEvent<RenderReply>) => {
  waiting.get(data.id)?.(data);
  waiting.delete(data.id);
};

function render(figure: Figure): Promise<RenderReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker.postMessage({ id, figure, scale: Math.max(1, window.devicePixelRatio) } satisfies RenderRequest);
  });
}

/** A figure's title, as text (the canvas's accessible name). */
function titleOf(figure: Figure): string | undefined {
  const title = (figure as { title?: unknown }).title;
  const text = typeof title === "object" && title !== null ? (title as { text?: unknown }).text : title;
  return typeof text === "string" ? text : Array.isArray(text) ? text.join(" ") : undefined;
}

/** Lets the browser run other tasks (input, painting) before the next piece of work. */
const nextTask = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A figure and its caption, built when the slot gets to it. */
export type FigureBuild = () => { readonly figure: Figure; readonly caption?: string };

/** One figure on the page, with a caption. */
export class FigureSlot {
  private latest: FigureBuild | undefined;
  /** Bumped by every message, so a render that was under way when it came is dropped. */
  private generation = 0;
  private busy = false;
  private last = 0;
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly caption: HTMLElement;

  constructor(
    readonly id: string,
    private readonly minIntervalMs = 0,
  ) {
    this.element = document.createElement("figure");
    this.element.className = "figure";
    this.element.dataset["figure"] = id;
    this.body = document.createElement("div");
    this.body.className = "figure-body";
    this.caption = document.createElement("figcaption");
    this.element.append(this.body, this.caption);
  }

  /** Shows the figure `build` makes, with `caption` (built lazily: only the latest request is built and drawn). */
  show(build: () => Figure, caption = ""): void {
    this.showBuilt(() => ({ figure: build(), caption }));
  }

  /** Shows the figure and caption `build` makes (e.g. a report figure), built lazily. */
  showBuilt(build: FigureBuild): void {
    this.latest = build;
    void this.pump();
  }

  /** Shows a message instead of a figure (e.g. why it is missing). */
  message(text: string): void {
    this.latest = undefined;
    this.generation++;
    const p = document.createElement("p");
    p.className = "figure-message";
    p.textContent = text;
    this.body.replaceChildren(p);
    this.caption.textContent = "";
    delete this.element.dataset["marks"];
    this.element.dataset["state"] = "message";
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.latest) {
        // Each figure is built in a task of its own, after the interval since the last one.
        await nextTask(Math.max(0, this.last + this.minIntervalMs - performance.now()));
        const build = this.latest;
        if (!build) break; // a message came while waiting
        this.latest = undefined;
        const generation = this.generation;
        let reply: RenderReply;
        let built: ReturnType<FigureBuild> | undefined;
        try {
          built = build();
          reply = await render(built.figure);
        } catch (e) {
          reply = { id: -1, error: e instanceof Error ? e.message : String(e) };
        }
        this.last = performance.now();
        if (generation !== this.generation) continue;
        if ("bitmap" in reply && built) this.draw(reply, titleOf(built.figure), built.caption ?? "");
        else if ("error" in reply && !this.latest)
          this.message(`This figure could not be drawn: ${reply.error}`);
      }
    } finally {
      this.busy = false;
    }
  }

  private draw(
    reply: Extract<RenderReply, { bitmap: ImageBitmap }>,
    title: string | undefined,
    caption: string,
  ) {
    let canvas = this.body.querySelector("canvas");
    if (!canvas) {
      canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      this.body.replaceChildren(canvas);
    }
    canvas.width = reply.bitmap.width;
    canvas.height = reply.bitmap.height;
    canvas.style.width = `${reply.width}px`;
    canvas.setAttribute("aria-label", title ?? `figure ${this.id}`);
    canvas.getContext("bitmaprenderer")?.transferFromImageBitmap(reply.bitmap);
    this.caption.textContent = caption;
    this.element.dataset["marks"] = JSON.stringify(reply.marks);
    this.element.dataset["state"] = "drawn";
  }
}
