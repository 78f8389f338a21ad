/**
 * Node-only entry (`braints/node`): file writes and reads, and run directories. The main entry stays browser-safe.
 */
export { saveCheckpoint, loadCheckpoint } from "./io/files.ts";
export { writeFileAtomic } from "./io/atomic.ts";
export { type ConnectomePaths, loadConnectome } from "./io/connectomeFiles.ts";
export { writeFigure } from "./plot/write.ts";
export * from "./app/runs/index.ts";
export * from "./app/sweep/index.ts";
export type { ConnectomeConfig, FitConfig } from "./app/fit/fitRun.ts";
