import { describe, expect, it } from "vitest";
import { scalar } from "./tensor.ts";
import { type Tree, treeLeaves } from "./tree.ts";

describe("treeLeaves", () => {
  it("lists leaves depth first, object keys sorted and array items in order, with dotted paths", () => {
    const [a, b, c, d] = [1, 2, 3, 4].map((v) => scalar(v));
    const tree = { z: a!, layers: [{ w: b!, b: c! }], m: d! } as Tree;
    expect(treeLeaves(tree).map((l) => [l.path, l.leaf.data[0]])).toEqual([
      ["layers.0.b", 3],
      ["layers.0.w", 2],
      ["m", 4],
      ["z", 1],
    ]);
    expect(treeLeaves(a!, "p")).toEqual([{ path: "p", leaf: a }]);
    expect(treeLeaves([[], {}] as Tree)).toEqual([]);
  });

  it("names what is wrong with a bad tree", () => {
    expect(() => treeLeaves({ a: { b: 1 } } as unknown as Tree)).toThrow(
      "tree: leaves must be Tensors, got number at 'a.b'",
    );
    expect(() => treeLeaves({ "a.b": scalar(1) })).toThrow("tree: key 'a.b' must not contain '.'");
  });
});
