/** Type-checks TypeScript text in memory, under the strict options test/golden/typecheck.test.ts uses. */
import * as path from 'node:path';
import ts from 'typescript';

/**
 * The errors of TypeScript files (given by name and text; they may import each other by relative
 * paths) type-checked together: `file: TS2393 message`.
 */
export function typeErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = { strict: true, noUnusedLocals: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [], lib: ['lib.es2023.d.ts'] };
  const byPath = new Map(Object.entries(files).map(([name, text]) => [path.resolve(name), { name, text }]));
  const given = (fileName: string) => byPath.get(path.resolve(fileName));
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => given(name) !== undefined || ts.sys.fileExists(name);
  host.readFile = (name) => given(name)?.text ?? read(name);
  host.getSourceFile = (name, language) => {
    const file = given(name);
    return file ? ts.createSourceFile(name, file.text, language) : getSourceFile(name, language);
  };
  const program = ts.createProgram([...byPath.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file && (given(d.file.fileName)?.name ?? d.file.fileName)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}
