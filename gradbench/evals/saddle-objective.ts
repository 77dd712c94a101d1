/**
 * The function of GradBench's `saddle` eval (cpp/gradbench/evals/saddle.hpp):
 * f(x1, y1, x2, y2) = (x1² + y1²) − (x2² + y2²), called as f(x[0], x[1], y[0], y[1]), so that x is
 * minimised and y maximised. `hessian` makes the companion differentiable again, so that saddle.ts
 * can be differentiated through its calls.
 */

/** @differentiable(forward, hessian) */
export function objective(x1: number, y1: number, x2: number, y2: number): number {
  return x1 * x1 + y1 * y1 - (x2 * x2 + y2 * y2);
}
