/**
 * The electric potential of GradBench's `particle` eval (after Siskind and
 * Pearlmutter): two unit charges at (10, 0) and (10, 10 − w), seen from (x1, x2). The particle's
 * acceleration is −∇ₓp, which particle.ts takes in reverse mode (grad_potential) or forward mode
 * (jvp_potential, once per direction). `hessian` makes the companion differentiable again, so that
 * particle.ts can be differentiated with respect to w through those calls.
 */

function dist(a1: number, a2: number, b1: number, b2: number): number {
  return Math.sqrt((b1 - a1) * (b1 - a1) + (b2 - a2) * (b2 - a2));
}

/** @differentiable(forward, hessian, wrt: x1, x2) */
export function potential(x1: number, x2: number, w: number): number {
  const distL = dist(x1, x2, 10, 0);
  const distR = dist(x1, x2, 10, 10 - w);
  return 1 / distL + 1 / distR;
}
