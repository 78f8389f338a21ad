import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ShapeError, ValueError, decodeMatrix, massNetwork, parseMatrixText } from "../../src/index.ts";
import { loadConnectome } from "../../src/node.ts";

/** A float64 `.npy` (format 1.0) of the given shape, as NumPy writes it. */
function npy(values: number[], shape: number[]): Uint8Array {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += " ";
  header += "\n";
  const bytes = new Uint8Array(10 + header.length + values.length * 8);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  bytes.set(new TextEncoder().encode(header), 10);
  const view = new DataView(bytes.buffer, 10 + header.length);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return bytes;
}

describe("connectome files", () => {
  const dir = mkdtempSync(join(tmpdir(), "braints-connectome-"));
  const file = (name: string, data: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  it("parses CSV, semicolon and whitespace text, skipping comments", () => {
    const t = parseMatrixText("# weights\n0, 1.5\n\n2;0\n");
    expect(t.shape).toEqual([2, 2]);
    expect([...t.data]).toEqual([0, 1.5, 2, 0]);
    expect([...parseMatrixText("0 1\t2\n3 4 5").data]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("loads weights from .npy and lengths from CSV, giving delays to a network", () => {
    const c = loadConnectome({
      weights: file("w.npy", npy([0, 1, 0.5, 0], [2, 2])),
      lengths: file("l.csv", "0,40\n40,0\n"),
      labels: file("labels.txt", "lh-a\nrh-a\n"),
    });
    expect(c.n).toBe(2);
    expect([...c.weights]).toEqual([0, 1, 0.5, 0]);
    expect([...(c.lengths as Float64Array)]).toEqual([0, 40, 40, 0]);
    expect(c.labels).toEqual(["lh-a", "rh-a"]);
    const net = massNetwork({ model: "hopf", connectome: c, speed: 4, dt: 1 });
    expect([...(net.delays as Int32Array)]).toEqual([0, 10, 10, 0]);
  });

  it("names the file and the problem: not square, ragged, not a number, negative lengths, label count", () => {
    expect(() => decodeMatrix(npy([1, 2, 3, 4, 5, 6], [2, 3]), "w.npy")).toThrow(
      /w\.npy: a connectome matrix must be square \[n, n\], got shape \[2, 3\]/,
    );
    expect(() => loadConnectome({ weights: file("r.csv", "0,1\n1\n") })).toThrow(ShapeError);
    expect(() => loadConnectome({ weights: file("r.csv", "0,1\n1\n") })).toThrow(/row 2 has 1/);
    expect(() => loadConnectome({ weights: file("x.csv", "0,a\n1,0\n") })).toThrow(
      /line 1, column 2 must be a number, got "a"/,
    );
    const w = file("w2.csv", "0,1\n1,0\n");
    expect(() => loadConnectome({ weights: w, lengths: file("neg.csv", "0,-3\n3,0\n") })).toThrow(ValueError);
    expect(() => loadConnectome({ weights: w, lengths: file("neg.csv", "0,-3\n3,0\n") })).toThrow(
      /neg\.csv.*tract lengths must be finite and >= 0 \(mm\), got -3 at \[0, 1\]/,
    );
    expect(() => loadConnectome({ weights: w, lengths: file("l3.csv", "0,1,1\n1,0,1\n1,1,0\n") })).toThrow(
      /lengths must match the weights' shape \[2, 2\], got \[3, 3\]/,
    );
    expect(() => loadConnectome({ weights: w, labels: file("one.txt", "only\n") })).toThrow(
      /labels must name each of the 2 regions, got 1/,
    );
  });
});
