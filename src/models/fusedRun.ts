/** What a cell's fused `sequence` returns, built from the state sequences its kernel computed. */
import { type Tensor, reshape, sliceAxis } from "../core/index.ts";
import { type RunResult, checkRecord } from "./cell.ts";

/**
 * The final state (each state sequence's last step), the outputs (the sequence named `output`)
 * and the traces `record` asks for, from every state leaf's sequence `[T, B, ...]`. The final
 * state is sliced when first read: a classifier's loss reads the outputs alone, and the slices
 * (two operations per state, traced under a gradient) were a few percent of HORN-S0's step.
 */
export function fusedRunResult<S extends Record<string, Tensor>>(
  cellName: string,
  states: S,
  output: keyof S & string,
  record: readonly string[],
): RunResult<S> {
  const traces = Object.fromEntries(
    checkRecord(cellName, states, record).map((k) => [k, states[k] as Tensor]),
  );
  let final: S | undefined;
  return {
    get final() {
      return (final ??= Object.fromEntries(
        Object.entries(states).map(([k, s]) => {
          const T = s.shape[0] as number;
          return [k, reshape(sliceAxis(s, 0, T - 1, T), s.shape.slice(1))];
        }),
      ) as S);
    },
    outputs: states[output] as Tensor,
    traces,
  };
}
