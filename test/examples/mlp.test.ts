/**
 * examples/mlp: the gradient of a small network's mean cross-entropy with respect to every weight
 * and bias, through the helpers batchLoss calls (dense, tanhAll, softmaxCrossEntropy, logits).
 */
import { describe, expect, it } from 'vitest';
import { closeTo } from '../support/finite-difference.js';
import { compileExample, exampleText, expectGradientMatches, exported } from './check.js';

type Params = {
  w1: number[][];
  b1: number[];
  w2: number[][];
  b2: number[];
};
type BatchLoss = (params: Params, inputs: number[][], labels: number[]) => number;
type Grad = (params: Params, inputs: number[][], labels: number[]) => { params: Params };

/** A 2-3-3 network (three classes, so that logits[label] reads each position) and four points. */
const params = (): Params => ({
  w1: [
    [0.8, -0.5],
    [-0.3, 0.9],
    [0.6, 0.4],
  ],
  b1: [0.1, -0.2, 0.05],
  w2: [
    [0.7, -0.4, 0.3],
    [-0.6, 0.5, 0.2],
    [0.1, 0.3, -0.8],
  ],
  b2: [0.05, -0.1, 0.2],
});
const inputs = (): number[][] => [
  [0.3, -0.7],
  [-0.5, 0.2],
  [0.9, 0.4],
  [-0.1, -0.6],
];
const labels = (): number[] => [0, 2, 1, 2];

describe('examples/mlp/network.ts', () => {
  it('batchLoss: the gradient matches finite differences in each of the 30 weights and biases', async () => {
    const compiled = await compileExample('mlp/network.ts');
    expectGradientMatches(compiled, 'batchLoss', ['params'], () => [params(), inputs(), labels()]);
  });

  it('the gradient is shaped like params and leaves the arguments unchanged', async () => {
    const { companion } = await compileExample('mlp/network.ts');
    const args = [params(), inputs(), labels()] as const;
    const { params: grad } = exported<Grad>(companion, 'grad_batchLoss')(...args);
    expect(grad.w1.map((row) => row.length)).toEqual([2, 2, 2]);
    expect(grad.b1).toHaveLength(3);
    expect(grad.w2.map((row) => row.length)).toEqual([3, 3, 3]);
    expect(grad.b2).toHaveLength(3);
    expect(args).toEqual([params(), inputs(), labels()]);
  });

  it('∂loss/∂b2 is the mean of softmax(logits) - onehot(label), by hand', async () => {
    const { source, companion } = await compileExample('mlp/network.ts');
    const logits = exported<(params: Params, input: number[]) => number[]>(source, 'logits');
    const expected = [0, 0, 0];
    inputs().forEach((input, n) => {
      const scores = logits(params(), input);
      const total = scores.reduce((sum, s) => sum + Math.exp(s), 0);
      scores.forEach((s, k) => (expected[k]! += (Math.exp(s) / total - (k === labels()[n] ? 1 : 0)) / inputs().length));
    });
    const { params: grad } = exported<Grad>(companion, 'grad_batchLoss')(params(), inputs(), labels());
    grad.b2.forEach((g, k) => expect(closeTo(g, expected[k]!, 1e-12), `∂/∂b2[${k}]: ${g} vs ${expected[k]}`).toBe(true));
  });

  it('softmaxCrossEntropy stays finite for large logits, and so does its gradient', async () => {
    const { source, companion } = await compileExample('mlp/network.ts');
    const softmaxCrossEntropy = exported<(logits: number[], label: number) => number>(source, 'softmaxCrossEntropy');
    expect(softmaxCrossEntropy([1000, 0], 1)).toBe(1000);
    expect(softmaxCrossEntropy([1000, 0], 0)).toBe(0);
    const huge: Params = { ...params(), b2: [800, -800, 0] };
    const { params: grad } = exported<Grad>(companion, 'grad_batchLoss')(huge, inputs(), labels());
    expect(Object.values(grad).flat(2).every(Number.isFinite)).toBe(true);
    const batchLoss = exported<BatchLoss>(source, 'batchLoss');
    expect(Number.isFinite(batchLoss(huge, inputs(), labels()))).toBe(true);
  });

  it('predict picks the class with the largest logit', async () => {
    const { source } = await compileExample('mlp/network.ts');
    const logits = exported<(params: Params, input: number[]) => number[]>(source, 'logits');
    const predict = exported<(params: Params, input: number[]) => number>(source, 'predict');
    for (const input of inputs()) {
      const scores = logits(params(), input);
      expect(predict(params(), input)).toBe(scores.indexOf(Math.max(...scores)));
    }
  });

  it('the committed companion is up to date', async () => {
    const { text } = await compileExample('mlp/network.ts');
    expect(text).toBe(exampleText('mlp/network.grad.ts'));
  });
});
