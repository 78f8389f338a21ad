#!/usr/bin/env node
// The braints command: registers tsx so Node runs the TypeScript sources directly, then starts the CLI.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
