/**
 * One function with an error costs only itself, and the marked functions that call it, their
 * gradients (issue 16, DESIGN §3): the other marked functions of its file are still generated, the
 * error is still reported, and importing the failed function's grad_ is the error a user sees.
 */
import { compile } from '@adjoint/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';

const source = [
  '/** @differentiable */',
  'export function square(x: number): number {',
  '  return x * x;',
  '}',
  '',
  'function noisy(x: number): number {',
  '  return Math.random() * x;',
  '}',
  '',
  '/** @differentiable */',
  'export function jittered(x: number): number {',
  '  return noisy(x) + x;',
  '}',
  '',
  '/** @differentiable */',
  'export function unsupported(x: number): number {',
  '  return x >> 1;',
  '}',
  '',
  '/** @differentiable */',
  'export function cube(x: number): number {',
  '  return square(x) * x;',
  '}',
  '',
].join('\n');

describe('a file with one unsupported function', () => {
  it('still gets the gradients of its other functions, and reports the errors', async () => {
    const { outputs, diagnostics } = await compile([{ path: 'model.ts', text: source }]);
    expect(diagnostics.map((d) => `${d.location?.line} ${d.code}`)).toEqual(['7 AD1120', '17 AD1115']);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]!.functions).toEqual(['square', 'cube']);
    expect(outputs[0]!.text).not.toMatch(/jittered|unsupported|noisy/);
  });

  it('gives gradients that match the ones of a file without the failed functions', async () => {
    const { outputs } = await compile([{ path: 'model.ts', text: source }]);
    // the same file with the failed functions' lines left empty (the doc comments name lines)
    const lines = source.split('\n');
    const clean = lines.map((line, i) => (i >= 5 && i < 19 ? '' : line)).join('\n');
    const alone = await compileSource(clean, 'model.ts');
    expect(outputs[0]!.text).toBe(alone.text);
    expect(fn(alone.companion, 'grad_cube')(2)).toEqual({ x: 12 });
  });

  it("makes an import of a failed function's grad_ a type error, and of the others none", async () => {
    const { outputs } = await compile([{ path: 'model.ts', text: source }]);
    const user = "import { grad_square, grad_cube, grad_jittered } from './model.grad';\nexport const g = [grad_square(1), grad_cube(1), grad_jittered(1)];\n";
    const errors = typeErrors({ '/p/model.ts': source, '/p/model.grad.ts': outputs[0]!.text, '/p/user.ts': user }, '/p/user.ts');
    expect(errors).toEqual([`TS2305: Module '"./model.grad"' has no exported member 'grad_jittered'.`]);
  });
});

describe('a file with one mark that is wrong', () => {
  // each costs only the function it marks (issue 19): the mark cannot be read, it is repeated, or
  // it marks something that is not a function; a syntax error still costs the whole file
  const square = '/** @differentiable */\nexport function square(x: number): number {\n  return x * x;\n}\n';
  it.each([
    ['unreadable', '/** @differentiable(wrt: x */\nexport function other(x: number): number {\n  return 2 * x;\n}\n', 'AD2001'],
    ['repeated', '/**\n * @differentiable\n * @differentiable(wrt: x)\n */\nexport function other(x: number): number {\n  return 2 * x;\n}\n', 'AD2009'],
    ['on a let', '/** @differentiable */\nexport let other = (x: number): number => 2 * x;\n', 'AD2003'],
  ])('%s: the error is reported, and the other functions keep their gradients', async (_, wrong, code) => {
    const { outputs, diagnostics } = await compile([{ path: 'model.ts', text: `${square}\n${wrong}` }]);
    expect(diagnostics.map((d) => d.code)).toEqual([code]);
    expect(outputs.map((o) => o.functions)).toEqual([['square']]);
    const alone = await compileSource(square, 'model.ts');
    expect(fn(alone.companion, 'grad_square')(3)).toEqual({ x: 6 });
    expect(outputs[0]!.text).toBe(alone.text);
  });

  it('a syntax error still leaves the file without a companion', async () => {
    const { outputs, diagnostics } = await compile([{ path: 'model.ts', text: `${square}\nexport function broken(x: number {\n` }]);
    expect(diagnostics.map((d) => d.code)).toContain('AD1001');
    expect(outputs).toEqual([]);
  });
});

/** TypeScript's errors in `file`, type-checked with the given files in memory. */
function typeErrors(files: Record<string, string>, file: string): string[] {
  const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files[name] ?? readFile(name);
  host.fileExists = (name) => name in files || ts.sys.fileExists(name);
  host.directoryExists = (name) => Object.keys(files).some((f) => f.startsWith(`${name}/`)) || ts.sys.directoryExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => (name in files ? ts.createSourceFile(name, files[name]!, version) : getSourceFile(name, version));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}
