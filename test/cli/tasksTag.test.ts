import { describe, expect, it } from "vitest";
import { braints } from "./braints.ts";

describe("braints tasks --tag", () => {
  it("lists only the tasks with a NeuroGym tag, written with a hyphen or a space", async () => {
    const hyphen = await braints(["tasks", "--tag", "working-memory"]);
    expect(hyphen.code).toBe(0);
    const names = hyphen.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(
      expect.arrayContaining(["DelayMatchSample", "DelayComparison", "DelayPairedAssociation"]),
    );
    expect(names).not.toContain("PerceptualDecisionMaking");
    expect(names).toEqual(expect.arrayContaining(["yang19.dms", "yang19"]));
    const all = await braints(["tasks"]);
    expect(all.stdout).toMatch(/^roitman02 +.*\(collection\)$/m);
    const space = await braints(["tasks", "--tag", "Working Memory"]);
    expect(space.stdout).toBe(hyphen.stdout);
  });

  it("names the known tags when none matches", async () => {
    const none = await braints(["tasks", "--tag", "telepathy"]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no task has the tag 'telepathy'; known tags are .*go-no-go.*working-memory/);
  });
});
