/**
 * GradBench's `particle` eval: a charged particle starts at (0, 8) with velocity (0.75, 0) and
 * moves by naive Euler steps (Δt = 0.1) under the force −∇ₓp of particle-potential.ts until it
 * crosses the x axis; the result is the square of where it crosses (linear interpolation of the
 * last step). The tool minimises it over w by gradient descent, differentiating these functions
 * with respect to w: nested AD, since each step takes a gradient of p itself.
 *
 * The Euler loop is written twice, once with each mode for ∇ₓp (reverse: grad_potential;
 * forward: jvp_potential along each axis), since the mode cannot be passed in as a function yet
 * (gradbench/awaiting-issue-16/particle.ts is the version that takes it as a parameter).
 */
import { grad_potential, jvp_potential } from './particle-potential.grad.ts';

const DELTA_T = 0.1;

/** @differentiable(forward) */
export function intersectionEulerR(w: number): number {
  let x1 = 0;
  let x2 = 8;
  let v1 = 0.75;
  let v2 = 0;
  let counter = 0;
  while (counter < 1_000_000) {
    counter++;
    const dp = grad_potential(x1, x2, w);
    // acceleration = −∇p (unit mass and charge); x ← x + Δt·v, v ← v + Δt·a
    const x1Next = x1 + DELTA_T * v1;
    const x2Next = x2 + DELTA_T * v2;
    const v1Next = v1 + DELTA_T * -dp.x1;
    const v2Next = v2 + DELTA_T * -dp.x2;
    if (x2Next < 0) break;
    x1 = x1Next;
    x2 = x2Next;
    v1 = v1Next;
    v2 = v2Next;
  }
  const dtFinal = -x2 / v2;
  const x1Final = x1 + dtFinal * v1;
  return x1Final * x1Final;
}

/** @differentiable(forward) */
export function intersectionEulerF(w: number): number {
  let x1 = 0;
  let x2 = 8;
  let v1 = 0.75;
  let v2 = 0;
  let counter = 0;
  while (counter < 1_000_000) {
    counter++;
    const dpdx1 = jvp_potential(x1, x2, w, 1, 0).tangent;
    const dpdx2 = jvp_potential(x1, x2, w, 0, 1).tangent;
    const x1Next = x1 + DELTA_T * v1;
    const x2Next = x2 + DELTA_T * v2;
    const v1Next = v1 + DELTA_T * -dpdx1;
    const v2Next = v2 + DELTA_T * -dpdx2;
    if (x2Next < 0) break;
    x1 = x1Next;
    x2 = x2Next;
    v1 = v1Next;
    v2 = v2Next;
  }
  const dtFinal = -x2 / v2;
  const x1Final = x1 + dtFinal * v1;
  return x1Final * x1Final;
}
