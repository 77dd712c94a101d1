/**
 * A logistic growth curve, c / (1 + e^(-r·(t - m))): a population that grows quickly, then levels
 * off at its capacity c. r is the growth rate and m the midpoint, when it reaches c/2.
 */

/**
 * The squared error of the curve at one observation (t, observed).
 * @differentiable(wrt: capacity, rate, midpoint)
 */
export function squaredError(capacity: number, rate: number, midpoint: number, t: number, observed: number): number {
  const predicted = capacity / (1 + Math.exp(-rate * (t - midpoint)));
  const residual = predicted - observed;
  return residual * residual;
}
