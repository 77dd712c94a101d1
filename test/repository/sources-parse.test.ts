/**
 * Every TypeScript file of the repository parses. The packages are compiled and linted, but the
 * scripts under gradbench/, test/bench/ and examples/ run only under tsx, by hand: a syntax error
 * there goes unseen until someone runs them (`pnpm gradbench` stopped loading on a quote in a
 * string for a whole session). TypeScript's parser reads each file; type errors are not checked
 * here (`pnpm lint` type-checks these folders: tsconfig.check.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const FOLDERS = ['gradbench', 'test', 'examples', 'scripts'];
const SKIPPED = new Set(['node_modules', 'dist', 'fixtures']);

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : typeScriptFiles(path);
    return /\.m?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The syntax errors TypeScript's parser finds in a file, as `line:column message`. */
function syntaxErrors(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const { parseDiagnostics } = source as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] };
  return parseDiagnostics.map((d) => {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start);
    return `${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('the repository', () => {
  const files = FOLDERS.flatMap((folder) => typeScriptFiles(join(root, folder)));

  it('has scripts to check', () => {
    expect(files.some((f) => f.endsWith(join('gradbench', 'runner', 'main.ts')))).toBe(true);
  });

  it.each(FOLDERS)('parses every TypeScript file under %s/', (folder) => {
    const failing = files
      .filter((f) => relative(root, f).startsWith(`${folder}/`))
      .flatMap((f) => syntaxErrors(f).map((e) => `${relative(root, f)}:${e}`));
    expect(failing).toEqual([]);
  });
});
