/** `braints playground`: serves the browser playground on this machine. */
import { join } from "node:path";
import { Command } from "commander";
import { servePlayground } from "../../app/playground.ts";
import { packageRoot } from "../packageRoot.ts";
import { integer } from "../parse.ts";

/** Where `npm run build:web` writes the page (in a checkout of the repository). */
const BUILT = join(packageRoot(), "web", "dist");

/** The `playground` command. */
export function playgroundCommand(): Command {
  return new Command("playground")
    .description("serve the browser playground (train and inspect models in a tab) with threads enabled")
    .option("--port <n>", "port to listen on", integer("--port", 0), 5180)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--dir <dir>", "the built page (npm run build:web)", BUILT)
    .action(async (options: { port: number; host: string; dir: string }) => {
      const { url } = await servePlayground(options.dir, options.port, options.host);
      console.log(`braints playground: open ${url} (Ctrl-C stops it)`);
    });
}
