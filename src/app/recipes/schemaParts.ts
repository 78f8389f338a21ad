/** Schema pieces every run config shares: bounded counts and seeds. */
import { z } from "zod";

/** An integer in `[1, max]`. */
export const positiveInt = (max: number) => z.number().int().min(1).max(max);

/** A seed: an integer in `[0, 2³² − 1]`. */
export const seed = () =>
  z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1);
