/**
 * The particle's Euler loop once, with the gradient of the potential as a parameter (the C++
 * tools' driver template parameter, Futhark's `grad`). Adjoint refuses a parameter of a function
 * type today (AD1003).
 */
import { grad_potential, jvp_potential } from '../evals/particle-potential.grad.ts';

const DELTA_T = 0.1;

type GradPotential = (x1: number, x2: number, w: number) => { x1: number; x2: number };

export const reverse: GradPotential = (x1, x2, w) => grad_potential(x1, x2, w);
export const forward: GradPotential = (x1, x2, w) => ({ x1: jvp_potential(x1, x2, w, 1, 0).tangent, x2: jvp_potential(x1, x2, w, 0, 1).tangent });

/** @differentiable(forward, wrt: w) */
export function intersectionEuler(w: number, gradPotential: GradPotential): number {
  let x1 = 0;
  let x2 = 8;
  let v1 = 0.75;
  let v2 = 0;
  let counter = 0;
  while (counter < 1_000_000) {
    counter++;
    const dp = gradPotential(x1, x2, w);
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
