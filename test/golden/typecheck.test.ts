/**
 * The generated companions are ordinary TypeScript: they type-check under `strict` and
 * `noUnusedLocals` next to their sources (the golden cases and the examples).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('every golden and example companion type-checks under strict options', () => {
  const goldenCompanions = readdirSync(`${root}test/golden/expected`).map((f) => `${root}test/golden/expected/${f}`);
  const exampleCompanions = readdirSync(`${root}examples`, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.grad.ts'))
    .map((f) => `${root}examples/${f}`);
  const program = ts.createProgram([...goldenCompanions, ...exampleCompanions], {
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: false,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2023.d.ts'],
    paths: { '@adjoint/core': [`${root}packages/core/src/index.ts`] },
  });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.endsWith('.grad.ts'))
    .map((d) => `${d.file!.fileName.slice(root.length)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  expect(errors).toEqual([]);
  expect(goldenCompanions.length + exampleCompanions.length).toBeGreaterThan(20);
});
