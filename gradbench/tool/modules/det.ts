/** det: `primal` is det A (A row-major, ℓ × ℓ), `gradient` its gradient, row-major. */
import { primal } from '../../evals/det.ts';
import { grad_primal } from '../../evals/det.grad.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  A: number[];
  ell: number;
}

const prepare = (input: Input) => () => ({ A: Float64Array.from(input.A), ell: input.ell });

export const module: Module = {
  primal: (input: Input) => repeat(input, prepare(input), ({ A, ell }) => primal(A, ell), (y) => y),
  gradient: (input: Input) => repeat(input, prepare(input), ({ A, ell }) => grad_primal(A, ell).A, (g) => Array.from(g)),
};
