/** lse: `primal` is log Σ exp(xᵢ), `gradient` its gradient. */
import { primal } from '../../evals/lse.ts';
import { grad_primal } from '../../evals/lse.grad.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  x: number[];
}

const prepare = (input: Input) => () => Float64Array.from(input.x);

export const module: Module = {
  primal: (input: Input) => repeat(input, prepare(input), primal, (y) => y),
  gradient: (input: Input) => repeat(input, prepare(input), (x) => grad_primal(x).x, (g) => Array.from(g)),
};
