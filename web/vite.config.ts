/**
 * The playground's build: `npm run build:web` writes a static site to web/dist that any host can
 * serve; `npm run dev:web` serves it with live reload. Both dev and preview servers send the
 * cross-origin-isolation headers, so the training worker gets threads (public/_headers does the same
 * on static hosts).
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** COOP/COEP: what makes a page cross-origin isolated (SharedArrayBuffer, WebAssembly threads). */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  root: here("."),
  base: "./",
  // The page imports braints by its public entry points, resolved as a user's bundler resolves them:
  // through package.json's exports to the built package in dist/ (`npm run build`). The W1 benchmark
  // step (bench/training.ts) imports the package's index by path; it gets the same built entry, so
  // the page holds one copy of braints and one backend.
  resolve: { alias: [{ find: /^\.\.\/src\/index\.ts$/, replacement: "braints" }] },
  worker: { format: "es" },
  build: { outDir: here("dist"), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 4000 },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
});
