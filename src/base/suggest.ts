/** "Did you mean ...?" for names a user mistypes: task names, config values. */

/** Edit distance (insertions, deletions, substitutions) between `a` and `b`, ignoring case. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let row = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const next = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + cost);
    }
    row = next;
  }
  return row[t.length] as number;
}

/**
 * The candidate closest to `name`, if it is close: at most a third of its length in edits (at
 * least 1), or differing only in case. `undefined` when nothing is close.
 * @example closestName("PerceptualDecisionMakin", ["GoNogo", "PerceptualDecisionMaking"]) // "PerceptualDecisionMaking"
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3));
  for (const c of candidates) {
    const d = distance(name, c);
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `". Did you mean X?"` (to end a message) when a candidate is close to `name`, else `""`. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const close = closestName(name, candidates);
  return close === undefined ? "" : `. Did you mean ${close}?`;
}
