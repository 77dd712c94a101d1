/**
 * createDiagnostic's arguments are typed from the catalogue's text: a call with fewer or more
 * arguments than the code's message and fix have placeholders does not compile. Checked by
 * type-checking calls against packages/core/src/diagnostics with TypeScript itself.
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

it('accepts as many arguments as the code has placeholders', () => {
  // AD1003: "Parameter '{0}' has type '{1}'…"; AD1011's fix reads {2}; AD5007 reads {0} only
  expect(typeErrors("createDiagnostic('AD1003', ['x', 'string']);\ncreateDiagnostic('AD1011', ['a', 'b', 'c']);\ncreateDiagnostic('AD5007', ['src']);")).toEqual([]);
});

it('rejects fewer or more arguments at compile time', () => {
  const errors = typeErrors("createDiagnostic('AD1003', ['x']);\ncreateDiagnostic('AD1003', ['x', 'string', 'extra']);\ncreateDiagnostic('AD1011', ['a', 'b']);");
  expect(errors).toHaveLength(3);
  for (const error of errors) expect(error).toMatch(/is not assignable to parameter of type 'DiagnosticArgs<"AD10(03|11)">'/);
});

it('fills every placeholder of AD1011 for a rest parameter of a local function', async () => {
  const { compile } = await import('@adjoint/core');
  const source = `/** @differentiable */\nexport function f(x: number): number {\n  function sum(...xs: number[]): number {\n    return xs[0]!;\n  }\n  return sum(x);\n}\n`;
  const { diagnostics } = await compile([{ path: 'rest.ts', text: source }]);
  const rest = diagnostics.find((d) => d.code === 'AD1011');
  expect(rest?.message).toBe("Parameter '...xs: number[]' is a rest parameter ('...'), which Adjoint does not support yet.");
  expect(rest?.fix).toBe('Declare it as a plain named parameter: Take the values as one array: xs: number[].');
});
