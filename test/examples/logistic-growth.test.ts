/** examples/logistic-growth: the gradient of one observation's squared error. */
import { describe, expect, it } from 'vitest';
import { compileExample, exampleText, expectGradientMatches } from './check.js';

describe('examples/logistic-growth/model.ts', () => {
  it('squaredError: the gradient matches finite differences', async () => {
    const compiled = await compileExample('logistic-growth/model.ts');
    expectGradientMatches(compiled, 'squaredError', ['capacity', 'rate', 'midpoint'], () => [5, 0.3, 3, 4.2, 7.1]);
  });

  it('the committed companion is up to date', async () => {
    const { text } = await compileExample('logistic-growth/model.ts');
    expect(text).toBe(exampleText('logistic-growth/model.grad.ts'));
  });
});
