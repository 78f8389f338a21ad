/** {@link loadConnectome}: a connectome from `.npy` or CSV files (Node only). */
import { readFileSync } from "node:fs";
import type { Connectome } from "../models/mass/connectome.ts";
import { decodeConnectome } from "./connectome.ts";

/** Paths of a connectome's files. */
export interface ConnectomePaths {
  /** `[n, n]` weights, target-major (`W[i][j]` from j onto i): `.npy` or CSV/whitespace text. */
  readonly weights: string;
  /** `[n, n]` tract lengths in mm, same formats. */
  readonly lengths?: string;
  /** Region labels, one per line. */
  readonly labels?: string;
}

/**
 * Reads and validates a connectome from files.
 * @example const c = loadConnectome({ weights: "weights.npy", lengths: "tract_lengths.csv" });
 */
export function loadConnectome(paths: ConnectomePaths): Connectome {
  return decodeConnectome({
    weights: { bytes: readFileSync(paths.weights), source: paths.weights },
    ...(paths.lengths ? { lengths: { bytes: readFileSync(paths.lengths), source: paths.lengths } } : {}),
    ...(paths.labels ? { labels: { text: readFileSync(paths.labels, "utf8"), source: paths.labels } } : {}),
  });
}
