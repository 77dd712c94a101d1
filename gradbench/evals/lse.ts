/**
 * GradBench's `lse` eval (cpp/gradbench/evals/lse.hpp): log Σᵢ exp(xᵢ), computed with the
 * log-sum-exp trick, A + log Σᵢ exp(xᵢ − A) with A = maxᵢ xᵢ, from its primitive parts.
 */

/** @differentiable */
export function primal(x: Float64Array): number {
  const n = x.length;
  let A = x[0]!;
  for (let i = 1; i < n; i++) {
    A = Math.max(A, x[i]!);
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += Math.exp(x[i]! - A);
  }
  return Math.log(s) + A;
}
