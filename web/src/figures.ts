/**
 * Figure slots on the page: each shows one Vega-Lite figure (the same specs the HTML report uses),
 * rendered to SVG by the figure worker. A slot re-renders at most once per interval and always ends
 * on the latest figure, so live training never queues up renders.
 */
import type { Figure } from "braints/plot";

const worker = new Worker(new URL("./render.worker.ts", import.meta.url), { type: "module" });
const waiting = new Map<number, (reply: { svg?: string; error?: string }) => void>();
let nextId = 0;
worker.onmessage = ({ data }: MessageEvent<{ id: number; svg?: string; error?: string }>) => {
  waiting.get(data.id)?.(data);
  waiting.delete(data.id);
};

function render(figure: Figure): Promise<{ svg?: string; error?: string }> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker.postMessage({ id, figure });
  });
}

/** One figure on the page, with a caption. */
export class FigureSlot {
  private latest: (() => Figure) | undefined;
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

  /** Shows the figure `build` makes (built lazily: only the latest request is built and rendered). */
  show(build: () => Figure, caption = ""): void {
    this.latest = build;
    this.caption.textContent = caption;
    void this.pump();
  }

  /** Shows a message instead of a figure (e.g. why it is missing). */
  message(text: string): void {
    this.latest = undefined;
    this.body.innerHTML = "";
    const p = document.createElement("p");
    p.className = "figure-message";
    p.textContent = text;
    this.body.append(p);
    this.caption.textContent = "";
    this.element.dataset["state"] = "message";
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.latest) {
        const wait = this.last + this.minIntervalMs - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const build = this.latest;
        this.latest = undefined;
        let reply: { svg?: string; error?: string };
        try {
          reply = await render(build());
        } catch (e) {
          reply = { error: e instanceof Error ? e.message : String(e) };
        }
        this.last = performance.now();
        if (reply.svg !== undefined) {
          this.body.innerHTML = reply.svg;
          this.element.dataset["state"] = "drawn";
        } else if (!this.latest) {
          this.message(`This figure could not be drawn: ${reply.error ?? "unknown error"}`);
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
