/**
 * Property test for store-to-load forwarding (phases/3-optimize/forward-stores.ts): random functions
 * that fill a scratch array in one loop and read it in later ones, with the details the pass must
 * get right drawn at random: the array's kind (Float64Array, whose stores out of range are lost;
 * number[]; Float32Array, which rounds), its length, the fill's start and bound, a branch around
 * the fill, expensive or cheap stored values, second stores and writes between the loops, readers
 * with other starts and bounds, reads in branches and in nested loops. Each function's value must
 * be exactly f's (a read forwarded where the array held something else changes it: NaN for a read
 * past a typed array's end, another rounding for a Float32Array), and its gradient must match
 * central differences wherever f is finite. Stores and reads may go past the array's end.
 *
 * Reproduce with ADJOINT_PROPERTY_SEED=<seed>; ADJOINT_PROPERTY_RUNS sets the number of functions.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectValueAndGradientAt } from '../support/gradient-check.js';

const SEED = Number(process.env.ADJOINT_PROPERTY_SEED ?? 20_261_128);
const RUNS = Number(process.env.ADJOINT_PROPERTY_RUNS ?? 240);
const BATCH = 60;

const choice = <T>(...values: T[]) => fc.constantFrom(...values);

/** One function: every part drawn from the forms the pass distinguishes (repeated choices weigh more: most functions should forward something). */
const recipe = fc.record({
  array: choice('new Float64Array(L)', 'new Float64Array(L)', 'new Array<number>(L).fill(0)', 'new Array<number>(L).fill(0)', 'new Float32Array(L)'),
  length: choice('x.length', 'n', '5'),
  start: choice('0', '0', '1'),
  // past L too: a typed array drops a store past its end (a forwarded read there would differ),
  // a number[] grows
  bound: choice('n', 'L', '3', 'x.length - 3', 'x.length'),
  guard: choice('', '', '', 'if (x[0]! > 0) ', 'if (0 < L) '),
  stored: choice('x[i]! - y[i]!', 'x[i]! * 2 + y[0]!', 'Math.exp(x[i]!)', 'x[i]! * x[i]! - i', '(x[i]! + y[i]!) / 3'),
  inFill: choice('', '', 's += t[i]! * y[i]!;', 's += t[i]! * y[i]!;', 't[i] = t[i]! * 2;', 's += t[i]!; t[i] = t[i]! + y[i]!;'),
  between: choice('', '', '', 't[1] = x[2]!;', 's += t[1]!;', 'for (let k = 0; k < 2; k++) t[k] = y[k]!;'),
  readers: fc.array(
    fc.record({
      // mostly the fill's own start and bound, which forwarding needs
      start: choice('same', 'same', '0', '1'),
      bound: choice('same', 'same', 'same', 'x.length', 'n', 'L', '3'),
      guard: choice('', '', 'if (x[0]! > 0) ', 'if (0 < L) '),
      body: choice(
        's += t[i]! * x[i]!;',
        's += t[i]! * x[i]!;',
        's += t[i]! * x[i]!;',
        'if (t[i]! > 0) s += t[i]!; else s -= y[i]! * t[i]!;',
        'for (let j = 0; j < 2; j++) s += t[i]! * y[j]!;',
        'for (let j = 0; j < 3; j++) s += Math.sin(t[j]!) * x[i]!;',
        's += t[i]! * t[i]!; t[0] = s;',
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

type Recipe = typeof recipe extends fc.Arbitrary<infer R> ? R : never;

function print(r: Recipe, name: string): string {
  const same = (part: string, fill: string) => (part === 'same' ? fill : part);
  const readers = r.readers.map((reader) => `  ${reader.guard}for (let i = ${same(reader.start, r.start)}; i < ${same(reader.bound, r.bound)}; i++) { ${reader.body} }`);
  return `/** @differentiable(wrt: x, y) */
export function ${name}(x: Float64Array, y: number[], n: number): number {
  const L = ${r.length};
  const t = ${r.array};
  let s = 0;
  ${r.guard}for (let i = ${r.start}; i < ${r.bound}; i++) { t[i] = ${r.stored}; ${r.inFill} }
  ${r.between}
${readers.join('\n')}
  return s + t[0]!;
}
`;
}

const recipes = fc.sample(recipe, { seed: SEED, numRuns: RUNS });
const batches = Array.from({ length: Math.ceil(recipes.length / BATCH) }, (_, b) => recipes.slice(b * BATCH, (b + 1) * BATCH));
// two points: x[0] > 0 and x[0] < 0 take both sides of the drawn branches; no stored value is 0
// at either (a branch on t[i] > 0 would sit on its kink, where differences average both sides)
const points: Array<() => Argument[]> = [
  () => [new Float64Array([0.707, -1.113, 0.419, 0.907, -0.331, 0.613]), [0.529, -0.811, 1.237, 0.317, -0.653, 0.227], 4],
  () => [new Float64Array([-0.613, 0.827, -0.541, 0.319, 1.137, -0.909]), [-0.437, 0.713, 0.171, -1.329, 0.553, 0.871], 3],
];

describe('store-to-load forwarding on random scratch arrays', () => {
  it.each(batches.map((batch, b) => ({ batch, b })))('batch $b: exact values, gradients matching finite differences', async ({ batch, b }) => {
    const names = batch.map((_, k) => `f${b}_${k}`);
    const source = batch.map((r, k) => print(r, names[k]!)).join('\n');
    const compiled = await compileSource(source, `forward-stores-${b}.ts`);
    for (const [k, name] of names.entries()) {
      // a Float32Array rounds every perturbed value: differences carry errors of 1e-4 and more
      const tolerance = batch[k]!.array.includes('Float32') ? 2e-2 : 1e-6;
      for (const args of points) expectValueAndGradientAt(compiled, name, args, { tolerance, context: `, of\n${print(batch[k]!, name)}` });
    }
  });
});
