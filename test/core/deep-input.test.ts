/**
 * Deep input (phases/1-parse/nesting.ts). A chain of operators grouped to the left, `a + b + c + …`,
 * nests as deep as it is long; Adjoint lowers, rebuilds and prints it in loops, so chains of 3,000
 * and 10,000 terms (sums and products in a function, a sum in a module constant) compile, and their
 * gradients match finite differences. Any other nesting is read up to MAX_NESTING levels; beyond,
 * and where TypeScript's own parser runs out of stack (700 nested calls), the file gets AD1151 at
 * the place where the limit is crossed, never an internal error.
 */
import { compile } from '@adjoint/core';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { Compiled } from '../support/compile.js';
import { expectValueAndGradientAt } from '../support/gradient-check.js';
import type { ModuleExports } from '../support/load.js';
import { MAX_NESTING } from '../../packages/core/src/phases/1-parse/nesting.js';

/**
 * Compiles a source and loads it and its companion. TypeScript's own transpiler (which
 * test/support/load.ts uses) recurses into every operator of a chain and runs out of stack on
 * 3,000 terms (tsc would too, emitting such a source): esbuild does not.
 */
async function compileDeep(source: string, path: string): Promise<Compiled> {
  const result = await compile([{ path, text: source }]);
  expect(result.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
  const load = (text: string): ModuleExports => {
    const module = { exports: {} as ModuleExports };
    new Function('module', 'exports', transformSync(text, { loader: 'ts', format: 'cjs' }).code)(module, module.exports);
    return module.exports;
  };
  return { result, text: result.outputs[0]!.text, source: load(source), companion: load(result.outputs[0]!.text) };
}

/** A deterministic coefficient in [0.5, 1.5). */
const c = (i: number) => (0.5 + ((i * 7919) % 1000) / 1000).toFixed(3);

/** A sum of `n` terms over x: number[] and y: number, every `every`-th term reading them (the rest are literals). */
function sum(n: number, every = 1): string {
  const term = (i: number) => {
    if (i % every !== 0) return c(i);
    switch (i % 3) {
      case 0:
        return `x[${i % 5}]! * ${c(i)}`;
      case 1:
        return `Math.sin(y * ${c(i)})`;
      default:
        return `x[${i % 5}]! * x[${(i + 2) % 5}]! * ${c(i)}`;
    }
  };
  return Array.from({ length: n }, (_, i) => term(i)).join(' + ');
}

/** A product of `n` factors close to 1, so that it stays finite. */
const product = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `(1 + 0.0003 * x[${i % 5}]!)` : `(1 - 0.0002 * y)`)).join(' * ');

const point = () => [[0.3, -0.2, 0.7, 0.1, -0.5], 0.4];
const errorsOf = (result: Awaited<ReturnType<typeof compile>>) => result.diagnostics.filter((d) => d.category === 'error');

describe('chains of operators grouped to the left', () => {
  it('a sum and a product of 3,000 terms: the gradient matches finite differences', async () => {
    const source = [
      '/** @differentiable */',
      'export function total(x: number[], y: number): number {',
      `  const s = ${sum(3000)};`,
      `  const p = ${product(3000)};`,
      '  return s * p;',
      '}',
    ].join('\n');
    const compiled = await compileDeep(source, 'chain3000.ts');
    expectValueAndGradientAt(compiled, 'total', point);
  }, 600_000);

  // (TypeScript's checker, which Adjoint runs on every function, takes time quadratic in the length
  // of a chain: 80 s of the 95 s a sum of 20,000 terms took on a busy machine; the terms that are
  // numbers cost least. print-expression.test.ts prints and rebuilds a chain of 20,000.)
  it('a sum of 10,000 terms, and a module constant of 3,000: the gradient matches finite differences', async () => {
    const constant = Array.from({ length: 3000 }, (_, i) => c(i)).join(' + ');
    const source = [
      `const OFFSET = ${constant};`,
      '/** @differentiable */',
      'export function total(x: number[], y: number): number {',
      `  return (${sum(10_000, 20)}) * 0.001 + OFFSET * y;`,
      '}',
    ].join('\n');
    const compiled = await compileDeep(source, 'chain10000.ts');
    expectValueAndGradientAt(compiled, 'total', point);
    // the constant is copied, folded to its value (3-optimize/fold-constants.ts)
    expect(compiled.text).toMatch(/^const OFFSET = 2998\.49999/m);
  }, 600_000);
});

