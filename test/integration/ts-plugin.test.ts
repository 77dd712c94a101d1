/**
 * @adjoint/ts-plugin in a language service, loaded as tsserver loads it (require of the package,
 * `create` with the service and its host): on a project with `model.ts` and no `model.grad.ts` on
 * disk, `import { grad_f } from './model.grad.js'` has no diagnostics, completions list grad_f,
 * go-to-definition lands on f in model.ts, and an edit of model.ts reaches the companion.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(path.join(tmpdir(), 'adjoint-ts-plugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = new Map<string, { text: string; version: number }>();
const write = (name: string, text: string) => {
  const fileName = path.join(dir, name);
  files.set(fileName, { text, version: (files.get(fileName)?.version ?? 0) + 1 });
  writeFileSync(fileName, text);
  return fileName;
};

const model = write(
  'model.ts',
  `/** @differentiable */
export function f(x: number, y: number): number {
  return x * Math.sin(y);
}
`,
);
const main = write(
  'main.ts',
  `import { grad_f } from './model.grad.js';

const g: { x: number; y: number } = grad_f(1, 2);
export const sum = g.x + g.y;
`,
);
writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');

const options: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  types: [],
  noEmit: true,
};

function languageService(withPlugin: boolean): ts.LanguageService {
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [model, main],
    getScriptVersion: (fileName) => String(files.get(fileName)?.version ?? 0),
    getScriptSnapshot: (fileName) => {
      const text = files.get(fileName)?.text ?? ts.sys.readFile(fileName);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => dir,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (fileName) => files.has(fileName) || ts.sys.fileExists(fileName),
    readFile: (fileName) => files.get(fileName)?.text ?? ts.sys.readFile(fileName),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  if (!withPlugin) return service;
  // as tsserver does: require the package by name, call the factory, then create
  const factory = require('@adjoint/ts-plugin') as ts.server.PluginModuleFactory;
  const plugin = factory({ typescript: ts });
  return plugin.create({ languageService: service, languageServiceHost: host, config: { name: '@adjoint/ts-plugin' } } as unknown as ts.server.PluginCreateInfo);
}

const messages = (diagnostics: readonly ts.Diagnostic[]) => diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));

describe('@adjoint/ts-plugin', () => {
  it('without it, the editor cannot find ./model.grad.js (no companion on disk)', () => {
    expect(existsSync(path.join(dir, 'model.grad.ts'))).toBe(false);
    expect(messages(languageService(false).getSemanticDiagnostics(main)).join('\n')).toMatch(/Cannot find module '\.\/model\.grad\.js'/);
  });

  const service = languageService(true);

  it('serves the companion: no diagnostics in the importer', () => {
    expect(messages(service.getSyntacticDiagnostics(main))).toEqual([]);
    expect(messages(service.getSemanticDiagnostics(main))).toEqual([]);
  });

  it('completes grad_f in the import', () => {
    const text = files.get(main)!.text;
    const completions = service.getCompletionsAtPosition(main, text.indexOf('grad_f'), {});
    const names = completions?.entries.map((e) => e.name) ?? [];
    expect(names).toContain('grad_f');
    expect(names).toContain('valueAndGrad_f');
  });

  it('goes to the definition of grad_f: f in model.ts', () => {
    const text = files.get(main)!.text;
    const at = text.indexOf('grad_f(1, 2)') + 2;
    const definitions = service.getDefinitionAndBoundSpan(main, at)?.definitions ?? [];
    expect(definitions.map((d) => [path.basename(d.fileName), files.get(d.fileName)?.text.slice(d.textSpan.start, d.textSpan.start + d.textSpan.length)])).toEqual([['model.ts', 'f']]);
    expect(service.getDefinitionAtPosition(main, at)?.map((d) => path.basename(d.fileName))).toEqual(['model.ts']);
  });

  it('follows edits of model.ts: a new parameter shows in the type of grad_f', () => {
    write('model.ts', files.get(model)!.text.replace('f(x: number, y: number)', 'f(x: number, y: number, z: number)').replace('Math.sin(y)', 'Math.sin(y) * z'));
    expect(messages(service.getSemanticDiagnostics(main)).join('\n')).toMatch(/Expected 3 arguments, but got 2|Property 'z' is missing/);
  });
});
