/**
 * Kernel benchmarks at the reference workloads' shapes: GEMM GFLOP/s (the recurrent step product
 * and the one dWRec product of BPTT) and fused recurrence forward + backward time, for each
 * backend, all in this one process so the ratios between backends are meaningful on a noisy machine.
 *
 * Standalone: `npx tsx bench/kernels.ts`.
 */
import { pathToFileURL } from "node:url";
import type { KernelBackend, RecurrenceForwardArgs } from "../src/kernels/backend.ts";
import { createBackend } from "../src/kernels/select.ts";
import { randomF32 } from "../src/kernels/test-util.ts";

/** One benchmark result row. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

/** The reference workloads (see the PyTorch script): hidden size, batch, steps, leak. */
const WORKLOADS = [
  { name: "W1", H: 128, B: 16, T: 100, alpha: 0.2 },
  { name: "W1-big", H: 512, B: 64, T: 100, alpha: 0.2 },
  { name: "W2", H: 100, B: 512, T: 25, alpha: 1 },
] as const;

/** The plain-TS backend is 30-100x slower: it is only timed where a run stays under a second. */
const JS_MAX_FLOPS = 2e8;

/**
 * Wall time of `fn` in ms over at least `minReps` runs, more while under `budgetMs`: the median,
 * and the fastest run, which on a shared machine is the closest to the kernel's own rate (a run
 * that no other process interrupted or slowed through the shared caches).
 */
function timeMs(fn: () => void, minReps = 3, budgetMs = 400): { median: number; best: number } {
  fn(); // warm-up: JIT, memory growth, worker start
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minReps || (performance.now() - start < budgetMs && times.length < 50)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1]!, best: times[0]! };
}

/** GFLOP/s of `flops` in `ms`. */
const gflops = (flops: number, ms: number) => flops / ms / 1e6;

function gemmRows(backend: KernelBackend, w: (typeof WORKLOADS)[number]): BenchRow[] {
  const { H, B, T } = w;
  const shapes = [
    { what: "step h@W", tA: false, M: B, N: H, K: H },
    { what: "dW hᵀ@dz", tA: true, M: H, N: H, K: T * B },
  ];
  return shapes.flatMap(({ what, tA, M, N, K }) => {
    const flops = 2 * M * N * K;
    if (backend.name === "js" && flops > JS_MAX_FLOPS / 2) return [];
    const [A, Bm, C] = [randomF32(M * K, 1), randomF32(K * N, 2), new Float32Array(M * N)];
    const { median, best } = timeMs(() => backend.gemm(tA, false, M, N, K, 1, A, Bm, 0, C));
    return [
      {
        name: `gemm ${w.name} ${what} [${M}x${K}]x[${K}x${N}] ${backend.name}`,
        value: gflops(flops, median),
        unit: "GFLOP/s",
        note: `fastest run ${gflops(flops, best).toFixed(1)} GFLOP/s`,
      },
    ];
  });
}

function recurrenceRows(backend: KernelBackend, w: (typeof WORKLOADS)[number]): BenchRow[] {
  const { H, B, T, alpha } = w;
  const flops = 6 * T * B * H * H;
  if (backend.name === "js" && flops > JS_MAX_FLOPS) return [];
  const args: RecurrenceForwardArgs = {
    T,
    B,
    H,
    alpha,
    activation: "relu",
    order: "rate",
    drive: randomF32(T * B * H, 1),
    wRec: randomF32(H * H, 2, 1 / Math.sqrt(H)),
    h0: new Float32Array(B * H),
  };
  const dHs = randomF32(T * B * H, 3);
  const { median, best } = timeMs(() =>
    backend.recurrenceBackward({ ...args, ...backend.recurrenceForward(args), dHs }),
  );
  return [
    {
      name: `recurrence fwd+bwd ${w.name} (T${T} B${B} H${H}) ${backend.name}`,
      value: median,
      unit: "ms",
      note: `${gflops(flops, median).toFixed(1)} GFLOP/s; fastest run ${best.toFixed(2)} ms, ${gflops(flops, best).toFixed(1)} GFLOP/s`,
    },
  ];
}

/** Runs every kernel benchmark on every backend (the relaxed-SIMD ones where supported: `+fma`). */
export async function benchKernels(): Promise<BenchRow[]> {
  const backends = [
    createBackend("js"),
    ...[false, true].flatMap((relaxedSimd) => [
      createBackend("wasm", { relaxedSimd }),
      createBackend("wasm-mt", { relaxedSimd }),
    ]),
  ];
  const rows: BenchRow[] = [];
  for (const w of WORKLOADS) {
    for (const backend of backends) rows.push(...gemmRows(backend, w), ...recurrenceRows(backend, w));
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const row of await benchKernels()) {
    console.log(
      `${row.name.padEnd(62)} ${row.value.toFixed(2).padStart(9)} ${row.unit}${row.note ? `  (${row.note})` : ""}`,
    );
  }
}
