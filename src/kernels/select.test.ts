import { afterEach, describe, expect, it, vi } from "vitest";
import { ValueError } from "../base/errors.ts";
import { jsBackend } from "./js/backend.ts";
import { relaxedSimdSupported } from "./wasm/loader.ts";
import {
  createBackend,
  defaultThreads,
  getBackend,
  initBackend,
  setBackend,
  type BackendName,
} from "./select.ts";

/** A backend's name: the relaxed-SIMD (FMA) build is the default wherever it compiles. */
const built = (name: string) => name + (relaxedSimdSupported() ? "+fma" : "");

describe("backend selection", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("defaults to the fastest backend that works here and keeps it", () => {
    const backend = getBackend();
    expect(["wasm-mt", "wasm"].map(built)).toContain(backend.name);
    expect(getBackend()).toBe(backend);
  });

  it("switches by name or to a given object", () => {
    expect(setBackend("js")).toBe(jsBackend);
    expect(getBackend()).toBe(jsBackend);
    expect(setBackend("wasm").name).toBe(built("wasm"));
    const custom = { ...jsBackend, name: "custom" };
    setBackend(custom);
    expect(getBackend()).toBe(custom);
  });

  it("takes the thread count from the option, then BRAINTS_THREADS, then the cores (at most 2)", () => {
    expect(createBackend("wasm-mt", { threads: 3 }).threads).toBe(3);
    vi.stubEnv("BRAINTS_THREADS", "1");
    expect(defaultThreads()).toBe(1);
    expect(createBackend("wasm-mt").threads).toBe(1);
    vi.stubEnv("BRAINTS_THREADS", "");
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    expect(defaultThreads()).toBeLessThanOrEqual(2);
  });

  it("compiles asynchronously when initialised, for browsers' main threads", async () => {
    expect((await initBackend("wasm")).name).toBe(built("wasm"));
    expect(getBackend().name).toBe(built("wasm"));
    expect(["wasm-mt", "wasm"].map(built)).toContain((await initBackend()).name);
  });

  it("takes the plain SIMD build when told to, by option or BRAINTS_RELAXED_SIMD=0", () => {
    expect(createBackend("wasm", { relaxedSimd: false }).name).toBe("wasm");
    vi.stubEnv("BRAINTS_RELAXED_SIMD", "0");
    expect(createBackend("wasm").name).toBe("wasm");
  });

  it("names the accepted backends when given an unknown one", () => {
    expect(() => setBackend("gpu" as BackendName)).toThrow(
      new ValueError('setBackend: name must be one of js, wasm, wasm-mt, got "gpu"'),
    );
  });
});
