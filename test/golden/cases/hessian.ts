// @differentiable(hessian): the companion keeps its tapes local so that Adjoint can differentiate
// it again; hvp_f is forward mode over its reverse-mode grad_f, hessian_f one hvp_f per input.
// check: energy([0.3, -0.4, 1.1], 1.5)

/** @differentiable(hessian, wrt: q) */
export function energy(q: number[], stiffness: number): number {
  let e = 0;
  for (let i = 0; i < q.length; i++) e += 0.5 * stiffness * q[i]! * q[i]! + Math.cos(q[i]! * q[(i + 1) % q.length]!);
  return e;
}
