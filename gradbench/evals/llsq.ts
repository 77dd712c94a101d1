/**
 * GradBench's `llsq` eval (cpp/gradbench/evals/llsq.hpp, after cmpad's llsq_obj): the linear least
 * squares objective
 *
 *   y(x) = ½ Σᵢ (sᵢ − x₀ − x₁tᵢ − x₂tᵢ² − …)²,  tᵢ = −1 + 2i/(n − 1),  sᵢ = sign(tᵢ)
 *
 * for i < n, with m = x.length coefficients.
 */

function t(i: number, n: number): number {
  return -1 + (i * 2) / (n - 1);
}

function s(ti: number): number {
  return Math.sign(ti);
}

/** @differentiable(wrt: x) */
export function primal(x: Float64Array, n: number): number {
  const m = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const ti = t(i, n);
    let innerSum = s(ti);
    let mul = 1;
    for (let j = 0; j < m; j++) {
      innerSum -= x[j]! * mul;
      mul *= ti;
    }
    sum += innerSum * innerSum;
  }
  return sum / 2;
}
