/** Timing protocol shared by our benchmarks and the PyTorch script: warm up, then 3 reps of N timed steps. */

export interface StepTiming {
  /** Median over the three repetitions' medians, in ms. */
  readonly msMedian: number;
  readonly repMedians: readonly number[];
  /** CPU time of every thread of the process per timed step (mean over the repetitions), in ms. */
  readonly cpuMs: number;
  readonly lossFirst: number;
  readonly lossAfter: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Times `step` like the PyTorch script does (same warm-up, reps and statistic). */
export function timeSteps(step: () => number, steps: number, warmup: number): StepTiming {
  const lossFirst = step();
  for (let i = 0; i < warmup; i++) step();
  const repMedians: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < 3; r++) {
    const ts: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      step();
      ts.push(performance.now() - t0);
    }
    repMedians.push(median(ts));
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / (3 * steps);
  return { msMedian: median(repMedians), repMedians, cpuMs, lossFirst, lossAfter: step() };
}
