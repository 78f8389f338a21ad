/** The optimizer a run config names. */
import { adam, adamw } from "../../optim/adam.ts";
import type { Optimizer } from "../../optim/optimizer.ts";
import { rmsprop } from "../../optim/rmsprop.ts";
import { sgd } from "../../optim/sgd.ts";
import type { SupervisedConfig } from "./config.ts";

/** Builds the optimizer of `training` (`adam`, `adamw`, `sgd` or `rmsprop`) at its learning rate. */
export function configuredOptimizer(
  training: Pick<SupervisedConfig["training"], "optimizer" | "lr">,
): Optimizer {
  const options = { lr: training.lr };
  switch (training.optimizer) {
    case "adam":
      return adam(options);
    case "adamw":
      return adamw(options);
    case "sgd":
      return sgd(options);
    case "rmsprop":
      return rmsprop(options);
  }
}
