/**
 * Classes (2-lower/methods.ts): each marked method of classes-case.ts.txt is checked at several
 * points by expectModesAgree (value exactly the method's, the gradient against central
 * differences, forward mode against differences and the gradient), called on its instance; and
 * what the companion's functions look like: the instance first, typed by the fields read.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource, type Compiled } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { methodAsFunction } from '../support/methods.js';
import { expectModesAgree } from '../support/modes-check.js';
import { functionText } from '../support/gradient-check.js';

const read = (file: string) => readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8');
const classes = (): Promise<Compiled> => compileSource(read('./classes-case.ts.txt'), 'classes.ts');

const layer = () => ({ weights: [[0.3, -0.8, 0.5], [1.1, 0.2, -0.4]], bias: [0.1, -0.3] });

interface Point {
  /** `Class.method`. */
  method: string;
  isStatic?: boolean;
  /** The parameters differentiated, by name (`this` for the instance). */
  wrt: string[];
  params: string[];
  args: Array<() => Argument[]>;
}

const points: Point[] = [
  { method: 'Stats.mean', isStatic: true, params: ['v'], wrt: ['v'], args: [() => [[0.5, -1.2, 2]]] },
  { method: 'Linear.loss', params: ['this', 'x', 'target'], wrt: ['this', 'x'], args: [() => [layer(), [0.7, -0.2, 1.3], [0.2, -0.5]], () => [layer(), [-1.1, 0.4, 0.3], [0.9, 0.1]]] },
  { method: 'Linear.penalty', params: ['this', 'scale'], wrt: ['this'], args: [() => [layer(), 0.7]] },
  { method: 'Linear.response', params: ['this', 'x'], wrt: ['x'], args: [() => [layer(), [0.7, -0.2, 1.3]]] },
  { method: 'Softplus.total', params: ['this', 'v'], wrt: ['this', 'v'], args: [() => [{ steepness: 1.5, offset: 0.25 }, [0.4, -0.9]], () => [{ steepness: 0.7, offset: -1 }, [1.2, 0.3, -0.2]]] },
  { method: 'Series.horner', params: ['this', 'x', 'k'], wrt: ['this', 'x'], args: [() => [{ coef: [0.5, -0.25, 0.125] }, 0.7, 0], () => [{ coef: [1.5, 2, -1, 0.3] }, -1.3, 1]] },
  { method: 'Counter.scaled', params: ['this', 'x'], wrt: ['this', 'x'], args: [() => [{ calls: 2, scale: [1.5, -0.5] }, 0.8]] },
];

describe.each(points)('$method', ({ method, isStatic, params, wrt, args }) => {
  const [className, methodName] = method.split('.') as [string, string];
  it.each(args.map((a, i) => [i, a] as const))('matches finite differences and forward mode at point %i', async (_, point) => {
    const compiled = await classes();
    const f = methodAsFunction(compiled.source, className, methodName, { isStatic });
    expectModesAgree(compiled, `${className}_${methodName}`, point, { f, params, wrt, context: ` at ${JSON.stringify(point())}` });
  });
});

// A module function named as a method's companion functions are (Linear_loss for Linear.loss):
// the call of the function was once taken for a call of the method, which the companion then
// called with the function's arguments.
const clashing = `function Linear_loss(x: number): number {
  return Math.sin(x);
}

export class Linear {
  w = [1.5, -0.5];

  /** @differentiable(wrt: x, this) */
  loss(x: number): number {
    return this.w[0]! * x * x + this.w[1]! * Linear_loss(x);
  }
}
`;

describe('a module function named like a method\'s companion functions', () => {
  it.each([0.3, -1.2])('is called as itself, at x = %f', async (x) => {
    const compiled = await compileSource(clashing, 'clashing.ts');
    const f = methodAsFunction(compiled.source, 'Linear', 'loss');
    expectModesAgree(compiled, 'Linear_loss', () => [{ w: [1.5, -0.5] }, x], { f, params: ['this', 'x'], wrt: ['this', 'x'] });
  });
});

describe('what is generated', () => {
  it('takes the instance first, typed by the fields the method and the methods it calls read', async () => {
    const { text } = await classes();
    // label, a string no method reads, is not part of it
    expect(functionText(text, 'grad_Linear_loss')).toMatch(/grad_Linear_loss\(\s*self: \{ weights: number\[\]\[\]; bias: number\[\] \},\s*x: number\[\],\s*target: number\[\],?\s*\): \{ this: \{ weights: Array<number\[\]>; bias: number\[\] \}; x: number\[\] \}/);
    expect(text).toMatch(/function valueAndGrad_Stats_mean\(v: number\[\]\)/);
  });

  it('calls the override of the marked method\'s class through this', async () => {
    const { text } = await classes();
    // energy, inherited from Activation, calls Softplus's activate on a Softplus
    expect(functionText(text, 'backprop_Softplus_total')).toMatch(/Math\.log1p/);
    expect(functionText(text, 'backprop_Softplus_total')).not.toMatch(/Math\.tanh/);
  });
});
