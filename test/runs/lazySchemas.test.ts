/**
 * Importing `braints/recipes` builds no config schema: zod's object constructors are counted, and
 * stay uncalled until a config is parsed; the schemas are then built once and kept.
 */
import { describe, expect, it, vi } from "vitest";

const built = vi.hoisted(() => ({ objects: 0 }));

vi.mock("zod", async (importOriginal) => {
  const zod = await importOriginal<typeof import("zod")>();
  const counted =
    <F extends (...args: never[]) => unknown>(f: F) =>
    (...args: Parameters<F>): ReturnType<F> => {
      built.objects++;
      return f(...args) as ReturnType<F>;
    };
  return {
    ...zod,
    z: { ...zod.z, strictObject: counted(zod.z.strictObject), looseObject: counted(zod.z.looseObject) },
  };
});

describe("config schemas", () => {
  it("are built on the first parse, not at import, and only once", async () => {
    const recipes = await import("../../src/recipes.ts");
    expect(built.objects).toBe(0);
    expect(recipes.parseRunConfig({}).kind).toBe("supervised");
    const afterFirst = built.objects;
    expect(afterFirst).toBeGreaterThan(0);
    expect(recipes.parseRunConfig({ kind: "spiking" }).kind).toBe("spiking");
    expect(recipes.parseRunConfig({ kind: "forecast" }).kind).toBe("forecast");
    const afterAll = built.objects;
    recipes.parseRunConfig({ model: { hidden: 8 } });
    recipes.parseRunConfig({ kind: "spiking" });
    expect(built.objects).toBe(afterAll);
  });
});
