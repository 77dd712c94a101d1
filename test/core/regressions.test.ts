/**
 * Core bugs found by the CLI work (mutation fuzzing, test/fuzz/mutation.test.ts, and the cache),
 * each with its smallest reproduction. They fail until the core is fixed; the fuzzer meanwhile
 * tolerates the known ones (KNOWN_CORE_BUGS there): remove the entry there when fixing one here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '@adjoint/core';
import { diskHost } from '../support/disk-host.js';
import { loadModule } from '../support/load.js';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

describe('core regressions', () => {
  // Found by mutation fuzzing (a truncated `import { stopGradient } from '@adjoint/core'`).
  // parseProgram reads the module specifier of every import declaration before it looks at the
  // syntax errors, and ts-morph's getModuleSpecifierValue throws when the specifier is missing or
  // not a string: compile() throws instead of reporting AD1001. In the CLI this one file cost every
  // other file its companion until the CLI learnt to bisect a batch that throws.
  it.each(['import {', 'import { a } from', 'import { a } from 5;', 'import a from x;'])(
    'reports a syntax error, without throwing, for %j',
    async (text) => {
      const result = await compile([{ path: 'broken.ts', text }]);
      expect(result.diagnostics.map((d) => d.code)).toContain('AD1001');
    },
  );

  // Found while building the CLI's cache. The compiler gathers the derivative rules (@adjointOf) of
  // every module in the program, so a rule that reaches the program only through another input
  // changes a file's companion: a.ts's companion depends on whether b.ts (which imports the rule's
  // module) is compiled in the same call. `adjoint a.ts` and `adjoint .` then disagree about
  // a.grad.ts, and --check passes or fails depending on the inputs named.
  it("gives a file's companion regardless of the other files compiled with it", async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'adjoint-regression-'));
    folders.push(root);
    const files: Record<string, string> = {
      'lse.ts':
        'export function logSumExp(xs: number[]): number {\n  let s = 0;\n  for (const x of xs) s += Math.exp(x);\n  return Math.log(s);\n}\n',
      'rules.ts':
        "import { logSumExp } from './lse';\n/** @adjointOf logSumExp */\nexport function logSumExpAdjoint(xs: number[], dResult: number): { xs: number[] } {\n  return { xs: xs.map((x) => dResult * x) };\n}\n",
      'a.ts':
        "import { logSumExp } from './lse';\n/** @differentiable */\nexport function f(xs: number[]): number {\n  return logSumExp(xs);\n}\n",
      'b.ts':
        "import { logSumExpAdjoint } from './rules';\n/** @differentiable */\nexport function g(x: number): number {\n  return x * x;\n}\n",
    };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, name), text);
    const alone = await compile([{ path: path.join(root, 'a.ts') }], { host: diskHost });
    const together = await compile([{ path: path.join(root, 'a.ts') }, { path: path.join(root, 'b.ts') }], { host: diskHost });
    expect(alone.outputs[0]!.text).toBe(together.outputs[0]!.text);
  });

  // Found by mutation fuzzing (module-constants.ts with `*` swapped for `??`). A module constant
  // initialised with `&&`, `||` or `??` lowers to an `if`, which copying the constant into the
  // companion (expressionOf) does not handle: compile() throws instead of reporting AD1006 or
  // copying the constant.
  it.each(['2 ?? 3', '2 && 3', '0 || 3'])('does not throw for a module constant initialised with %s', async (init) => {
    const text = `const K = ${init};\n/** @differentiable */\nexport function f(x: number): number {\n  return K * x;\n}\n`;
    await expect(compile([{ path: 'constant.ts', text }])).resolves.toBeDefined();
  });

  // Found by mutation fuzzing (loops.ts, jumps.ts with the loop condition's `i` replaced by
  // another name). A loop counter that is carried from one iteration to the next but read by
  // nothing: its update is dropped from the forward sweep, its carry (`i_2 = i_3`) is not, so the
  // companion reads a variable it never declares and throws a ReferenceError (it does not
  // type-check either).
  it('generates a companion that runs for a loop whose counter nothing reads', async () => {
    const text = `/** @differentiable */\nexport function f(x: number, n: number): number {\n  let p = 1;\n  for (let i = 0; p < n; i++) p *= x;\n  return p;\n}\n`;
    const result = await compile([{ path: 'counter.ts', text }]);
    expect(result.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
    const companion = loadModule(result.outputs[0]!.text, 'counter.grad.ts') as Record<
      string,
      (...args: number[]) => { value: number; grad: { x: number } }
    >;
    const { value, grad } = companion.valueAndGrad_f!(2, 5); // p: 1 → 2 → 4 → 8 = x³
    expect(value).toBe(8);
    expect(grad.x).toBe(12);
  });

  // Found by mutation fuzzing (switch.ts, gaussian.ts with an operator swapped for `!==`). The
  // result of a function declared to return a number is a boolean, and the compiler accepts it:
  // valueAndGrad_f returns `true` as the value, with gradient 0. tsc rejects the source; Adjoint
  // should too (AD1004), rather than differentiate it.
  it.each([
    ['a comparison', '  return x > 0;'],
    ['a boolean assigned to a number variable', '  let r = 0;\n  r = x !== 1;\n  return r;'],
  ])('rejects a function whose result is %s', async (_, body) => {
    const text = `/** @differentiable */\nexport function f(x: number): number {\n${body}\n}\n`;
    const result = await compile([{ path: 'boolean.ts', text }]);
    expect(result.diagnostics.filter((d) => d.category === 'error').map((d) => d.code)).not.toEqual([]);
  });

  // Found by mutation fuzzing (shadowing.ts, arrays.ts with a `return`'s value deleted). A
  // function declared to return a number that can end without a value (`return;`, or falling off
  // its end on some path) is accepted: f returns undefined where the companion says NaN. (With no
  // return at all it is AD1004, as it should be.)
  it.each([
    ['`return;`', '  const y = x * x;\n  return;'],
    ['falling off its end on one path', '  if (x > 0) return x * x;'],
  ])('rejects a function that can end without a value: %s', async (_, body) => {
    const text = `/** @differentiable */\nexport function f(x: number): number {\n${body}\n}\n`;
    const result = await compile([{ path: 'no-value.ts', text }]);
    expect(result.diagnostics.filter((d) => d.category === 'error').map((d) => d.code)).toContain('AD1015');
  });

  // Found by mutation fuzzing (loops.ts with a function renamed like the other one). Two marked
  // functions of the same name (a duplicate implementation, which tsc rejects) share one entry in
  // the function table, keyed by name: with different parameter lists the zero-gradient check
  // reads a parameter node that does not exist (AD9001 "reading 'getStart'", without a location);
  // otherwise the companion exports valueAndGrad_f and grad_f twice, both with the first
  // function's signature, and does not load as a module. Either way it should be a user error.
  it.each([
    ['different parameters', '(x: number, n: number): number {\n  return x;\n}', '(a: number): number {\n  return a;\n}'],
    ['the same parameters', '(x: number): number {\n  return x * x;\n}', '(y: number): number {\n  return y;\n}'],
  ])('reports two marked functions of the same name (%s) as a user error', async (_, first, second) => {
    const text = `/** @differentiable */\nexport function f${first}\n\n/** @differentiable */\nexport function f${second}\n`;
    const result = await compile([{ path: 'twice.ts', text }]);
    const errors = result.diagnostics.filter((d) => d.category === 'error');
    expect(errors.map((d) => d.code)).not.toContain('AD9001');
    expect(errors).not.toEqual([]);
    expect(errors.every((d) => d.location !== undefined)).toBe(true);
    expect(result.outputs).toEqual([]);
  });

  // Found by mutation fuzzing (calls-case with `countAbove(v, 0.1)` become `countAbove(v || 0.1)`).
  // `v || 0.1` with v: number[] is an array or a number (valid TypeScript); used in a condition
  // or passed to a function it makes the compiler fail with an internal error, "value 2 has no
  // name", without a location, instead of a user error (or support).
  it('reports a value that is an array or a number as a user error, not an internal one', async () => {
    const text = `/** @differentiable */\nexport function f(x: number, v: number[]): number {\n  const w = v || 0.1;\n  return x * (w ? 1 : 2);\n}\n`;
    const result = await compile([{ path: 'union.ts', text }]);
    expect(result.diagnostics.map((d) => d.code)).not.toContain('AD9001');
  });

  // Found by fuzzing the module a source imports (the rule case's stable.ts with `number[]` cut to
  // `number[`). Syntax errors are reported for the files handed to compile(), not for the project
  // modules they import, yet those are compiled all the same: a callee's broken parameter type is
  // copied into the companion (AD9001 "the generated code does not parse"), and a broken
  // expression in a callee's body reads as a name '' (AD1006). Either way the real error, a
  // syntax error in helper.ts (AD1001), is never shown.
  it.each([
    ['a parameter type', 'export function g(xs: number[): number {\n  return xs[0]!;\n}\n', 'xs: number[]', 'g(xs)'],
    ['a callee body', 'export function g(x: number): number {\n  return x * ;\n}\n', 'x: number', 'g(x)'],
  ])('reports a syntax error in %s of an imported module as AD1001 in that module', async (_, helper, params, call) => {
    const root = await mkdtemp(path.join(tmpdir(), 'adjoint-regression-'));
    folders.push(root);
    await writeFile(path.join(root, 'helper.ts'), helper);
    await writeFile(
      path.join(root, 'a.ts'),
      `import { g } from './helper';\n/** @differentiable */\nexport function f(${params}): number {\n  return ${call};\n}\n`,
    );
    const result = await compile([{ path: path.join(root, 'a.ts') }], { host: diskHost });
    expect(result.diagnostics.map((d) => d.code)).not.toContain('AD9001');
    expect(result.diagnostics.filter((d) => d.code === 'AD1001').map((d) => path.basename(d.location!.file))).toEqual(['helper.ts']);
  });

  // Found by mutation fuzzing (calls.ts with `total +=` become `ys +=`). A number added into an
  // array parameter (`ys += x`, which tsc rejects: the result is a string) is accepted, and the
  // companion reads a shadow it never declares: ReferenceError "d_ys_2 is not defined".
  it('rejects a number added into an array parameter', async () => {
    const text = `/** @differentiable */\nexport function f(x: number, ys: number[]): number {\n  ys += x;\n  return x * ys[0]!;\n}\n`;
    const result = await compile([{ path: 'array-plus.ts', text }]);
    expect(result.diagnostics.filter((d) => d.category === 'error')).not.toEqual([]);
  });

  // Found while building vector outputs. An empty array literal was always an array of numbers,
  // whatever its declared type: `const rows: number[][] = []` held "numbers", pushing a row into it
  // gave it no row shadows, and the companion saved a shadow it never declared (ReferenceError).
  it('takes the element type of an empty array literal from its declaration', async () => {
    const text = `/** @differentiable */
export function f(u: number[]): number {
  const rows: number[][] = [];
  rows.push([u[0]! * 2, u[1]!]);
  rows.push([u[1]!, u[0]!]);
  let s = 0;
  for (const r of rows) s += r[0]! * r[1]!;
  return s;
}
`;
    const result = await compile([{ path: 'rows.ts', text }]);
    expect(result.diagnostics).toEqual([]);
    const grad = loadModule(result.outputs[0]!.text).grad_f as (u: number[]) => { u: number[] };
    // f = 2·u0·u1 + u1·u0 = 3·u0·u1
    expect(grad([0.5, 3])).toEqual({ u: [9, 1.5] });
  });

  // Found while building vector outputs. Before an early \`return\` of an array or object, the
  // function's result held NaN (a number) on the paths that had not returned yet, so merging the
  // paths was AD1131 ("an array on one path and a number on another") for any function that
  // returns arrays early, a helper as much as a marked function.
  it('differentiates a helper that returns an array early', async () => {
    const text = `function clamp(v: number[], t: number): number[] {
  if (v[0]! > t) return [t, t];
  return [v[0]!, v[1]! * t];
}
/** @differentiable */
export function f(v: number[], t: number): number {
  const c = clamp(v, t);
  return c[0]! * c[1]!;
}
`;
    const result = await compile([{ path: 'early.ts', text }]);
    expect(result.diagnostics).toEqual([]);
    const grad = loadModule(result.outputs[0]!.text).grad_f as (v: number[], t: number) => { v: number[]; t: number };
    // v0 ≤ t: f = v0·v1·t; v0 > t: f = t²
    expect(grad([0.5, 2], 3)).toEqual({ v: [6, 1.5], t: 1 });
    expect(grad([4, 2], 3)).toEqual({ v: [0, 0], t: 6 });
  });
  // Found while building checkpointing. A helper that is called (not inlined) and pushes onto the
  // caller's array grew the array in the forward sweep but not its shadow, so the reverse sweep
  // read the shadow past its end: NaN in the gradient, silently. The summaries now say which
  // arguments a callee may push onto, and the shadow grows alike after the call.
  it.each([{ inline: false }, { inline: true }])(
    "differentiates helpers pushing numbers onto the caller's arrays (%j)",
    async (options) => {
      const text = `function addSquare(out: number[], x: number): void {
  out.push(x * x);
}
function addTwice(out: number[], x: number): void {
  addSquare(out, x);
  out.push(2 * x);
}
/** @differentiable */
export function f(xs: number[]): number {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) addTwice(out, xs[i]!);
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i]! * out[i]! * (i + 1);
  return s;
}
`;
      const result = await compile([{ path: 'push.ts', text }], options);
      expect(result.diagnostics).toEqual([]);
      const grad = loadModule(result.outputs[0]!.text).grad_f as (xs: number[]) => { xs: number[] };
      // out = [x0², 2x0, x1², 2x1, …]; f = Σᵢ (2i+1)·xᵢ⁴ + (2i+2)·4xᵢ², ∂f/∂xᵢ = 4(2i+1)·xᵢ³ + 8(2i+2)·xᵢ
      const xs = [1, 2, 3];
      expect(grad(xs).xs).toEqual(xs.map((x, i) => 4 * (2 * i + 1) * x ** 3 + 8 * (2 * i + 2) * x));
    },
  );

  // Found with the one above: a called helper that pushes a row (an array it creates) onto the
  // caller's matrix gave a zero gradient through the row, silently: its backprop, replayed in
  // joint mode, builds the row's shadow anew instead of reading the caller's. Rejected (AD2041).
  it('rejects a called helper that stores a row into an argument whose adjoints flow', async () => {
    const text = `function addRow(rows: number[][], x: number): void {
  rows.push([x, 2 * x]);
}
/** @differentiable */
export function f(xs: number[]): number {
  const rows: number[][] = [];
  for (let i = 0; i < xs.length; i++) addRow(rows, xs[i]!);
  let s = 0;
  for (let i = 0; i < rows.length; i++) s += rows[i]![1]! * rows[i]![0]!;
  return s;
}
`;
    const result = await compile([{ path: 'rows.ts', text }]);
    expect(result.diagnostics.map((d) => [d.code, d.location?.line, d.location?.column])).toEqual([['AD2041', 7, 39]]);
    expect(result.diagnostics[0]!.message).toBe(
      "'addRow(rows, xs[i]!)': 'addRow' stores an array or object into an argument whose adjoints flow back; Adjoint cannot follow them through the call.",
    );
    expect(result.outputs).toEqual([]);
  });

  // Found while testing forward mode. A loop whose continuation test is a carried value itself
  // (\`while (k--)\` tests k before the decrement, and k is carried around the loop) assigned the
  // carried variables their next values before testing: the loop ran one iteration too few, in
  // the forward sweeps of reverse mode and in forward mode alike (a wrong value and gradient).
  it('tests a loop condition that is a carried value before the carried values change (while (k--))', async () => {
    const text = `/** @differentiable(forward) */
export function f(x: number): number {
  let s = 0;
  let k = 3;
  while (k--) s += x * (k + 1);
  return s;
}
`;
    const result = await compile([{ path: 'countdown.ts', text }]);
    expect(result.diagnostics).toEqual([]);
    const companion = loadModule(result.outputs[0]!.text);
    // f = x·(3 + 2 + 1) = 6x
    expect((companion.valueAndGrad_f as (x: number) => unknown)(2)).toEqual({ value: 12, grad: { x: 6 } });
    expect((companion.jvp_f as (x: number, dx: number) => unknown)(2, 0.5)).toEqual({ value: 12, tangent: 3 });
  });

  // Found by the control-flow property test (seed 3141): a loop counter narrowed by \`case 2:
  // case 4:\` and read in a callback makes the callback return \`2 | 4\`, a union of number literals,
  // which lowering did not take for a number: the call was rejected (AD1014).
  it('takes a union of number literals for a number', async () => {
    const text = `function scale(fn: (t: number) => number, x: number): number {
  return fn(x) * x;
}
function size(x: number): 2 | 4 {
  return x > 0 ? 2 : 4;
}
/** @differentiable */
export function f(x: number): number {
  return scale((t): 2 | 4 => size(t), x) + x * size(x);
}
`;
    const result = await compile([{ path: 'literals.ts', text }]);
    expect(result.diagnostics).toEqual([]);
    const companion = loadModule(result.outputs[0]!.text);
    // f = 2x + 2x for x > 0, 4x + 4x otherwise
    expect((companion.valueAndGrad_f as (x: number) => unknown)(1.5)).toEqual({ value: 6, grad: { x: 4 } });
    expect((companion.valueAndGrad_f as (x: number) => unknown)(-1)).toEqual({ value: -8, grad: { x: 8 } });
  });

  // Found by the control-flow property test (seeds 1618 and 4242): a loop whose only assignment to
  // x sits in an inner loop that never runs (\`i < 0\`) still carried x, its next value x itself once
  // the dead loop was folded away. The independent-iterations analysis skipped such a value as
  // \"the same in every iteration\", so a fused or rerun loop never handed its adjoint across: the
  // gradient silently lost every path through x (f = 2x gave 1, f = x gave 0). Folding now reads
  // the initial value for such a value and drops it from the loop; the analysis leaves a loop that
  // still carries one with an adjoint to the taped strategy.
  it.each([
    [
      'x + v[0]',
      'const v = [x];\n  for (let i = 0; i < 1; i++) for (let j = 0; j < 0 && x < (x = Math.sin(x)); j++) {}\n  return x + v[0 % v.length]!;',
      2,
    ],
    [
      'x alone',
      'let i = 0;\n  while (i < 1) {\n    i++;\n    const v = [x];\n  }\n  for (let k = 0; k < 1; k++) for (let j = 0; j < 0; j++) x = Math.sin(x);\n  return x;',
      1,
    ],
    [
      'x read by the iterations',
      'const v = [x];\n  let s = 0;\n  for (let i = 0; i < 3; i++) {\n    s += x * (i + 1) + v[0]!;\n    for (let j = 0; j < 0; j++) x = Math.sin(x);\n  }\n  return s + x;',
      10,
    ],
  ])('hands on the adjoint of a value a loop carries unchanged (%s)', async (_, body, slope) => {
    const text = `/** @differentiable */\nexport function f(x: number): number {\n  ${body}\n}\n`;
    const result = await compile([{ path: 'unchanged.ts', text }]);
    expect(result.diagnostics).toEqual([]);
    const companion = loadModule(result.outputs[0]!.text);
    // f = slope · x (2x, x, and Σᵢ (x·(i + 1) + x) + x = 10x)
    expect((companion.valueAndGrad_f as (x: number) => unknown)(1)).toEqual({ value: slope, grad: { x: slope } });
  });
});
