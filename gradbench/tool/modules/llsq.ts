/** llsq: `primal` is y(x), `gradient` its gradient with respect to x. */
import { primal } from '../../evals/llsq.ts';
import { grad_primal } from '../../evals/llsq.grad.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  x: number[];
  n: number;
}

const prepare = (input: Input) => () => ({ x: Float64Array.from(input.x), n: input.n });

export const module: Module = {
  primal: (input: Input) => repeat(input, prepare(input), ({ x, n }) => primal(x, n), (y) => y),
  gradient: (input: Input) => repeat(input, prepare(input), ({ x, n }) => grad_primal(x, n).x, (g) => Array.from(g)),
};
