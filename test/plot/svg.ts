/** Reading the structure of a Vega SVG in tests: its mark groups and the items each one drew. */

/** A leaf mark group of a rendered Vega scene. */
export interface MarkGroup {
  /** Vega mark type: line, symbol, rect, rule, text, area, ... */
  readonly type: string;
  /** The role and name classes, e.g. "role-mark layer_0_marks". */
  readonly classes: string;
  /** How many SVG items (paths, lines, texts) the group holds: one per mark item. */
  readonly items: number;
}

/** A leaf mark group: not a `mark-group` (those nest), so its items end at the first `</g>`. */
const GROUP = /<g class="mark-(?!group)(\w+) (role-[^"]*)"[^>]*>(.*?)<\/g>/gs;
const ITEM = /<(path|line|text|rect|circle)\b/g;

/** The leaf mark groups (data marks, axes, legends, titles) in document order. */
export function markGroups(svg: string): MarkGroup[] {
  return [...svg.matchAll(GROUP)].map((m) => ({
    type: m[1] as string,
    classes: m[2] as string,
    items: (m[3] as string).match(ITEM)?.length ?? 0,
  }));
}

/** The data marks (role "mark") of the given type, one entry per group. */
export function dataMarks(svg: string, type: string): MarkGroup[] {
  return markGroups(svg).filter((g) => g.type === type && g.classes.startsWith("role-mark"));
}

/** Total items over all data marks of a type. */
export function countItems(svg: string, type: string): number {
  return dataMarks(svg, type).reduce((n, g) => n + g.items, 0);
}

/** The texts of the title marks (figure titles and subtitles). */
export function titles(svg: string): string[] {
  return [...svg.matchAll(/class="mark-text role-title-text"[^>]*>\s*<text[^>]*>(.*?)<\/text>/gs)].map(
    (m) => m[1] as string,
  );
}

/** The distinct fill colours of the items of the data mark group named `name` (e.g. "concat_0_marks"). */
export function markFills(svg: string, name: string): Set<string> {
  const group = [...svg.matchAll(GROUP)].find((m) => (m[2] as string) === `role-mark ${name}`);
  if (!group) throw new Error(`no data mark group ${name}`);
  return new Set([...(group[3] as string).matchAll(/fill="([^"]+)"/g)].map((f) => f[1] as string));
}
