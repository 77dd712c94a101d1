/**
 * Backprops split into parts (phases/4-differentiate/split-plan.ts, split-function.ts): a backprop
 * too long for V8 to optimise runs as nested functions that pass numbers through a frame. Splitting
 * must not change a single bit of any result: the parts run the same operations in the same order.
 *
 *   - a long straight-line function (test/support/long-program.ts) is split by default, and its
 *     gradient matches finite differences and, exactly, the gradient of the same backprop unsplit;
 *   - random programs with branches, loops, arrays, calls and recursion, and random functions with
 *     vector outputs (vjp_, jacobian_, and jvp_ for forward mode), compiled with a tiny part size so
 *     that nearly every backprop is split, give exactly what they give unsplit;
 *   - a checkpointed loop between long stretches of straight-line code, and second order (grad_f of
 *     a hessian-marked function is split as the unmarked one's; the view with local tapes, which is
 *     differentiated again, is not).
 */
import { compile, type CompileOptions } from '@adjoint/core';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compileSource, fn, type Compiled } from '../support/compile.js';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';
import { loadModule, type ModuleExports } from '../support/load.js';
import { longProgram } from '../support/long-program.js';
import { typeErrors } from '../support/type-check.js';
import { combinePrograms, differentiatedParams, flowProgramArbitrary, printPrograms, programArbitrary, type Program } from '../support/random-program.js';
import { buildVectorProgram, vectorProgramArbitrary } from '../support/random-vector-program.js';

const WHOLE: CompileOptions = { maxPartSize: Infinity };
/** Small enough to split nearly every backprop of the random programs. */
const TINY: CompileOptions = { maxPartSize: 30 };

type AnyFunction = (...args: unknown[]) => unknown;
const call = (module: ModuleExports, name: string, args: unknown[]) => (fn(module, name) as unknown as AnyFunction)(...args);

