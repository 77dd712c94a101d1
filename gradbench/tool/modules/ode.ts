/**
 * ode: `primal` is y(2) after s Runge–Kutta steps, `gradient` the gradient of its last element with
 * respect to x: the vector–Jacobian product with the last unit vector.
 */
import { primal } from '../../evals/ode.ts';
import { vjp_primal } from '../../evals/ode.grad.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  x: number[];
  s: number;
}

function prepare(input: Input) {
  return () => {
    const x = Float64Array.from(input.x);
    const last = new Float64Array(x.length);
    last[x.length - 1] = 1;
    return { x, s: input.s, last };
  };
}

export const module: Module = {
  primal: (input: Input) => repeat(input, prepare(input), ({ x, s }) => primal(x, s), (y) => Array.from(y)),
  gradient: (input: Input) => repeat(input, prepare(input), ({ x, s, last }) => vjp_primal(x, s, last).xi, (g) => Array.from(g)),
};
