/**
 * gmm: `objective` is the log-likelihood with its Wishart prior, `jacobian` its gradient with
 * respect to alpha, mu, q and l, shaped like the input's (mu, q and l one row per component).
 */
import { objective } from '../../evals/gmm.ts';
import { grad_objective } from '../../evals/gmm.grad.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  d: number;
  k: number;
  n: number;
  x: number[][];
  m: number;
  gamma: number;
  alpha: number[];
  mu: number[][];
  q: number[][];
  l: number[][];
}

const flat = (rows: number[][]) => Float64Array.from(rows.flat());

function prepare(input: Input) {
  return () => ({
    d: input.d,
    k: input.k,
    n: input.n,
    alpha: Float64Array.from(input.alpha),
    mu: flat(input.mu),
    q: flat(input.q),
    l: flat(input.l),
    x: flat(input.x),
    gamma: input.gamma,
    m: input.m,
  });
}

type Prepared = ReturnType<ReturnType<typeof prepare>>;
const args = (p: Prepared) => [p.d, p.k, p.n, p.alpha, p.mu, p.q, p.l, p.x, p.gamma, p.m] as const;

/** rows of `width` numbers */
function rows(values: Float64Array, width: number): number[][] {
  const out: number[][] = [];
  for (let at = 0; at < values.length; at += width) out.push(Array.from(values.subarray(at, at + width)));
  return out;
}

export const module: Module = {
  objective: (input: Input) => repeat(input, prepare(input), (p) => objective(...args(p)), (y) => y),
  jacobian: (input: Input) =>
    repeat(
      input,
      prepare(input),
      (p) => grad_objective(...args(p)),
      (g) => ({
        alpha: Array.from(g.alpha),
        mu: rows(g.mu, input.d),
        q: rows(g.q, input.d),
        l: input.k === 0 ? [] : rows(g.l, (input.d * (input.d - 1)) / 2),
      }),
    ),
};