/** The generated functions split into parts: `backprop_f part 2` for backprop_f_part2, … */
const functionParts = (text: string) => [...text.matchAll(/^function (\w+?)_part(\d+)\(/gm)].map((m) => `${m[1]} part ${m[2]}`);
/** The backprops among them. */
const partsOf = (text: string) => functionParts(text).filter((p) => p.startsWith('backprop_'));

/** Every number of `actual` is `expected`'s, bit for bit, at the same place. */
function expectSameNumbers(actual: unknown, expected: unknown, what: string): void {
  const a = leaves(actual as Argument);
  const e = leaves(expected as Argument);
  expect(a.map(([path]) => path), `${what}: shape`).toEqual(e.map(([path]) => path));
  a.forEach(([path, v], i) => expect(Object.is(v, e[i]![1]), `${what} at ${JSON.stringify(path)}: ${v} split, ${e[i]![1]} whole`).toBe(true));
}

/** The call's result and what it leaves in its arguments, or what it throws. */
function outcome(module: ModuleExports, name: string, args: () => unknown[]): { result?: unknown; args?: unknown[]; threw?: string } {
  const given = args();
  try {
    return { result: call(module, name, given), args: given };
  } catch (error) {
    return { threw: String(error) };
  }
}

/** Expects the same outcome from both companions; returns whether the call returned (rather than threw). */
function expectSameOutcome(split: ModuleExports, whole: ModuleExports, name: string, args: () => unknown[]): boolean {
  const a = outcome(split, name, args);
  const b = outcome(whole, name, args);
  expect(a.threw, `${name} throws alike`).toBe(b.threw);
  if (a.threw !== undefined) return false;
  expectSameNumbers(a.result, b.result, `${name}'s result`);
  expectSameNumbers(a.args, b.args, `what ${name} leaves in its arguments`);
  return true;
}

describe('a long straight-line function', () => {
  const program = longProgram(3000);
  const compiled = Promise.all([compileSource(program.source, 'long.ts'), compileSource(program.source, 'long.ts', WHOLE)]);

  it('has its backprop split into parts by default, and only its long one', async () => {
    const [split, whole] = await compiled;
    expect(partsOf(split.text).length).toBeGreaterThan(3);
    expect(partsOf(split.text).every((p) => p.startsWith('backprop_long '))).toBe(true);
    expect(partsOf(whole.text)).toEqual([]);
  });

  it('gives exactly the gradient and the effects of the whole backprop', async () => {
    const [split, whole] = await compiled;
    expectSameOutcome(split.companion, whole.companion, 'valueAndGrad_long', program.args);
  });

  it('matches finite differences', async () => {
    const [split] = await compiled;
    const f = fn(split.source, 'long') as unknown as (...args: Argument[]) => number;
    const { value, grad } = call(split.companion, 'valueAndGrad_long', program.args()) as { value: number; grad: Record<string, Argument> };
    expect(value).toBe(f(...program.args()));
    const params = ['a', 'b', 'w', 'x', 'out'];
    for (const [path, adjoint] of leaves(params.map((p) => grad[p]!))) {
      const numeric = partialAt(f, program.args(), path as number[]);
      expect(closeTo(adjoint, numeric, 1e-6), `∂long/∂${params[path[0] as number]}${path.slice(1).map((k) => `[${k}]`).join('')}: ${adjoint} vs ${numeric}`).toBe(true);
    }
  });

  it('type-checks under strict options', async () => {
    const [split] = await compiled;
    // the parts take the arrays they use (a forward sweep's), or the shadows (a reverse sweep's), then the frame
    expect(split.text).toMatch(/^function backprop_long_part2\(w: number\[\], x: Float64Array, out: Float64Array, frame: Float64Array, objects: unknown\[\]\): void \{$/m);
    expect(split.text).toMatch(/^function backprop_long_part\d+\(w: number\[\], d_w: number\[\], d_x: Float64Array, d_out: Float64Array, frame: Float64Array, objects: unknown\[\]\): void \{$/m);
    // (the source itself leaves some values unused)
    expect(typeErrors({ 'long.ts': program.source, 'long.grad.ts': split.text }).filter((e) => e.startsWith('long.grad.ts'))).toEqual([]);
  });
});

describe('a backprop of thousands of parts (issue 19 item 12)', () => {
  // parts of 40 make the backprop of 2,000 operations as many parts as one of about 100,000 split
  // by default: nested inside one another, they ran Node's default stack out (a RangeError)
  const program = longProgram(2000, 7);
  const compiled = Promise.all([compileSource(program.source, 'long.ts', { maxPartSize: 40, format: false }), compileSource(program.source, 'long.ts', { ...WHOLE, format: false })]);

  /** The body of each top-level function of a companion, by name. */
  const bodies = (text: string) => new Map([...text.matchAll(/^function (\w+)\(.*\{$([\s\S]*?)^\}$/gm)].map((m) => [m[1]!, m[2]!]));
  /** The parts a function body calls, in order. */
  const partsCalled = (body: string) => [...body.matchAll(/\b(backprop_long_part\d+)\(/g)].map((m) => m[1]!);

  it('runs its parts one after another: the first calls every other part once, in order, and no other part calls one', async () => {
    const [split] = await compiled;
    const functions = bodies(split.text);
    const parts = [...functions.keys()].filter((name) => name.startsWith('backprop_long_part'));
    expect(parts.length).toBeGreaterThan(2000);
    expect(partsCalled(functions.get('backprop_long')!)).toEqual(parts.sort((a, b) => Number(a.slice(18)) - Number(b.slice(18))));
    expect(parts.filter((part) => partsCalled(functions.get(part)!).length > 0)).toEqual([]);
  });

  it("runs on Node's default stack, in a process of its own, and gives exactly the whole backprop's gradient", async () => {
    const [split, whole] = await compiled;
    const directory = mkdtempSync(path.join(tmpdir(), 'adjoint-parts-'));
    try {
      const file = path.join(directory, 'long.grad.cjs');
      writeFileSync(file, ts.transpileModule(split.text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
      // the arguments as JSON: the typed arrays as arrays, made typed again in the child
      const script = [
        `const { valueAndGrad_long } = require(${JSON.stringify(file)});`,
        `const [a, b, w, x, out] = ${JSON.stringify(program.args().map((arg) => (typeof arg === 'number' ? arg : Array.from(arg))))};`,
        'const { value, grad } = valueAndGrad_long(a, b, w, Float64Array.from(x), Float64Array.from(out));',
        'console.log(JSON.stringify({ value, grad: Object.fromEntries(Object.entries(grad).map(([k, v]) => [k, typeof v === "number" ? v : Array.from(v)])) }));',
      ].join('\n');
      const { NODE_OPTIONS: _ignored, ...environment } = process.env;
      const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: environment, maxBuffer: 1 << 26 });
      expect(child.stderr).toBe('');
      const { value, grad } = (whole.companion.valueAndGrad_long as (...args: unknown[]) => { value: number; grad: Record<string, number | ArrayLike<number>> })(...program.args());
      const expected = { value, grad: Object.fromEntries(Object.entries(grad).map(([k, v]) => [k, typeof v === 'number' ? v : Array.from(v)])) };
      expect(child.stdout.trim()).toBe(JSON.stringify(expected));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** Random arguments for a random program's parameters, fresh at each call. */
function argumentsFor(program: Program, seed: number): () => Argument[] {
  const { params, paramTypes, paramLengths } = program.fn;
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 5 - 2.5;
  const values = params.map((_, i) => {
    const type = paramTypes?.[i] ?? 'number';
    if (type === 'int') return Math.floor(((next() + 2.5) / 5) * 6);
    if (type === 'number') return next();
    return Array.from({ length: paramLengths![i]! }, next);
  });
  return () => values.map((v, i) => (paramTypes?.[i] === 'Float64Array' ? Float64Array.from(v as number[]) : Array.isArray(v) ? [...v] : v));
}

async function compileBoth(text: string, path: string): Promise<{ split: Compiled; whole: Compiled }> {
  const [split, whole] = await Promise.all([compileSource(text, path, { ...TINY, format: false }), compileSource(text, path, { ...WHOLE, format: false })]);
  return { split, whole };
}

describe('random programs split into parts of 30', () => {
  it('straight-line, and with branches, loops, arrays, calls and recursion (valueAndGrad_, jvp_): exactly as unsplit', async () => {
    const programs = combinePrograms([
      ...fc.sample(programArbitrary(), { seed: 20_261_127, numRuns: 60 }),
      ...fc.sample(flowProgramArbitrary(), { seed: 20_261_128, numRuns: 140 }),
    ]).map((program) => ({ ...program, fn: { ...program.fn, forward: true } }));
    const { split, whole } = await compileBoth(printPrograms(programs).text, 'random.ts');
    // nearly every backprop and tangent function with more than a few statements is split
    const splitFunctions = new Set(functionParts(split.text).map((p) => p.split(' ')[0]));
    expect([...splitFunctions].filter((f) => f.startsWith('backprop_')).length).toBeGreaterThan(programs.length / 2);
    expect([...splitFunctions].filter((f) => f.startsWith('tangent_')).length).toBeGreaterThan(programs.length / 2);
    let returned = 0;
    programs.forEach((program, i) => {
      const args = argumentsFor(program, i + 1);
      if (expectSameOutcome(split.companion, whole.companion, `valueAndGrad_${program.fn.name}`, args)) returned++;
      // forward mode along a random direction in the differentiated parameters
      const wrt = differentiatedParams(program.fn);
      const direction = argumentsFor(program, i + 1001);
      const tangents = () => direction().filter((_, j) => wrt.includes(program.fn.params[j]!));
      if (expectSameOutcome(split.companion, whole.companion, `jvp_${program.fn.name}`, () => [...args(), ...tangents()])) returned++;
    });
    expect(returned).toBe(2 * programs.length);
    // 120 programs compiled twice: 40 s alone on a busy machine, over 120 s inside a whole-suite run
  }, 600_000);

  it('with vector outputs (vjp_, jacobian_, and jvp_ for forward mode): exactly as unsplit', async () => {
    const recipes = fc.sample(vectorProgramArbitrary, { seed: 20_261_129, numRuns: 80 });
    const text = recipes.map((recipe, k) => buildVectorProgram(recipe, k)).join('\n');
    const { split, whole } = await compileBoth(text, 'vectors.ts');
    expect(new Set(partsOf(split.text).map((p) => p.split(' ')[0])).size).toBeGreaterThan(recipes.length / 2);
    let returned = 0;
    recipes.forEach((recipe, k) => {
      const args = () => [0.3 + k / 100, -0.7, recipe.parameterType === 'Float64Array' ? Float64Array.from({ length: recipe.parameterLength }, (_, i) => Math.sin(i + k)) : Array.from({ length: recipe.parameterLength }, (_, i) => Math.cos(i + k))];
      if (expectSameOutcome(split.companion, whole.companion, `jacobian_f${k}`, args)) returned++;
      const direction = () => [1, -0.5, args()[2]];
      if (recipe.forward && expectSameOutcome(split.companion, whole.companion, `jvp_f${k}`, () => [...args(), ...direction()])) returned++;
    });
    expect(returned).toBe(recipes.length + recipes.filter((r) => r.forward).length);
  });
});

describe('constructs around the cuts', () => {
  const straight = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => `  y = Math.sin(y + ${0.1 * (from + i)} * x[${(from + i) % 4}]!) * a + y * 0.5;`).join('\n');

  it('a checkpointed loop between long stretches of straight-line code', async () => {
    const source = [
      '/** @differentiable */',
      'export function f(a: number, x: number[]): number {',
      '  let y = a;',
      straight(0, 12),
      '  // @checkpoint(snapshots: 2)',
      '  for (let i = 0; i < 9; i++) y = Math.cos(y * x[i % 4]!) + 0.5 * a;',
      straight(12, 12),
      '  return y;',
      '}',
    ].join('\n');
    const split = await compileSource(source, 'checkpointed.ts', TINY);
    const whole = await compileSource(source, 'checkpointed.ts', WHOLE);
    expect(partsOf(split.text).length).toBeGreaterThan(2);
    expect(split.text).toContain('Revolve');
    const args = () => [0.7, [0.3, -0.2, 0.9, 0.4]];
    expectSameOutcome(split.companion, whole.companion, 'valueAndGrad_f', args);
    const f = fn(split.source, 'f') as unknown as (...args: Argument[]) => number;
    const { grad } = call(split.companion, 'valueAndGrad_f', args()) as { grad: { a: number; x: number[] } };
    for (const [path, adjoint] of leaves([grad.a, grad.x])) expect(closeTo(adjoint, partialAt(f, args() as Argument[], path as number[]), 1e-6)).toBe(true);
  });

  it('a read past the end of an array (undefined), tested by ?? in a later part (valueAndGrad_, jvp_)', async () => {
    // frame slots are doubles: an undefined element crossing a cut became NaN, so ?? kept it (NaN value)
    const source = ['/** @differentiable(forward) */', 'export function f(a: number, x: number[]): number {', '  let y = a;', '  const past = x[9];', straight(0, 12), '  return y + (past ?? 2) * (x.find((v) => v > 10) ?? a);', '}'].join('\n');
    const split = await compileSource(source, 'past-the-end.ts', TINY);
    const whole = await compileSource(source, 'past-the-end.ts', WHOLE);
    expect(partsOf(split.text).length).toBeGreaterThan(2);
    const args = () => [0.7, [0.3, -0.2, 0.9, 0.4]];
    expectSameOutcome(split.companion, whole.companion, 'valueAndGrad_f', args);
    expect(Number.isNaN((call(split.companion, 'valueAndGrad_f', args()) as { value: number }).value)).toBe(false);
    const along = () => [...args(), 0.5, [1, -0.5, 0.25, 2]];
    expectSameOutcome(split.companion, whole.companion, 'jvp_f', along);
    expect(Number.isNaN((call(split.companion, 'jvp_f', along()) as { value: number }).value)).toBe(false);
  });

  it('forward mode (jvp_) beside a split backprop', async () => {
    const source = ['/** @differentiable(forward) */', 'export function f(a: number, x: number[]): number {', '  let y = a;', straight(0, 30), '  return y;', '}'].join('\n');
    const split = await compileSource(source, 'forward.ts', TINY);
    const whole = await compileSource(source, 'forward.ts', WHOLE);
    expect(partsOf(split.text).length).toBeGreaterThan(2);
    const args = () => [0.4, [0.3, -0.2, 0.9, 0.4]];
    expectSameOutcome(split.companion, whole.companion, 'valueAndGrad_f', args);
    expectSameOutcome(split.companion, whole.companion, 'jvp_f', () => [...args(), 1, [0, 1, 0, -1]]);
    // the directional derivative is the gradient's dot product with the direction
    const { grad } = call(split.companion, 'valueAndGrad_f', args()) as { grad: { a: number; x: number[] } };
    const { tangent } = call(split.companion, 'jvp_f', [...args(), 1, [0, 1, 0, -1]]) as { tangent: number };
    expect(closeTo(tangent, grad.a + grad.x[1]! - grad.x[3]!, 1e-12)).toBe(true);
  });

  it('second order: the backprop of a function marked hessian is split as the unmarked one is (the view differentiated again is kept whole), its tangent is split', async () => {
    const body = ['export function f(a: number, x: number[]): number {', '  let y = a;', straight(0, 30), '  return y;', '}'];
    const source = ['/** @differentiable(hessian) */', ...body].join('\n');
    const split = await compileSource(source, 'hessian.ts', TINY);
    const whole = await compileSource(source, 'hessian.ts', WHOLE);
    const unmarked = await compileSource(['/** @differentiable */', ...body].join('\n'), 'hessian.ts', TINY);
    const parts = functionParts(split.text);
    // grad_f is the unmarked function's, split alike (issue 17: the mark does not tax first order)
    expect(partsOf(split.text).length).toBeGreaterThan(0);
    expect(partsOf(split.text)).toEqual(partsOf(unmarked.text));
    expect(parts.some((p) => p.startsWith('tangent_'))).toBe(true);
    expect(functionParts(whole.text)).toEqual([]);
    const args = () => [0.4, [0.3, -0.2, 0.9, 0.4]];
    expectSameOutcome(split.companion, whole.companion, 'grad_f', args);
    expectSameOutcome(split.companion, whole.companion, 'hessian_f', args);
    expectSameOutcome(split.companion, whole.companion, 'hvp_f', () => [...args(), 1, [0, 1, 0, -1]]);
  });

  it("a local named like a part of its function is named apart (a copy of a callee, split too)", async () => {
    const source = [
      '/** Not inlined: it creates an array (a copy, which stays an array). */',
      'function g(a: number, x: number[]): number {',
      '  const t = x.slice(0, 2);',
      '  t[1] = a;',
      '  const g_part2 = t[0]! * t[1]!;',
      '  let y = g_part2;',
      straight(0, 20),
      '  return y + g_part2;',
      '}',
      '/** @differentiable */',
      'export function f(a: number, x: number[]): number {',
      '  return g(a, x) * g(x[1]!, x);',
      '}',
    ].join('\n');
    const split = await compileSource(source, 'named.ts', TINY);
    const whole = await compileSource(source, 'named.ts', WHOLE);
    expect(functionParts(split.text)).toContain('g part 2');
    expect(split.text).toContain('local_g_part2');
    expectSameOutcome(split.companion, whole.companion, 'valueAndGrad_f', () => [0.4, [0.3, -0.2, 0.9, 0.4]]);
  });

  it('a companion differentiated again through a split backprop (its frame is an ordinary Float64Array)', async () => {
    const inner = ['/** @differentiable */', 'export function f(a: number, x: number[]): number {', '  let y = a;', straight(0, 30), '  return y;', '}'].join('\n');
    const outer = ["import { grad_f } from './inner.grad';", '/** @differentiable */', 'export function g(a: number): number {', '  return grad_f(a, [0.3, -0.2, 0.9, 0.4]).a;', '}'].join('\n');
    const result = await compile([{ path: 'inner.ts', text: inner }, { path: 'outer.ts', text: outer }], TINY);
    expect(result.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
    const [innerCompanion, outerCompanion] = result.outputs.map((o) => o.text) as [string, string];
    expect(partsOf(innerCompanion).length).toBeGreaterThan(2);
    const innerModule = loadModule(innerCompanion, 'inner.grad.ts');
    const g = fn(loadModule(outer, 'outer.ts', { './inner.grad': innerModule }), 'g');
    const { grad } = call(loadModule(outerCompanion, 'outer.grad.ts', { './inner.grad': innerModule }), 'valueAndGrad_g', [0.4]) as { grad: { a: number } };
    // d/da of ∂f/∂a: the second derivative, through the parts and their frame
    expect(closeTo(grad.a, partialAt(g as unknown as (...args: Argument[]) => number, [0.4], [0]), 1e-6)).toBe(true);
  });
});
