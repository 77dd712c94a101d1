/**
 * particle: the w that makes the particle hit the origin, by gradient descent on
 * intersectionEuler*(w). The first letter of each function is the mode of that descent's
 * derivative (r: grad_, f: jvp_), the second the mode of ∇ₓp inside the Euler steps.
 */
import { intersectionEulerF, intersectionEulerR } from '../../evals/particle.ts';
import { grad_intersectionEulerF, grad_intersectionEulerR, jvp_intersectionEulerF, jvp_intersectionEulerR } from '../../evals/particle.grad.ts';
import { multivariateArgmin, type Objective } from '../gd.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  w: number;
}

const variants: Record<string, Objective> = {
  rr: { objective: ([w]) => intersectionEulerR(w!), gradient: ([w]) => Float64Array.of(grad_intersectionEulerR(w!).w) },
  rf: { objective: ([w]) => intersectionEulerF(w!), gradient: ([w]) => Float64Array.of(grad_intersectionEulerF(w!).w) },
  fr: { objective: ([w]) => intersectionEulerR(w!), gradient: ([w]) => Float64Array.of(jvp_intersectionEulerR(w!, 1).tangent) },
  ff: { objective: ([w]) => intersectionEulerF(w!), gradient: ([w]) => Float64Array.of(jvp_intersectionEulerF(w!, 1).tangent) },
};

export const module: Module = Object.fromEntries(
  Object.entries(variants).map(([name, f]) => [name, (input: Input) => repeat(input, () => input.w, (w) => multivariateArgmin(f, [w])[0]!, (w) => w)]),
);
