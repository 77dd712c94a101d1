/**
 * saddle: x = argmin over x of maxOverY*(x) (the inner max by its own descent), then y = argmax over
 * y of f(x, y), both from `start`. The first letter of each function is the mode of the outer
 * derivatives (the argmin's, and the final argmax's), the second the mode inside maxOverY*.
 */
import { objective } from '../../evals/saddle-objective.ts';
import { grad_objective, jvp_objective } from '../../evals/saddle-objective.grad.ts';
import { maxOverYF, maxOverYR } from '../../evals/saddle.ts';
import { grad_maxOverYF, grad_maxOverYR, jvp_maxOverYF, jvp_maxOverYR } from '../../evals/saddle.grad.ts';
import { multivariateArgmax, multivariateArgmin, type Objective } from '../gd.ts';
import { repeat, type Module, type Runs } from '../protocol.ts';

interface Input extends Runs {
  start: number[];
}

type Mode = 'r' | 'f';

/** maxOverY as a function of x, with its gradient in the outer mode. */
function outer(outerMode: Mode, innerMode: Mode, start: Float64Array): Objective {
  const [s0, s1] = [start[0]!, start[1]!];
  const max = innerMode === 'r' ? maxOverYR : maxOverYF;
  const grad = innerMode === 'r' ? grad_maxOverYR : grad_maxOverYF;
  const jvp = innerMode === 'r' ? jvp_maxOverYR : jvp_maxOverYF;
  return {
    objective: ([x0, x1]) => max(x0!, x1!, s0, s1),
    gradient:
      outerMode === 'r'
        ? ([x0, x1]) => {
            const g = grad(x0!, x1!, s0, s1);
            return Float64Array.of(g.x0, g.x1);
          }
        : ([x0, x1]) => Float64Array.of(jvp(x0!, x1!, s0, s1, 1, 0).tangent, jvp(x0!, x1!, s0, s1, 0, 1).tangent),
  };
}

/** y ↦ f(x, y), with its gradient in the given mode. */
function inner(mode: Mode, x: Float64Array): Objective {
  const [x0, x1] = [x[0]!, x[1]!];
  return {
    objective: ([y0, y1]) => objective(x0, x1, y0!, y1!),
    gradient:
      mode === 'r'
        ? ([y0, y1]) => {
            const g = grad_objective(x0, x1, y0!, y1!);
            return Float64Array.of(g.x2, g.y2);
          }
        : ([y0, y1]) => Float64Array.of(jvp_objective(x0, x1, y0!, y1!, 0, 0, 1, 0).tangent, jvp_objective(x0, x1, y0!, y1!, 0, 0, 0, 1).tangent),
  };
}

function saddle(outerMode: Mode, innerMode: Mode, start: Float64Array): number[] {
  const x = multivariateArgmin(outer(outerMode, innerMode, start), start);
  const y = multivariateArgmax(inner(outerMode, x), start);
  return [x[0]!, x[1]!, y[0]!, y[1]!];
}

const modes: Array<[Mode, Mode]> = [
  ['r', 'r'],
  ['r', 'f'],
  ['f', 'r'],
  ['f', 'f'],
];

export const module: Module = Object.fromEntries(
  modes.map(([o, i]) => [`${o}${i}`, (input: Input) => repeat(input, () => Float64Array.from(input.start), (start) => saddle(o, i, start), (xy) => xy)]),
);
