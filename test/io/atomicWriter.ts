/**
 * A writer for the atomic-write test: rewrites one checkpoint file with `writeFileAtomic` as fast
 * as it can, alternating a small and a large one (so a torn file cannot pass for a whole one),
 * until it is killed. Prints "writing" once the first version is in place.
 */
import { encodeCheckpoint, tensor } from "../../src/index.ts";
import { writeFileAtomic } from "../../src/node.ts";

const path = process.argv[2] as string;
const sizes = [1_000, 500_000];
for (let step = 0; ; step++) {
  const n = sizes[step % 2] as number;
  writeFileAtomic(
    path,
    encodeCheckpoint({ params: { w: tensor(new Float32Array(n).fill(step), [n]) }, step }),
  );
  if (step === 0) process.stdout.write("writing\n");
}
