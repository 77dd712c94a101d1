/**
 * createDiagnostic's arguments are typed from the catalogue's text, by name: a call that leaves out
 * a placeholder's argument, or passes one the message and fix do not read, does not compile, and
 * arguments cannot be given in the wrong order since they have no order. Checked by type-checking
 * calls against packages/core/src/diagnostics with TypeScript itself.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const create = fileURLToPath(new URL('../../packages/core/src/diagnostics/create.ts', import.meta.url));

function typeErrors(calls: string): string[] {
  const file = fileURLToPath(new URL('./diagnostic-arguments.check.ts', import.meta.url));
  const source = `import { createDiagnostic } from ${JSON.stringify(create.replace(/\.ts$/, '.js'))};\n${calls}\n`;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile;
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  host.fileExists = ((exists) => (name: string) => name === file || exists.call(host, name))(host.fileExists);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

it('accepts one argument by name for each placeholder', () => {
  // AD1003: "Parameter '{parameter}' has type '{type}'…"; AD1011's fix reads {instead}; AD5007 reads {path} only
  const calls = [
    "createDiagnostic('AD1003', { parameter: 'x', type: 'string' });",
    "createDiagnostic('AD1003', { type: 'string', parameter: 'x' });",
    "createDiagnostic('AD1011', { parameter: 'a', problem: 'b', instead: 'c' });",
    "createDiagnostic('AD5007', { path: 'src' });",
  ];
  expect(typeErrors(calls.join('\n'))).toEqual([]);
});

it('rejects a missing, an unknown or a positional argument at compile time', () => {
  const errors = typeErrors(
    [
      "createDiagnostic('AD1003', { parameter: 'x' });",
      "createDiagnostic('AD1003', { parameter: 'x', type: 'string', extra: '' });",
      "createDiagnostic('AD1011', { parameter: 'a', problem: 'b' });",
      "createDiagnostic('AD1003', ['x', 'string']);",
    ].join('\n'),
  );
  expect(errors).toHaveLength(4);
  expect(errors[0]).toMatch(/Property 'type' is missing/);
  expect(errors[1]).toMatch(/'extra' does not exist in type 'DiagnosticArgs<"AD1003">'/);
  expect(errors[2]).toMatch(/Property 'instead' is missing/);
  expect(errors[3]).toMatch(/DiagnosticArgs<"AD1003">/);
});

it('fills a placeholder read twice, and in the fix, from one argument', async () => {
  const { createDiagnostic } = await import('@adjoint/core');
  const diagnostic = createDiagnostic('AD1012', { callee: 'gamma' });
  expect(diagnostic.message).toBe("'gamma' has no body to differentiate and no derivative rule.");
  expect(diagnostic.fix).toContain('/** @adjointOf gamma */ taking gamma\'s arguments');
});

it('fills every placeholder of AD1011 for a rest parameter of a local function', async () => {
  const { compile } = await import('@adjoint/core');
  const source = `/** @differentiable */\nexport function f(x: number): number {\n  function sum(...xs: number[]): number {\n    return xs[0]!;\n  }\n  return sum(x);\n}\n`;
  const { diagnostics } = await compile([{ path: 'rest.ts', text: source }]);
  const rest = diagnostics.find((d) => d.code === 'AD1011');
  expect(rest?.message).toBe("Parameter '...xs: number[]' is a rest parameter ('...'), which Adjoint does not support yet.");
  expect(rest?.fix).toBe('Declare it as a plain named parameter: Take the values as one array: xs: number[].');
});
