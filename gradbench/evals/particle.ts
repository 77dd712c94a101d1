/**
 * GradBench's `particle` eval: a charged particle starts at (0, 8) with velocity (0.75, 0) and
 * moves by naive Euler steps (Δt = 0.1) under the force −∇ₓp of particle-potential.ts until it
 * crosses the x axis; the result is the square of where it crosses (linear interpolation of the
 * last step). The tool minimises it over w by gradient descent, differentiating these functions
 * with respect to w: nested AD, since each step takes a gradient of p itself.
 *
 * The Euler loop is written once, taking ∇ₓp as a parameter (the C++ tools' driver template
 * parameter, Futhark's `grad`); intersectionEulerR passes it in reverse mode (grad_potential),
 * intersectionEulerF in forward mode (jvp_potential along each axis). Adjoint makes a copy of the
 * loop for each.
 */
import { grad_potential, jvp_potential } from './particle-potential.grad.ts';

const DELTA_T = 0.1;

type GradPotential = (x1: number, x2: number, w: number) => { x1: number; x2: number };

function reverse(x1: number, x2: number, w: number): { x1: number; x2: number } {
  return grad_potential(x1, x2, w);
}

function forward(x1: number, x2: number, w: number): { x1: number; x2: number } {
  return { x1: jvp_potential(x1, x2, w, 1, 0).tangent, x2: jvp_potential(x1, x2, w, 0, 1).tangent };
}

function intersectionEuler(w: number, gradPotential: GradPotential): number {
  let x1 = 0;
  let x2 = 8;
  let v1 = 0.75;
  let v2 = 0;
  let counter = 0;
  while (counter < 1_000_000) {
    counter++;
    const dp = gradPotential(x1, x2, w);
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
export function intersectionEulerR(w: number): number {
  return intersectionEuler(w, reverse);
}

/** @differentiable(forward) */
export function intersectionEulerF(w: number): number {
  return intersectionEuler(w, forward);
}
