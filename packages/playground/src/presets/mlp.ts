/** examples/mlp/train.ts: a 2-32-2 tanh network taught to separate two spirals by Adam. */
import { mulberry32, split, twoSpirals } from '../../../../examples/mlp/data.ts';
import type { Params } from '../../../../examples/mlp/network.ts';
import { initialParams } from '../../../../examples/mlp/weights.ts';
import { Adam } from './adam.ts';
import { exported, spreadIndices, type LoadedModules, type Problem } from './problem.ts';

type BatchLoss = (params: Params, inputs: number[][], labels: number[]) => number;
type ValueAndGrad = (...args: Parameters<BatchLoss>) => { value: number; grad: { params: Params } };

const HIDDEN = 32;
const LEARNING_RATE = 0.03;

/** The vectors of a Params in one list: w1's rows, b1, w2's rows, b2. */
const rowsOf = (p: Params): number[][] => [...p.w1, p.b1, ...p.w2, p.b2];

/** Every number of a Params, in the order of rowsOf. */
const flatten = (p: Params): number[] => rowsOf(p).flat();

/** A copy of `shape` holding the numbers of `flat` (in the order of rowsOf). */
function unflatten(flat: ArrayLike<number>, shape: Params): Params {
  const copy = structuredClone(shape);
  let i = 0;
  for (const row of rowsOf(copy)) for (let j = 0; j < row.length; j++) row[j] = flat[i++]!;
  return copy;
}

/** The names of the numbers of a Params, in the order of rowsOf: w1[0][1], b1[3], … */
function namesOf(p: Params): string[] {
  const matrix = (name: string, m: number[][]) => m.flatMap((row, i) => row.map((_, j) => `${name}[${i}][${j}]`));
  const vector = (name: string, v: number[]) => v.map((_, i) => `${name}[${i}]`);
  return [...matrix('w1', p.w1), ...vector('b1', p.b1), ...matrix('w2', p.w2), ...vector('b2', p.b2)];
}

export function mlp(modules: LoadedModules): Problem {
  const batchLoss = exported<BatchLoss>(modules, 'source', 'batchLoss');
  const valueAndGrad = exported<ValueAndGrad>(modules, 'companion', 'valueAndGrad_batchLoss');
  const random = mulberry32(2024);
  const { train } = split(twoSpirals(150, 1.75, 0.03, random), 0.75, random);
  const initial = initialParams(2, HIDDEN, 2, random);
  const start = flatten(initial);
  const point = Float64Array.from(start);
  const adam = new Adam(point.length, () => LEARNING_RATE);
  return {
    steps: 1000,
    step() {
      const { value, grad } = valueAndGrad(unflatten(point, initial), train.inputs, train.labels);
      adam.step(point, flatten(grad.params));
      return value;
    },
    check: {
      inputs: namesOf(initial),
      outputs: ['batchLoss'],
      point: start,
      evaluate: (p) => [batchLoss(unflatten(p, initial), train.inputs, train.labels)],
      jacobian: (p) => [flatten(valueAndGrad(unflatten(p, initial), train.inputs, train.labels).grad.params)],
      sample: spreadIndices(start.length, 8),
    },
  };
}
