/** The standard normal distribution to double precision, for probit fits. */

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * The complementary error function `erfc(x) = 2/√π ∫ₓ^∞ e^{−t²} dt`, to about 1e-15 relative error:
 * the all-positive Taylor series of erf for |x| < 2.5 and a continued fraction for the tail beyond.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    // erf(x) = 2/√π e^{−x²} Σₙ 2ⁿ x^{2n+1} / (1·3·…·(2n+1))
    let term = x;
    let total = x;
    for (let n = 1; term > total * 1e-17; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      total += term;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x * x) * total;
  }
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the back.
  let tail = x;
  for (let k = 60; k >= 1; k--) tail = x + k / 2 / tail;
  return Math.exp(-x * x) / SQRT_PI / tail;
}

/** The standard normal CDF `Φ(z) = ½ erfc(−z / √2)`. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** The standard normal density `φ(z) = e^{−z²/2} / √(2π)`. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}
