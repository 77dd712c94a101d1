/**
 * GradBench's `saddle` eval: min over x of max over y of f(x, y) (saddle-objective.ts), both by
 * the gradient descent of GradBench's cpp/gradbench/gd.hpp. maxOverY* is the inner max for a given
 * x, found from `start`; the tool minimises it over x by differentiating it with respect to x,
 * through the whole inner descent and the gradients of f that the descent takes: nested AD.
 *
 * The solver is generic, as gd.hpp and Futhark's solver.fut write it: `argmin(f, gradient, start)`
 * and `max` take the function and its gradient as arguments (Adjoint makes one copy of them per
 * function passed). It follows gd.hpp's multivariate_argmin: the step η starting at 1e-5, doubled
 * after 10 accepted steps, halved after a rejected one, stopping when the gradient or the step is
 * below 1e-5. maxOverYR takes the gradient with respect to y in reverse mode (grad_objective),
 * maxOverYF in forward mode (jvp_objective along each axis).
 */
import { grad_objective, jvp_objective } from './saddle-objective.grad.ts';
import { objective } from './saddle-objective.ts';

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

/** max f = f(argmin(−f)). */
function max(f: Fn, gradient: Gradient, start: number[]): number {
  const y = argmin((p) => -f(p), (p) => gradient(p).map((g) => -g), start);
  return f(y);
}

/** @differentiable(forward, wrt: x0, x1) */
export function maxOverYR(x0: number, x1: number, start0: number, start1: number): number {
  const f = (y: number[]) => objective(x0, x1, y[0]!, y[1]!);
  const gradientY = (y: number[]) => {
    const g = grad_objective(x0, x1, y[0]!, y[1]!);
    return [g.x2, g.y2];
  };
  return max(f, gradientY, [start0, start1]);
}

/** @differentiable(forward, wrt: x0, x1) */
export function maxOverYF(x0: number, x1: number, start0: number, start1: number): number {
  const f = (y: number[]) => objective(x0, x1, y[0]!, y[1]!);
  const gradientY = (y: number[]) => [jvp_objective(x0, x1, y[0]!, y[1]!, 0, 0, 1, 0).tangent, jvp_objective(x0, x1, y[0]!, y[1]!, 0, 0, 0, 1).tangent];
  return max(f, gradientY, [start0, start1]);
}
