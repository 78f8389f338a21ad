/** Share links: the draft config and the fixed-point input survive the trip through a URL's fragment. */
import { describe, expect, it } from "vitest";
import { readShared, shareUrl } from "../../web/src/share.ts";

const draft = { task: { name: "DelayComparison", options: { dtMs: 100 } }, model: { hidden: 48 } };

describe("share links", () => {
  it("carry the draft and the fixed-point input, zero or a period", () => {
    for (const fixedPointInput of ["zero", { period: "stimulus1" }, { period: "a & b=c" }] as const) {
      const url = new URL(shareUrl("http://localhost:5173/?x=1#old", { draft, fixedPointInput }));
      expect(url.search).toBe("?x=1");
      expect(readShared(url.hash)).toEqual({ draft, fixedPointInput });
    }
  });

  it("open a link with the config alone, as links were before the fixed-point menu", () => {
    expect(readShared(`#config=${encodeURIComponent(JSON.stringify(draft))}`)).toEqual({ draft });
  });

  it("ignore a broken config or input, keeping the other", () => {
    const input = "&fixedPoints=period%3Afixation";
    expect(readShared(`#config=%7Bnot-json${input}`)).toEqual({ fixedPointInput: { period: "fixation" } });
    expect(readShared(`#config=%5B1%5D${input}`)).toEqual({ fixedPointInput: { period: "fixation" } });
    const config = `#config=${encodeURIComponent(JSON.stringify(draft))}`;
    for (const bad of ["period%3A", "nonsense", "%E0%A4%A"])
      expect(readShared(`${config}&fixedPoints=${bad}`)).toEqual({ draft });
    expect(readShared("")).toEqual({});
  });
});
