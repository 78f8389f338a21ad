import { expect, it } from "vitest";
import { sourceHash } from "../../../scripts/build-wasm.ts";
import { SOURCE_HASH } from "./kernels.generated.ts";

it("the committed WASM module was built from the current kernel sources (else run `npm run build:wasm`)", () => {
  expect(SOURCE_HASH).toBe(sourceHash());
});
