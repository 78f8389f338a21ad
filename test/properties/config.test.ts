/**
 * The run-config parser, property-based: any JSON is either a config or a ConfigError (never
 * another error); a config it accepts is complete (parsing it again gives it back) and JSON; and a
 * value outside a field's range is refused with a message naming that field and the value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, parseRunConfig } from "../../src/app/recipes/parseConfig.ts";
import { MODEL_TYPES, OPTIMIZERS } from "../../src/app/recipes/config.ts";

// A fixed seed: the same cases on every run, so a failure reproduces (change it to explore others).
fc.configureGlobal({ seed: 20261203 });

/** Parses `input`; a thrown error must be a ConfigError. */
function parseOrRefuse(input: unknown) {
  try {
    return parseRunConfig(input);
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(ConfigError);
    return undefined;
  }
}

/** Partial supervised configs with valid values, some fields left to their defaults. */
const validSupervised = fc.record(
  {
    model: fc.record(
      {
        type: fc.constantFrom(...MODEL_TYPES),
        hidden: fc.integer({ min: 1, max: 256 }),
        tauMs: fc.double({ min: 20, max: 1000, noNaN: true }),
        sigmaRec: fc.double({ min: 0, max: 1, noNaN: true }),
      },
      { requiredKeys: [] },
    ),
    training: fc.record(
      {
        epochs: fc.integer({ min: 1, max: 100 }),
        stepsPerEpoch: fc.integer({ min: 1, max: 1000 }),
        batchSize: fc.integer({ min: 1, max: 512 }),
        optimizer: fc.constantFrom(...OPTIMIZERS),
        lr: fc.double({ min: 1e-6, max: 10, noNaN: true }),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** A field, a value it must refuse, and the words of the rule. */
const invalidField = fc.oneof(
  fc.tuple(fc.constant("model.hidden"), fc.integer({ max: 0 })),
  fc.tuple(fc.constant("model.hidden"), fc.double({ min: 1.01, max: 100, noInteger: true })),
  fc.tuple(fc.constant("model.tauMs"), fc.double({ max: 0, noNaN: true })),
  fc.tuple(fc.constant("training.lr"), fc.double({ min: 10.01, max: 1e6, noNaN: true })),
  fc.tuple(fc.constant("training.epochs"), fc.string()),
  fc.tuple(
    fc.constant("training.optimizer"),
    fc.string().filter((s) => !(OPTIMIZERS as readonly string[]).includes(s)),
  ),
);

describe("the config parser, property-based", () => {
  it("takes any JSON to a config or a ConfigError", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => void parseOrRefuse(input)),
      { numRuns: 500 },
    );
    // Objects with the config's own section names are the interesting inputs.
    const sections = fc.dictionary(
      fc.constantFrom("kind", "task", "model", "training", "evaluation", "data", "series"),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(sections, (input) => void parseOrRefuse(input)),
      { numRuns: 500 },
    );
  });

  it("accepts valid values and resolves them into a complete config that parses to itself", () => {
    fc.assert(
      fc.property(validSupervised, (input) => {
        const config = parseRunConfig(input);
        expect(config).toMatchObject(input);
        expect(parseRunConfig(config)).toEqual(config);
        expect(JSON.parse(JSON.stringify(config))).toEqual(config);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a value outside a field's range, naming the field and the value", () => {
    fc.assert(
      fc.property(validSupervised, invalidField, (input, [path, value]) => {
        const [section, key] = path.split(".") as [string, string];
        const bad = { ...input, [section]: { ...(input as Record<string, object>)[section], [key]: value } };
        expect(() => parseRunConfig(bad)).toThrow(ConfigError);
        expect(() => parseRunConfig(bad)).toThrow(`config: ${path} must`);
        expect(() => parseRunConfig(bad)).toThrow(`got ${JSON.stringify(value)}`);
      }),
      { numRuns: 300 },
    );
  });
});
