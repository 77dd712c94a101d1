/**
 * examples/hyperparameters: the gradient of the validation error after 200 steps of training with
 * respect to the learning rate and the weight decay, through the generated gradient of the
 * training loss that every step calls (each call reversed by forward over reverse: H·ḡ).
 */
import { compile } from '@adjoint/core';
import { describe, expect, it } from 'vitest';
import { partialAt } from '../support/finite-difference.js';
import { loadModule } from '../support/load.js';
import { exampleText, exported } from './check.js';

const files = ['hyperparameters/model.ts', 'hyperparameters/training.ts'];

async function compiled() {
  // both at once, as `pnpm adjoint examples` does: training.ts reads the companion of model.ts generated in the same run
  const result = await compile(files.map((path) => ({ path, text: exampleText(path) })));
  expect(result.diagnostics).toEqual([]);
  const text = (path: string) => result.outputs.find((o) => o.sourcePath === path)!.text;
  const model = loadModule(exampleText('hyperparameters/model.ts'), 'model.ts');
  const modelGrad = loadModule(text('hyperparameters/model.ts'), 'model.grad.ts');
  const training = loadModule(exampleText('hyperparameters/training.ts'), 'training.ts', { './model.ts': model, './model.grad.ts': modelGrad });
  // (it reverses each call of grad_meanSquaredError through model.grad.ts's adjointOfGrad_meanSquaredError)
  const trainingGrad = loadModule(text('hyperparameters/training.ts'), 'training.grad.ts', { './model.grad.js': modelGrad });
  return { text, training, trainingGrad };
}

type Validation = (...args: Array<number | number[]>) => number;

describe('examples/hyperparameters', () => {
  it('the committed companions are up to date', async () => {
    const { text } = await compiled();
    expect(text('hyperparameters/model.ts')).toBe(exampleText('hyperparameters/model.grad.ts'));
    expect(text('hyperparameters/training.ts')).toBe(exampleText('hyperparameters/training.grad.ts'));
  });

  it('the hypergradient matches finite differences of the whole training run', async () => {
    const { training, trainingGrad } = await compiled();
    const f = exported<Validation>(training, 'validationErrorAfterTraining');
    const grad = exported<(...args: Array<number | number[]>) => { learningRate: number; weightDecay: number }>(trainingGrad, 'grad_validationErrorAfterTraining');
    const xs = [-0.9, -0.55, -0.2, 0.1, 0.35, 0.7, 0.95];
    const ys = xs.map((x) => Math.sin(3 * x) + 0.1 * Math.cos(17 * x));
    const valid = [-0.8, -0.3, 0.0, 0.4, 0.85];
    for (const [eta, lambda] of [
      [0.3, 0.001],
      [0.05, 0.03],
    ] as const) {
      const args = (): Array<number | number[]> => [eta, lambda, [0.1, 0, -0.2, 0.05, 0, 0], xs, ys, valid, valid.map((x) => Math.sin(3 * x)), 40];
      const g = grad(...args());
      for (const [index, key] of [
        [0, 'learningRate'],
        [1, 'weightDecay'],
      ] as const) {
        const numeric = partialAt(f, args(), [index], 1e-5);
        expect(Math.abs(g[key] - numeric) / Math.max(Math.abs(numeric), 1e-9), `${key} at η=${eta}, λ=${lambda}: ${g[key]} vs ${numeric}`).toBeLessThan(1e-6);
      }
    }
  });
});
