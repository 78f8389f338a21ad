/** The entry point of the `braints` command (see `bin/braints.js`), and of its training process. */
import { main } from "./program.ts";
import { isTrainChild, serveTrainJob } from "./trainProcess.ts";

await (isTrainChild() ? serveTrainJob() : main());
