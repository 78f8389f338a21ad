/** The entry point of the `braints` command (see `bin/braints.js`). */
import { main } from "./program.ts";

await main();
