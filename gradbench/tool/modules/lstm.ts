/** lstm: `objective` is the loss, `jacobian` its gradient: mainParams' entries, then extraParams'. */
import { objective } from '../../evals/lstm.ts';
import { grad_objective } from '../../evals/lstm.grad.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  main_params: number[][];
  extra_params: number[][];
  state: number[][];
  sequence: number[][];
}

function prepare(input: Input) {
  return () => ({
    l: input.main_params.length / 2,
    b: input.main_params[0]!.length / 4,
    c: input.sequence.length,
    mainParams: Float64Array.from(input.main_params.flat()),
    extraParams: Float64Array.from(input.extra_params.flat()),
    state: Float64Array.from(input.state.flat()),
    sequence: Float64Array.from(input.sequence.flat()),
  });
}

type Prepared = ReturnType<ReturnType<typeof prepare>>;
const args = (p: Prepared) => [p.l, p.c, p.b, p.mainParams, p.extraParams, p.state, p.sequence] as const;

export const module: Module = {
  objective: (input: Input) => repeat(input, prepare(input), (p) => objective(...args(p)), (y) => y),
  jacobian: (input: Input) =>
    repeat(
      input,
      prepare(input),
      (p) => grad_objective(...args(p)),
      (g) => [...g.mainParams, ...g.extraParams],
    ),
};
