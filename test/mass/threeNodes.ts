/** The 3-node delayed network the mass tests share: coupling weights and tract lengths (mm). */
export const weights = [
  [0, 0.6, 0.3],
  [0.4, 0, 0.7],
  [0.5, 0.2, 0],
];
export const lengths = [
  [0, 10, 20],
  [10, 0, 15],
  [20, 15, 0],
];
