/**
 * Connectomes from files: weights and tract lengths as NumPy `.npy` arrays or CSV/whitespace text
 * (one row per line), region labels as text (one per line). Parsing is browser-safe;
 * {@link loadConnectome} in `braints/node` reads the files.
 */
import { ShapeError, ValueError } from "../base/errors.ts";
import { Tensor } from "../core/tensor.ts";
import { type Connectome, connectome } from "../models/mass/connectome.ts";
import { decodeNpy } from "./npy.ts";

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/**
 * Parses a matrix from text: rows on lines, cells separated by commas, semicolons, tabs or spaces;
 * blank lines and lines starting with `#` are skipped. Every row must have as many cells as the first.
 * @returns a `[rows, cols]` float64 tensor
 */
export function parseMatrixText(text: string, source = "matrix"): Tensor {
  const rows: number[][] = [];
  text.split(/\r?\n/).forEach((line, lineIndex) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const cells = trimmed.split(/\s*[,;\t]\s*|\s+/);
    rows.push(
      cells.map((cell, col) => {
        const v = Number(cell);
        if (cell === "" || Number.isNaN(v)) {
          throw new ValueError(
            `${source}: line ${lineIndex + 1}, column ${col + 1} must be a number, got "${cell}"`,
          );
        }
        return v;
      }),
    );
  });
  if (rows.length === 0) throw new ShapeError(`${source}: no rows of numbers found`);
  const width = (rows[0] as number[]).length;
  const ragged = rows.findIndex((r) => r.length !== width);
  if (ragged >= 0) {
    throw new ShapeError(
      `${source}: every row must have ${width} values like the first, row ${ragged + 1} has ${rows[ragged]?.length}`,
    );
  }
  return new Tensor([rows.length, width], Float64Array.from(rows.flat()));
}

/** A matrix from `.npy` bytes (recognised by their magic string) or from CSV/whitespace text. */
export function decodeMatrix(bytes: Uint8Array, source = "matrix"): Tensor {
  const isNpy = bytes.length >= 6 && NPY_MAGIC.every((b, i) => bytes[i] === b);
  const t = isNpy ? decodeNpy(bytes, source) : parseMatrixText(new TextDecoder().decode(bytes), source);
  if (t.rank !== 2 || t.shape[0] !== t.shape[1]) {
    throw new ShapeError(
      `${source}: a connectome matrix must be square [n, n], got shape [${t.shape.join(", ")}]`,
    );
  }
  return t;
}

/** The contents of a connectome's files, each with the name used in error messages. */
export interface ConnectomeSources {
  readonly weights: { readonly bytes: Uint8Array; readonly source: string };
  readonly lengths?: { readonly bytes: Uint8Array; readonly source: string };
  /** Region labels, one per line. */
  readonly labels?: { readonly text: string; readonly source: string };
}

/** Re-raises a validation error with the file it came from. */
function naming<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`${source}: ${e.message}`);
    if (e instanceof ValueError) throw new ValueError(`${source}: ${e.message}`);
    throw e;
  }
}

/**
 * A validated {@link Connectome} from file contents: square weights, tract lengths (mm) of the same
 * shape, finite and non-negative (so no delay is negative), one label per region.
 */
export function decodeConnectome(s: ConnectomeSources): Connectome {
  const weights = decodeMatrix(s.weights.bytes, s.weights.source);
  const lengths = s.lengths ? decodeMatrix(s.lengths.bytes, s.lengths.source) : undefined;
  const labels = s.labels?.text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const names = [s.weights.source, s.lengths?.source, s.labels?.source].filter(Boolean).join(", ");
  return naming(names, () =>
    connectome({
      weights,
      ...(lengths ? { lengths } : {}),
      ...(labels ? { labels } : {}),
    }),
  );
}
