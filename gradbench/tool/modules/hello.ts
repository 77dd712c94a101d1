/** hello: `square` is x², `double` its derivative 2x (no repetition fields: each runs once). */
import { square } from '../../evals/hello.ts';
import { grad_square } from '../../evals/hello.grad.ts';
import { repeat, type Module } from '../protocol.ts';

const once = { min_runs: 1, min_seconds: 0 };

export const module: Module = {
  square: (x: number) => repeat(once, () => x, square, (y) => y),
  double: (x: number) => repeat(once, () => x, (x) => grad_square(x).x, (y) => y),
};
