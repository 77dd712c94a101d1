/** examples/logistic-growth/fit.ts: a logistic curve fitted to 60 noisy points by Adam. */
import { mulberry32 } from '../../../../examples/mlp/data.ts';
import { Adam } from './adam.ts';
import { exported, type LoadedModules, type Problem } from './problem.ts';

type SquaredError = (capacity: number, rate: number, midpoint: number, t: number, observed: number) => number;
type ValueAndGrad = (...args: Parameters<SquaredError>) => { value: number; grad: { capacity: number; rate: number; midpoint: number } };

const truth = { capacity: 12, rate: 0.9, midpoint: 6 };
const start = [5, 0.3, 3];

export function logisticGrowth(modules: LoadedModules): Problem {
  const squaredError = exported<SquaredError>(modules, 'source', 'squaredError');
  const valueAndGrad = exported<ValueAndGrad>(modules, 'companion', 'valueAndGrad_squaredError');
  const next = mulberry32(42);
  const observations = Array.from({ length: 60 }, (_, i) => {
    const t = (i / 59) * 14;
    const clean = truth.capacity / (1 + Math.exp(-truth.rate * (t - truth.midpoint)));
    return { t, observed: clean + (next() - 0.5) * 0.6 };
  });
  const meanLoss = ([c, r, m]: Iterable<number>) =>
    observations.reduce((sum, o) => sum + squaredError(c!, r!, m!, o.t, o.observed), 0) / observations.length;
  /** The mean loss and its gradient in (capacity, rate, midpoint). */
  const valueAndMeanGradient = ([c, r, m]: Iterable<number>) => {
    let value = 0;
    const gradient = [0, 0, 0];
    for (const o of observations) {
      const result = valueAndGrad(c!, r!, m!, o.t, o.observed);
      value += result.value;
      gradient[0] += result.grad.capacity;
      gradient[1] += result.grad.rate;
      gradient[2] += result.grad.midpoint;
    }
    return { value: value / observations.length, gradient: gradient.map((g) => g / observations.length) };
  };
  const point = Float64Array.from(start);
  const adam = new Adam(3, () => 0.05);
  return {
    steps: 600,
    step() {
      const { value, gradient } = valueAndMeanGradient(point);
      adam.step(point, gradient);
      return value;
    },
    check: {
      inputs: ['capacity', 'rate', 'midpoint'],
      outputs: ['mean loss'],
      point: start,
      evaluate: (p) => [meanLoss(p)],
      jacobian: (p) => [valueAndMeanGradient(p).gradient],
    },
  };
}
