#!/usr/bin/env node
// The braints command: runs the compiled CLI in dist/ (`npm run build`; `npm install` runs it in a checkout).
if (typeof process.getBuiltinModule !== "function") {
  console.error(
    `braints: needs Node.js >= 20.16 (for process.getBuiltinModule), got Node.js ${process.versions.node}`,
  );
  process.exit(1);
}
await import("../dist/cli/main.js");
