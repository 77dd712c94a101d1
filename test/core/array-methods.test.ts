/**
 * Array methods with callbacks (2-lower/array-methods.ts): each function of array-methods-case.ts.txt
 * is checked at several points by expectModesAgree (value exactly f's, the gradient against central
 * differences, forward mode against differences and against the gradient), and the JavaScript
 * behaviours the lowering must keep are checked on their own: the index and array arguments, a
 * callback updating the caller's variables, elements read when their turn comes, short-circuits,
 * find's undefined, filter's length, and reduce's TypeError on an empty array without an
 * initial value.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compileSource, fn, type Compiled } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { expectModesAgree } from '../support/modes-check.js';

const SOURCE = readFileSync(fileURLToPath(new URL('./array-methods-case.ts.txt', import.meta.url)), 'utf8');
const compiled = (): Promise<Compiled> => compileSource(SOURCE, 'array-methods.ts');

const points: Record<string, { wrt?: string[]; tolerance?: number; args: Array<() => Argument[]> }> = {
  sumOfSquares: { args: [() => [[0.5, -1.2, 2, 0.3]], () => [[]], () => [[3]]] },
  sumOfSquaresLoop: { args: [() => [[0.5, -1.2, 2, 0.3]]] },
  forEachCaptured: { args: [() => [[0.5, -1.2, 2], [1.5, 0.25, -2]], () => [[], []]] },
  mapNamed: { args: [() => [new Float64Array([0.5, -1.2, 2]), 1.3], () => [new Float64Array([0.7]), -0.4]] },
  // Float32Array rounds each mapped value to 24 bits: differences with h = 1e-3 are that coarse
  typedMaps: { tolerance: 1e-3, args: [() => [new Float32Array([0.5, -1.25, 2]), new Float64Array([0.3, 4, -0.7, 1.1])]] },
  searching: { args: [() => [[0.5, -1.2, 2, 0.3], 0.4], () => [[0.5, -1.2, 2, 0.3], 5], () => [[0.2, 0.1], -3], () => [[1.5], 0.9]] },
  matrices: {
    args: [
      () => [[[1, 2, 0.5], [0.5, -1, 3], [3, 0.2, -0.4]], 1.5],
      () => [[[0.3, -0.8]], -0.6],
    ],
  },
  objects: {
    args: [
      () => [[{ x: 1, y: 2 }, { x: -0.5, y: -1 }, { x: 3, y: 0.2 }], 1.5],
      () => [[{ x: -1, y: 0.5 }, { x: 2, y: 1.5 }], -0.7],
    ],
  },
  fromLength: { wrt: ['x'], args: [() => [4, 0.7], () => [0, 1.3], () => [1, -0.4]] },
  writesAhead: { args: [() => [[0.5, -1.2, 2, 0.3], 1.1], () => [[2], 0.5]] },
  earlyReturns: { args: [() => [[0.45, -1.2, 2, 0.3, 0.9], 0.7], () => [[0.1, 0.2], 3]] },
  shortCircuits: { args: [() => [[0.5, 1.5, 2, 0.3], 1.2], () => [[0.5, 0.7], 3], () => [[2, 0.5], 1]] },
  reduceWithoutInitial: { args: [() => [[0.5, -1.2, 2, 0.3]], () => [[1.7]]] },
};

describe.each(Object.entries(points))('%s', (name, { wrt, tolerance, args }) => {
  it.each(args.map((a, i) => [i, a] as const))('matches finite differences and forward mode at point %i', async (_, point) => {
    expectModesAgree(await compiled(), name, point, { wrt, tolerance, context: ` at ${JSON.stringify(point())}` });
  });
});

describe('JavaScript semantics kept', () => {
  it("reduce without an initial value throws reduce's own TypeError on an empty array, in f and in the companion", async () => {
    const { source, companion } = await compiled();
    const expected = (() => {
      try {
        fn(source, 'reduceWithoutInitial')([] as unknown as number);
      } catch (error) {
        return error;
      }
    })() as Error;
    expect(expected).toBeInstanceOf(TypeError);
    expect(() => fn(companion, 'grad_reduceWithoutInitial')([] as unknown as number)).toThrow(new TypeError(expected.message));
    expect(() => fn(companion, 'jvp_reduceWithoutInitial')([] as unknown as number, [] as unknown as number)).toThrow(new TypeError(expected.message));
  });

  it('reduce without an initial value, in a hessian-marked function: H·v matches differences, and hvp_f throws the same TypeError', async () => {
    // the generated code throws by reducing an empty array, which the second stage reads back (it
    // was `reduce(Math.max as …)`: AD1143 there, so AD9001)
    const source = SOURCE.replace('/** @differentiable(forward) */\nexport function reduceWithoutInitial', '/** @differentiable(forward, hessian) */\nexport function reduceWithoutInitial');
    expect(source).not.toBe(SOURCE);
    const hessian = await compileSource(source, 'array-methods.ts');
    expectModesAgree(hessian, 'reduceWithoutInitial', () => [[0.5, -1.2, 2, 0.3]]);
    expect(() => fn(hessian.companion, 'hvp_reduceWithoutInitial')([] as unknown as number, [] as unknown as number)).toThrow(TypeError);
  });

  it('find without a match is undefined (?? takes its right side), findIndex -1', async () => {
    const { source, companion } = await compiled();
    const args = [[0.2, 0.1], -3] as unknown as number[];
    const value = fn(source, 'searching')(...args);
    expect(fn(companion, 'valueAndGrad_searching')(...args)).toMatchObject({ value });
  });

  it('grad leaves no stray entries in an array shadow (find reads a[n] when nothing matches)', async () => {
    const { companion } = await compiled();
    const grad = fn(companion, 'grad_searching')(...([[0.5, -1.2, 2, 0.3], 5] as unknown as number[])) as unknown as { xs: number[] };
    expect(Object.keys(grad.xs)).toEqual(['0', '1', '2', '3']);
  });
});

describe('the generated code', () => {
  it('is loops: the backprop and tangent functions create no function (no callback per call or per element)', async () => {
    const { text } = await compiled();
    const companion = ts.createSourceFile('array-methods.grad.ts', text, ts.ScriptTarget.Latest, true);
    const sweeps = companion.statements.filter((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && /^(backprop|tangent)_/.test(s.name?.text ?? ''));
    expect(sweeps.length).toBeGreaterThan(20);
    const created: string[] = [];
    // except reduce's TypeError, thrown by reducing an empty array: `x ?? ([] as number[]).reduce((first) => first)`
    // creates its arrow only on the path that throws (rules/arrays.ts)
    const throwsReduceError = (node: ts.Node) => node.parent.getText() === '([] as number[]).reduce((first) => first)';
    const visit = (node: ts.Node): void => {
      if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) && !throwsReduceError(node)) created.push(node.getText().slice(0, 60));
      ts.forEachChild(node, visit);
    };
    for (const sweep of sweeps) sweep.body && ts.forEachChild(sweep.body, visit);
    expect(created).toEqual([]);
    // nor call the methods: each is a loop
    const code = sweeps.map((s) => s.getText().replace(/\/\/.*$/gm, '')).join('\n');
    expect(code).not.toMatch(/\.(map|forEach|filter|some|every|find|findIndex|findLast|findLastIndex|flatMap)\(/);
    expect(code).not.toMatch(/\.from\([^)]*,/);
  });
});
