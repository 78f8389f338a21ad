/** Analysis of trained models and their behaviour: PCA, fixed points, psychometric fits, accuracy tables. */
export { type SymmetricEigen, symmetricEigen } from "./linalg/symmetricEigen.ts";
export { type Complex, modulus, eigenvalues } from "./linalg/eigenvalues.ts";
export { solveLinear } from "./linalg/solve.ts";
export { type PCA, type PCAOptions, pca } from "./pca.ts";
export { type TrajectoryPCA, trajectoryPCA } from "./trajectoryPCA.ts";
