/** Accuracy broken down by the value of a trial condition (coherence, delay, ...). */
import { ValueError } from "../../base/errors.ts";

/** One evaluated trial: whether it was correct, and the conditions it ran under (as `evaluateTrials` records). */
export interface ScoredTrial {
  readonly correct: boolean;
  readonly conditions: Readonly<Record<string, unknown>>;
}

/** A condition value that can label a group. */
export type ConditionValue = number | string | boolean;

/** Accuracy at one value of a condition. */
export interface ConditionAccuracy {
  readonly value: ConditionValue;
  /** Number of trials with this value. */
  readonly n: number;
  /** Number of correct trials. */
  readonly correct: number;
  /** `correct / n`. */
  readonly accuracy: number;
  /** Binomial standard error `sqrt(a (1 − a) / n)`. */
  readonly se: number;
}

/**
 * Accuracy per value of the condition `name`, values in increasing order (numbers numerically,
 * others lexically). Every record must carry the condition as a number, string or boolean.
 * @example accuracyBy(records, "coherence") // [{ value: 0, n: 212, correct: 108, accuracy: 0.51, se: 0.034 }, ...]
 */
export function accuracyBy(records: readonly ScoredTrial[], name: string): ConditionAccuracy[] {
  const groups = new Map<ConditionValue, { n: number; correct: number }>();
  records.forEach((r, i) => {
    const value = r.conditions[name];
    if (typeof value !== "number" && typeof value !== "string" && typeof value !== "boolean") {
      throw new ValueError(
        `accuracyBy: every record needs condition '${name}' as a number, string or boolean, record ${i} has ${String(value)}`,
      );
    }
    const g = groups.get(value) ?? { n: 0, correct: 0 };
    g.n += 1;
    g.correct += r.correct ? 1 : 0;
    groups.set(value, g);
  });
  const order = (a: ConditionValue, b: ConditionValue) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
  return [...groups.entries()]
    .sort(([a], [b]) => order(a, b))
    .map(([value, { n, correct }]) => {
      const accuracy = correct / n;
      return { value, n, correct, accuracy, se: Math.sqrt((accuracy * (1 - accuracy)) / n) };
    });
}
