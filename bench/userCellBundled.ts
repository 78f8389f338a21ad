/**
 * W6 beside W4 as the built package runs them: bundled by esbuild into one module (as `dist/` is)
 * and timed in a fresh process, instead of in the bench's own process on sources loaded through
 * tsx. tsx keeps its loader, transformed sources and source maps on the heap (about 5 MB more live
 * data here), and every full collection marks all of it again: W6's per-step graph reaches the old
 * generation and sets off several full collections per step, W4 almost none, so in the bench's own
 * process W6's time grows by the collector's threads (up to ~30 ms of CPU per step on a loaded
 * machine), W4's not at all.
 *
 * `npx tsx bench/userCellBundled.ts [--rounds=3]` prints the figures; `bench/run.ts` calls
 * {@link userCellBundled}.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import type { UserCellFigures } from "./userCellChild.ts";

/** Bundles userCellChild.ts, runs it in a fresh process for `rounds` alternating rounds of W4 and W6. */
export function userCellBundled(rounds: number): UserCellFigures {
  const dir = mkdtempSync(join(tmpdir(), "braints-bench-"));
  try {
    const outfile = join(dir, "userCell.mjs");
    buildSync({
      entryPoints: [fileURLToPath(new URL("./userCellChild.ts", import.meta.url))],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile,
      logLevel: "warning",
    });
    const out = execFileSync(process.execPath, [outfile, "--user-cell-child", `--rounds=${rounds}`], {
      encoding: "utf8",
    });
    return JSON.parse(out.trim().split("\n").at(-1) as string) as UserCellFigures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { w4, w6 } = userCellBundled(
    Number(process.argv.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 3),
  );
  console.log(
    `bundled, fresh process, 1 thread: W4 ${w4.ms.toFixed(2)} ms (CPU ${w4.cpuMs.toFixed(2)}), ` +
      `W6 ${w6.ms.toFixed(2)} ms (CPU ${w6.cpuMs.toFixed(2)}); W6 / W4 ${(w6.ms / w4.ms).toFixed(2)} ` +
      `(CPU ${(w6.cpuMs / w4.cpuMs).toFixed(2)})`,
  );
}
