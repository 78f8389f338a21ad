import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lossCurve } from "../../src/plot/index.ts";
import { writeFigure } from "../../src/node.ts";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("writeFigure", () => {
  it("writes the SVG into a new directory and leaves no temporary file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "braints-plot-"));
    dirs.push(dir);
    const path = join(dir, "figures", "loss.svg");
    await writeFigure(
      path,
      lossCurve([
        { step: 0, loss: 1 },
        { step: 1, loss: 0.5 },
      ]),
    );
    expect((await readFile(path, "utf8")).startsWith("<svg")).toBe(true);
    expect(await readdir(join(dir, "figures"))).toEqual(["loss.svg"]);
  });
});
