/**
 * The backend-neutral side of residency (see {@link Residency}): the one way the layers above the
 * kernels tell a backend that an array's floats are about to be replaced.
 */
import type { Residency } from "./backend.ts";

/**
 * The residencies of every backend created or made active so far: forgetting reaches them all, not
 * only the active backend's, since a backend used before a switch (or called directly) may still
 * hold a copy that a later call would read.
 */
const residencies: Residency[] = [];

/** @internal Makes {@link forgetResident} reach `residency` from now on (once however often called). */
export function registerResidency(residency: Residency): void {
  if (!residencies.includes(residency)) residencies.push(residency);
}

/**
 * Forgets what any backend keeps of `array`'s floats, which are about to be replaced: a call is
 * about to overwrite it, or it goes back to a buffer pool, to be handed out again as a new array.
 * A later call then copies its new floats in instead of reading the old ones. Identity stands for
 * contents only with this: whatever hands an array out again for other floats calls it first.
 */
export function forgetResident(array: Float32Array): void {
  for (let i = 0; i < residencies.length; i++) residencies[i]!.forget(array);
}
