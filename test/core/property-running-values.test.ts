/**
 * Property test for running values (phases/4-differentiate/running-values.ts): random functions
 * that walk an array with an index carried around a loop, advanced by inner loops of various
 * starts, bounds and steps, by branches and by plain steps, sometimes read by the loop's body
 * itself (then it is taped) and sometimes from a fractional start (then no element is read, in f
 * as in the gradient). Each function's value must be exactly f's, and its gradient must match
 * central differences wherever f is finite. A share of the functions must actually have a
 * running value, so that the test keeps testing it.
 *
 * Reproduce with ADJOINT_PROPERTY_SEED=<seed>; ADJOINT_PROPERTY_RUNS sets the number of functions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectValueAndGradientAt, functionText } from '../support/gradient-check.js';

const SEED = Number(process.env.ADJOINT_PROPERTY_SEED ?? 20_261_128);
const RUNS = Number(process.env.ADJOINT_PROPERTY_RUNS ?? 240);
const BATCH = 60;

const choice = <T>(...values: T[]) => fc.constantFrom(...values);

// Every index stays inside w (300 elements from 150, at most 6 outer iterations of at most 15 steps).
const recipe = fc.record({
  start: choice('150', '150', 'offset + 150', 'n * 10 + 100', '150.5'),
  outerBound: choice('n', 'x.length'),
  before: choice('', '', '', 'idx += 2;', 'idx = idx - 1;', 'if (x[i]! > 0) idx += 2; else idx = idx - 1;', 'if (x[i]! > 0) idx += 3;', 's += w[idx]! * x[i]!;'),
  guard: choice('', '', '', 'if (x[i]! < 0.5) '),
  innerStart: choice('0', 'i', 'i + 1'),
  innerBound: choice('n', 'x.length', '3', 'm'),
  step: choice('idx++;', 'idx++;', 'idx += 2;', 'idx--;', 'idx -= 2;'),
  body: choice('s += w[idx]! * x[i]! * x[j]!;', 's += Math.sin(w[idx]! * x[j]!) * x[i]!;', 's += w[idx + 1]! * x[j]!;', 'if (x[j]! > 0) s += w[idx]! * x[i]!;'),
  after: choice('', '', 'idx += 1;', 'idx = idx - 3;', 'for (let k = 0; k < 2; k++) { s += w[idx]! * x[k]!; idx++; }'),
  blocks: choice(false, false, true),
});

type Recipe = typeof recipe extends fc.Arbitrary<infer R> ? R : never;

function print(r: Recipe, name: string): string {
  const walk = `let idx = ${r.start};
    for (let i = 0; i < ${r.outerBound}; i++) {
      const m = n - i;
      ${r.before}
      ${r.guard}for (let j = ${r.innerStart}; j < ${r.innerBound}; j++) { ${r.body} ${r.step} }
      ${r.after}
    }`;
  return `/** @differentiable(wrt: x, w) */
export function ${name}(x: Float64Array, w: Float64Array, n: number, offset: number): number {
  let s = 0;
  ${r.blocks ? `for (let b = 0; b < 2; b++) { ${walk} s = s * 0.5; }` : walk}
  return s;
}
`;
}

const recipes = fc.sample(recipe, { seed: SEED, numRuns: RUNS });
const batches = Array.from({ length: Math.ceil(recipes.length / BATCH) }, (_, b) => recipes.slice(b * BATCH, (b + 1) * BATCH));
const w = () => Float64Array.from({ length: 300 }, (_, k) => Math.sin(0.37 * k + 0.1));
// two points: x[0] > 0 and x[0] < 0 take both sides of the drawn branches
const points: Array<() => Argument[]> = [
  () => [new Float64Array([0.707, -1.113, 0.419, 0.907, -0.331, 0.613]), w(), 4, 0],
  () => [new Float64Array([-0.613, 0.827, -0.541, 0.319, 1.137, -0.909]), w(), 3, 2],
];

describe('running values on random index walks', () => {
  it.each(batches.map((batch, b) => ({ batch, b })))('batch $b: exact values, gradients matching finite differences', async ({ batch, b }) => {
    const names = batch.map((_, k) => `f${b}_${k}`);
    const source = batch.map((r, k) => print(r, names[k]!)).join('\n');
    const compiled = await compileSource(source, `running-values-${b}.ts`);
    const running = names.filter((name) => /\bidx\w*_after\b/.test(functionText(compiled.text, `backprop_${name}`)));
    expect(running.length, 'functions with a running value').toBeGreaterThanOrEqual(batch.length / 4);
    for (const [k, name] of names.entries()) {
      for (const args of points) expectValueAndGradientAt(compiled, name, args, { context: `, of\n${print(batch[k]!, name)}` });
    }
  });
});
