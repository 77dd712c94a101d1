/**
 * GradBench's `saddle` eval: min over x of max over y of f(x, y) (saddle-objective.ts), both by
 * the gradient descent of GradBench's cpp/gradbench/gd.hpp. maxOverY* is the inner max for a given
 * x, found from `start`; the tool minimises it over x by differentiating it with respect to x,
 * through the whole inner descent and the gradients of f that the descent takes: nested AD.
 *
 * The descent is written out here for f, once with each mode for the gradient with respect to y
 * (reverse: grad_objective; forward: jvp_objective along each axis), since a generic
 * argmax(f, gradient, start) taking functions cannot be differentiated yet
 * (gradbench/awaiting-issue-16/saddle.ts is that version). It follows gd.hpp's
 * multivariate_argmax: descent on −f, the step η starting at 1e-5, doubled after 10 accepted
 * steps, halved after a rejected one, stopping when the gradient or the step is below 1e-5.
 */
import { grad_objective, jvp_objective } from './saddle-objective.grad.ts';
import { objective } from './saddle-objective.ts';

function magnitude(v0: number, v1: number): number {
  return Math.sqrt(v0 * v0 + v1 * v1);
}

/** @differentiable(forward, wrt: x0, x1) */
export function maxOverYR(x0: number, x1: number, start0: number, start1: number): number {
  let y0 = start0;
  let y1 = start1;
  // descent on −f: the objective and its gradient with respect to y
  let fy = -objective(x0, x1, y0, y1);
  let g = grad_objective(x0, x1, y0, y1);
  let gy0 = -g.x2;
  let gy1 = -g.y2;
  let i = 0;
  let eta = 1e-5;
  while (true) {
    if (magnitude(gy0, gy1) <= 1e-5) break;
    if (i === 10) {
      eta *= 2;
      i = 0;
    } else {
      const y0Prime = y0 - eta * gy0;
      const y1Prime = y1 - eta * gy1;
      if (magnitude(y0 - y0Prime, y1 - y1Prime) <= 1e-5) break;
      const fyPrime = -objective(x0, x1, y0Prime, y1Prime);
      if (fyPrime < fy) {
        y0 = y0Prime;
        y1 = y1Prime;
        fy = fyPrime;
        g = grad_objective(x0, x1, y0, y1);
        gy0 = -g.x2;
        gy1 = -g.y2;
        i++;
      } else {
        eta /= 2;
        i = 0;
      }
    }
  }
  return objective(x0, x1, y0, y1);
}

/** @differentiable(forward, wrt: x0, x1) */
export function maxOverYF(x0: number, x1: number, start0: number, start1: number): number {
  let y0 = start0;
  let y1 = start1;
  let fy = -objective(x0, x1, y0, y1);
  let gy0 = -jvp_objective(x0, x1, y0, y1, 0, 0, 1, 0).tangent;
  let gy1 = -jvp_objective(x0, x1, y0, y1, 0, 0, 0, 1).tangent;
  let i = 0;
  let eta = 1e-5;
  while (true) {
    if (magnitude(gy0, gy1) <= 1e-5) break;
    if (i === 10) {
      eta *= 2;
      i = 0;
    } else {
      const y0Prime = y0 - eta * gy0;
      const y1Prime = y1 - eta * gy1;
      if (magnitude(y0 - y0Prime, y1 - y1Prime) <= 1e-5) break;
      const fyPrime = -objective(x0, x1, y0Prime, y1Prime);
      if (fyPrime < fy) {
        y0 = y0Prime;
        y1 = y1Prime;
        fy = fyPrime;
        gy0 = -jvp_objective(x0, x1, y0, y1, 0, 0, 1, 0).tangent;
        gy1 = -jvp_objective(x0, x1, y0, y1, 0, 0, 0, 1).tangent;
        i++;
      } else {
        eta /= 2;
        i = 0;
      }
    }
  }
  return objective(x0, x1, y0, y1);
}
