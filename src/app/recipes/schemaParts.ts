/** Schema pieces every run config shares: bounded counts and seeds, and building on first use. */
import { z } from "zod";

/**
 * A schema built on its first use and kept, so importing the recipes builds no schema.
 * @example const schema = lazySchema(() => z.strictObject({ n: z.number() })); schema().parse({ n: 1 });
 */
export function lazySchema<S>(build: () => S): () => S {
  let schema: S | undefined;
  return () => (schema ??= build());
}

/** An integer in `[1, max]`. */
export const positiveInt = (max: number) => z.number().int().min(1).max(max);

/** A seed: an integer in `[0, 2³² − 1]`. */
export const seed = () =>
  z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1);
