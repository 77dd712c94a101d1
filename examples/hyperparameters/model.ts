/**
 * A polynomial model on [-1, 1]: y(x) = Σⱼ wⱼ·Tⱼ(x), with the Chebyshev polynomials
 * T₀ = 1, T₁ = x, Tⱼ₊₁ = 2x·Tⱼ − Tⱼ₋₁ as features (they keep gradient descent well conditioned).
 */

/** The model's prediction at x. */
export function predict(w: number[], x: number): number {
  let previous = 1;
  let current = x;
  let y = w[0]!;
  for (let j = 1; j < w.length; j++) {
    y += w[j]! * current;
    const following = 2 * x * current - previous;
    previous = current;
    current = following;
  }
  return y;
}

/**
 * The mean squared error of the model on the points (xs[i], ys[i]). Marked `hessian`, so that its
 * companion is written in the subset Adjoint accepts: training.ts differentiates through
 * grad_meanSquaredError again.
 * @differentiable(hessian, wrt: w)
 */
export function meanSquaredError(w: number[], xs: number[], ys: number[]): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) {
    const residual = predict(w, xs[i]!) - ys[i]!;
    total += residual * residual;
  }
  return total / xs.length;
}
