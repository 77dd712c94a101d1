/**
 * Local functions and higher-order helpers: each function of local-functions-case.ts.txt and
 * helpers-case.ts.txt is checked at several points by expectModesAgree (value exactly f's, the
 * gradient against central differences, forward mode against differences and the gradient), and
 * the shape of what is generated: one copy of a helper per distinct function passed, called
 * directly; local functions that do not recurse lowered in place (no function of their own).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource, type Compiled } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectModesAgree } from '../support/modes-check.js';

const read = (file: string) => readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8');
const locals = (): Promise<Compiled> => compileSource(read('./local-functions-case.ts.txt'), 'local-functions.ts');
const helpers = (): Promise<Compiled> => compileSource(read('./helpers-case.ts.txt'), 'helpers.ts');

type Points = Record<string, { wrt?: string[]; args: Array<() => Argument[]> }>;

const localPoints: Points = {
  capturedLater: { args: [() => [0.7, -1.2], () => [1.5, 0.4]] },
  updatesCaptured: { wrt: ['x'], args: [() => [0.7, 3], () => [-0.4, 0]] },
  hoisted: { args: [() => [0.7], () => [-1.3]] },
  closuresOfClosures: { args: [() => [0.7, -1.2], () => [1.5, 0.4]] },
  earlyExits: { wrt: ['x'], args: [() => [0.7, 3], () => [1.8, 2], () => [-1.1, 4]] },
  patternsAndDefaults: { args: [() => [[0.7, -1.2], { a: 0.3, b: 2 }]] },
  recursive: { wrt: ['x'], args: [() => [0.7, 3], () => [-1.3, 0]] },
  mutuallyRecursive: { wrt: ['x'], args: [() => [0.7, 3], () => [-1.3, 4]] },
  recursiveOverArrays: { args: [() => [[0.5, -1.2, 2], 0.8]] },
  namedRecursion: { wrt: ['x'], args: [() => [0.7, 3], () => [-1.1, 2]] },
};

const helperPoints: Points = {
  quadrature: { args: [() => [0.7, -1.2], () => [1.5, 0.4]] },
  sums: { args: [() => [[0.5, -1.2, 2], 0.8]] },
  minimised: { args: [() => [0.7, 0.3], () => [-1.5, 0.2]] },
  folded: { args: [() => [[0.5, -1.2, 2], 0.8]] },
  recursiveArgument: { wrt: ['x'], args: [() => [0.7, 3], () => [1.2, 2]] },
};

describe.each([
  ['local functions', locals, localPoints],
  ['helpers', helpers, helperPoints],
] as const)('%s', (_, compiled, points) => {
  describe.each(Object.entries(points))('%s', (name, { wrt, args }) => {
    it.each(args.map((a, i) => [i, a] as const))('matches finite differences and forward mode at point %i', async (_, point) => {
      expectModesAgree(await compiled(), name, point, { wrt, context: ` at ${JSON.stringify(point())}` });
    });
  });
});

describe('what is generated', () => {
  it('lowers a local function that does not recurse in place, and lifts one that does', async () => {
    const { text } = await locals();
    expect(text).not.toMatch(/function (scaled|add|twice|base|composed|clipped|dot)\(/);
    // a recursive one is a function of its own (its forward and reverse halves: 4-differentiate/recursive-calls.ts), taking the x it reads
    expect(text).toMatch(/function forward_power\(k: number, x: number\): number/);
    expect(text).toMatch(/function reverse_power\(k: number, x: number, d_result: number\)/);
    expect(text).toMatch(/function forward_even\(/);
    expect(text).toMatch(/function forward_odd\(/);
  });

  it('makes one copy of a helper per distinct function passed, and calls it directly', async () => {
    const { text } = await compileSource(read('./helpers-case.ts.txt'), 'helpers.ts', { inline: false });
    // (integrate runs a loop: each copy is reversed apart, as forward_integrate_… and reverse_integrate_…)
    const copies = [...text.matchAll(/^function forward_(integrate\w*)\(/gm)].map((m) => m[1]);
    expect(text.match(/^function reverse_integrate\w*\(/gm)).toHaveLength(copies.length);
    expect(copies.sort()).toEqual(['integrate_Math_exp', 'integrate_cube', 'integrate_fn', 'integrate_g', 'integrate_power'].sort());
  });
});