describe('nesting', () => {
  /** `depth` calls nested in one another: each is one level. */
  const nestedCalls = (depth: number) => {
    let e = 'x';
    for (let i = 0; i < depth; i++) e = `Math.sin(${e})`;
    return e;
  };
  const marked = (body: string) => ['/** @differentiable */', 'export function f(x: number): number {', `  return ${body};`, '}'].join('\n');

  // the function, its body, the return statement and each call take a level; the deepest are the
  // names Math and sin of the innermost call, two levels below it
  it(`is read up to ${MAX_NESTING} levels`, async () => {
    const depth = MAX_NESTING - 5;
    const compiled = await compileDeep(marked(nestedCalls(depth)), 'deepest.ts');
    const { grad } = (compiled.companion.valueAndGrad_f as (x: number) => { grad: { x: number } })(0.3);
    // d/dx sin(sin(…sin(x))) = Π cos(sₖ), over the value sₖ inside each sine
    let inner = 0.3;
    let derivative = 1;
    for (let i = 0; i < depth; i++) {
      derivative *= Math.cos(inner);
      inner = Math.sin(inner);
    }
    expect(grad.x).toBeCloseTo(derivative, 12);
  });

  it('beyond the limit: AD1151 where it is crossed, and nothing of the file is generated', async () => {
    const source = [
      '/** @differentiable */',
      'export function fine(x: number): number {',
      '  return x * x;',
      '}',
      '',
      'export function deep(x: number): number {',
      `  return ${nestedCalls(MAX_NESTING - 4)};`,
      '}',
    ].join('\n');
    const result = await compile([{ path: 'deep.ts', text: source }]);
    expect(result.outputs).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([['AD1151', 'deep.ts', 7]]);
    expect(result.diagnostics[0]!.message).toContain(`it nests ${MAX_NESTING + 1} levels deep, and Adjoint reads code nested at most ${MAX_NESTING} levels deep`);
  });

  it("700 levels of Math.sin(… * 0.5), and where TypeScript's parser runs out of stack (5,000 nested calls): AD1151, not an internal error", async () => {
    let issue = 'x';
    for (let i = 0; i < 700; i++) issue = `Math.sin(${issue} * 0.5)`;
    const files = [
      { path: 'issue.ts', text: marked(issue) },
      { path: 'parser.ts', text: marked(nestedCalls(5000)) },
      { path: 'other.ts', text: marked('x * 2') },
    ];
    const result = await compile(files);
    expect(result.outputs.map((o) => o.sourcePath)).toEqual(['other.ts']);
    expect(result.diagnostics.map((d) => [d.code, d.location?.file, d.location?.line])).toEqual([
      ['AD1151', 'issue.ts', 3],
      ['AD1151', 'parser.ts', 3],
    ]);
    const parser = result.diagnostics[1]!;
    // (the body's brace and the 5,000 calls' parentheses)
    expect(parser.message).toContain("TypeScript's parser runs out of stack reading it (its brackets nest 5001 deep here)");
    // the innermost bracket: after `  return ` and 4,999 of the 5,000 `Math.sin(`
    expect(parser.location?.column).toBe(10 + 9 * 4999 + 8);
  });

  it('a chain of && is nesting (TypeScript binds it recursively): 3,000 comparisons are AD1151', async () => {
    const test = Array.from({ length: 3000 }, (_, i) => `x > ${(-1 - i / 1000).toFixed(3)}`).join(' && ');
    const result = await compile([{ path: 'conditions.ts', text: marked(`${test} ? x * x : x`) }]);
    expect(result.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['AD1151', 3]]);
  });

  it('a module that a marked function imports is too deeply nested: AD1151 for that module, no companion', async () => {
    const helper = `export function helper(x: number): number {\n  return ${nestedCalls(MAX_NESTING)};\n}\n`;
    const main = ["import { helper } from './helper';", marked('helper(x) * x')].join('\n');
    const result = await compile([{ path: 'main.ts', text: main }, { path: 'helper.ts', text: helper }]);
    expect(result.outputs).toEqual([]);
    expect(errorsOf(result).map((d) => [d.code, d.location?.file])).toEqual([['AD1151', 'helper.ts']]);
  });
});
