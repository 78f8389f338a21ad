/**
 * The application layer's recipes (`braints/recipes`): run configs and their schemas, and the
 * recipes that turn a config into a trainable setup. Browser-safe; run directories are in `braints/node`.
 */
export * from "./app/recipes/index.ts";
