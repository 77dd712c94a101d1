/**
 * The saddle eval with GradBench's generic solver (cpp/gradbench/gd.hpp, Futhark's solver.fut):
 * argmin and max take the function and its gradient as arguments, and the outer argmin
 * differentiates `max` through the inner descent. Adjoint refuses the function parameters (AD1003)
 * and the closures (AD1102) today.
 */
import { objective } from '../evals/saddle-objective.ts';
import { grad_objective } from '../evals/saddle-objective.grad.ts';

type Fn = (p: number[]) => number;
type Gradient = (p: number[]) => number[];

function magnitude(v: number[]): number {
  let acc = 0;
  for (const x of v) acc += x * x;
  return Math.sqrt(acc);
}

function argmin(f: Fn, gradient: Gradient, start: number[]): number[] {
  let x = start.slice();
  let fx = f(x);
  let gx = gradient(x);
  let i = 0;
  let eta = 1e-5;
  for (;;) {
    if (magnitude(gx) <= 1e-5) return x;
    if (i === 10) {
      eta *= 2;
      i = 0;
    } else {
      const xPrime = x.map((xj, j) => xj - eta * gx[j]!);
      if (magnitude(x.map((xj, j) => xj - xPrime[j]!)) <= 1e-5) return x;
      const fxPrime = f(xPrime);
      if (fxPrime < fx) {
        x = xPrime;
        fx = fxPrime;
        gx = gradient(x);
        i++;
      } else {
        eta /= 2;
        i = 0;
      }
    }
  }
}

function max(f: Fn, gradient: Gradient, start: number[]): number {
  const y = argmin((p) => -f(p), (p) => gradient(p).map((g) => -g), start);
  return f(y);
}

/** @differentiable(forward, wrt: x0, x1) */
export function maxOverY(x0: number, x1: number, start0: number, start1: number): number {
  const f = (y: number[]) => objective(x0, x1, y[0]!, y[1]!);
  const gradientY = (y: number[]) => {
    const g = grad_objective(x0, x1, y[0]!, y[1]!);
    return [g.x2, g.y2];
  };
  return max(f, gradientY, [start0, start1]);
}
