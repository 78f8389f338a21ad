/** Parsers of numeric command-line values with messages that name the option. */
import { InvalidArgumentError } from "commander";

/** An integer option `>= min`. */
export function integer(flag: string, min: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (text.trim() === "" || !Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`${flag} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
    }
    return n;
  };
}
