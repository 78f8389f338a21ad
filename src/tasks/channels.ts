/**
 * Named observation channels and action names. Channel 0 is the fixation cue and action 0 is
 * "fixate / no response" in every NeuroGym task.
 */
import { ValueError } from "../base/errors.ts";

/** Name → index (or indices) of observation channels or actions. */
export type ChannelMap = Readonly<Record<string, number | readonly number[]>>;

/** Where to write: a channel name, an index, or a list of indices. */
export type Where = string | number | readonly number[];

/** `{ fixation: 0, stimulus: [1..n] }`-style maps are built with this helper. */
export function range(start: number, stop: number): number[] {
  const out: number[] = [];
  for (let i = start; i < stop; i++) out.push(i);
  return out;
}

/**
 * The column indices `where` selects (all `dim` columns when undefined).
 * @throws ValueError naming the unknown channel and the known ones.
 */
export function resolveWhere(
  map: ChannelMap,
  dim: number,
  where: Where | undefined,
  context: string,
): number[] {
  if (where === undefined) return range(0, dim);
  if (typeof where === "string") {
    const v = map[where];
    if (v === undefined) {
      throw new ValueError(
        `${context}: channel '${where}' is unknown; known channels are ${Object.keys(map).join(", ")}`,
      );
    }
    return typeof v === "number" ? [v] : [...v];
  }
  const idx = typeof where === "number" ? [where] : [...where];
  for (const i of idx) {
    if (!Number.isInteger(i) || i < 0 || i >= dim) {
      throw new ValueError(`${context}: channel index must be an integer in [0, ${dim}), got ${i}`);
    }
  }
  return idx;
}

/** The number of columns a map spans (1 + its largest index). */
export function mapWidth(map: ChannelMap): number {
  let max = -1;
  for (const v of Object.values(map)) {
    for (const i of typeof v === "number" ? [v] : v) max = Math.max(max, i);
  }
  return max + 1;
}

/**
 * Per-column names for plots and tables: a one-column entry keeps its name, a multi-column one is
 * numbered from 1 (`stimulus 1`, `stimulus 2`, ...), as figures number every channel and choice.
 */
export function columnNames(map: ChannelMap, dim: number): string[] {
  const names = range(0, dim).map((i) => `ch${i}`);
  for (const [name, v] of Object.entries(map)) {
    if (typeof v === "number") names[v] = name;
    else v.forEach((i, k) => (names[i] = v.length === 1 ? name : `${name} ${k + 1}`));
  }
  return names;
}
