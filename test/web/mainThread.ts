/**
 * The page's main-thread tasks as Chromium's tracing records them: for each top-level task its wall
 * time and its thread (CPU) time. A PerformanceObserver's "longtask" entries give only wall time,
 * which on a machine shared with other jobs is mostly time spent waiting for a core; the thread
 * time is the page's own work in the task.
 */
import type { BrowserContext, Page } from "playwright-core";

/** One top-level task of the renderer's main thread, in milliseconds. */
export interface MainThreadTask {
  readonly wallMs: number;
  readonly cpuMs: number;
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}

/** Starts tracing `page`; the returned function stops and gives every main-thread task since. */
export async function traceMainThread(
  context: BrowserContext,
  page: Page,
): Promise<() => Promise<MainThreadTask[]>> {
  const cdp = await context.newCDPSession(page);
  const threads = new Map<string, string>();
  const tasks: (TraceEvent & { thread: string })[] = [];
  // Only thread names and top-level tasks are kept as the trace streams in.
  cdp.on("Tracing.dataCollected", ({ value }) => {
    for (const e of value as unknown as TraceEvent[]) {
      const thread = `${e.pid}:${e.tid}`;
      if (e.ph === "M" && e.name === "thread_name") threads.set(thread, e.args?.name ?? "");
      else if (e.ph === "X" && e.name === "RunTask") tasks.push({ ...e, thread });
    }
  });
  await cdp.send("Tracing.start", {
    categories: "disabled-by-default-devtools.timeline",
    transferMode: "ReportEvents",
  });
  return async () => {
    const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
    await cdp.send("Tracing.end");
    await complete;
    await cdp.detach();
    return tasks
      .filter((t) => threads.get(t.thread) === "CrRendererMain")
      .map((t) => ({ wallMs: (t.dur ?? 0) / 1000, cpuMs: (t.tdur ?? 0) / 1000 }));
  };
}
