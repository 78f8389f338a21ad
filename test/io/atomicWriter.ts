/**
 * A writer for the atomic-write test: rewrites one checkpoint file with `saveCheckpoint` as fast
 * as it can, alternating a small and a large one (so a torn file cannot pass for a whole one),
 * until it is killed. Prints "writing" once the first version is in place.
 */
import { tensor } from "../../src/index.ts";
import { saveCheckpoint } from "../../src/node.ts";

const path = process.argv[2] as string;
const sizes = [1_000, 500_000];
for (let step = 0; ; step++) {
  const n = sizes[step % 2] as number;
  saveCheckpoint(path, { params: { w: tensor(new Float32Array(n).fill(step), [n]) }, step });
  if (step === 0) process.stdout.write("writing\n");
}
