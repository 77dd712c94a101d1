/**
 * @adjoint/ts-plugin: a TypeScript language-service plugin that serves Adjoint's companions to the
 * editor in memory. With it in tsconfig.json,
 *
 *     "compilerOptions": { "plugins": [{ "name": "@adjoint/ts-plugin" }] }
 *
 * `import { grad_f } from './model.grad.js'` resolves while no `model.grad.ts` is on disk (the tsc
 * plugin and the bundler plugin generate it at build time): the import type-checks, `grad_f`
 * completes, and go-to-definition on it lands on `f` in `model.ts`. The companion is compiled from
 * the editor's text of `model.ts`, unsaved edits included, again whenever that text changes.
 *
 * Like every language-service plugin it works with the TypeScript instance tsserver hands it and
 * changes nothing on disk; a companion written by the CLI is left to the editor as it is.
 */
import { companionPathFor, compileSync, isCompilableSourcePath, markedFunctionOfExport } from '@adjoint/core';
import * as path from 'node:path';
import type * as ts from 'typescript';

/** What tsserver passes a plugin's factory. */
interface PluginModules {
  typescript: typeof ts;
}

/** `./model.grad`, `./model.grad.js`, `./model.grad.ts` and their `.mjs`/`.cjs`/`.mts`/`.cts` forms. */
const COMPANION_IMPORT = /\.grad(?:\.([mc]?)[jt]s)?$/;

interface Companion {
  sourceVersion: string;
  text: string;
  /** The marked functions it holds exports for. */
  functions: string[];
}

function init({ typescript: tsi }: PluginModules): ts.server.PluginModule {
  return {
    create(info: ts.server.PluginCreateInfo): ts.LanguageService {
      const host = info.languageServiceHost;
      const companions = new Map<string, Companion>();

      /** The source a virtual companion is made from: `model.ts` beside `model.grad.ts`, when no companion is on disk. */
      const sourceOf = (fileName: string): string | undefined => {
        const match = /^(.*)\.grad\.([mc]?)ts$/.exec(fileName);
        if (!match) return undefined;
        const source = `${match[1]}.${match[2]}ts`;
        if (!isCompilableSourcePath(source) || tsi.sys.fileExists(fileName)) return undefined;
        return host.fileExists?.(source) || tsi.sys.fileExists(source) ? source : undefined;
      };

      /** The companion of `fileName`'s source, compiled from the editor's text of it (cached by its version). */
      const companion = (fileName: string): Companion | undefined => {
        const source = sourceOf(fileName);
        if (!source) return undefined;
        const sourceVersion = host.getScriptVersion(source);
        const cached = companions.get(fileName);
        if (cached && cached.sourceVersion === sourceVersion) return cached;
        const snapshot = host.getScriptSnapshot(source);
        const text = snapshot ? snapshot.getText(0, snapshot.getLength()) : tsi.sys.readFile(source);
        if (text === undefined) return undefined;
        // the modules the source imports are read through the project's host, as the editor sees them
        const readFile = (file: string) => host.readFile?.(file) ?? tsi.sys.readFile(file);
        // a source with errors has no companion: its own diagnostics are the editor's to show
        const output = compileSync([{ path: source, text }], { host: { readFile } }).outputs.find(
          (o) => path.resolve(o.companionPath) === path.resolve(fileName),
        );
        const made: Companion = { sourceVersion, text: output?.text ?? 'export {};\n', functions: output?.functions ?? [] };
        companions.set(fileName, made);
        registerWithProjectService(fileName);
        return made;
      };

      /**
       * tsserver keeps a ScriptInfo for every file of a program and fails without one: the
       * companion gets one, told by a host of its own that the file exists (its text is the
       * project host's, below).
       */
      function registerWithProjectService(fileName: string): void {
        const projectService = (info.project as ts.server.Project | undefined)?.projectService;
        if (!projectService) return;
        const normalized = tsi.server.toNormalizedPath(fileName);
        if (projectService.getScriptInfoForNormalizedPath(normalized)) return;
        type QueryHost = Parameters<typeof projectService.getOrCreateScriptInfoForNormalizedPath>[5];
        const existsHere = { fileExists: (name: string) => name === fileName || tsi.sys.fileExists(name) } as unknown as QueryHost;
        projectService.getOrCreateScriptInfoForNormalizedPath(normalized, false, undefined, tsi.ScriptKind.TS, false, existsHere);
      }

      // The host answers for the virtual companions as if they were files.
      const { fileExists, readFile, getScriptSnapshot, getScriptVersion } = host;
      host.fileExists = (fileName) =>
        sourceOf(fileName) !== undefined || (fileExists ? fileExists.call(host, fileName) : tsi.sys.fileExists(fileName));
      host.readFile = (fileName, encoding) =>
        companion(fileName)?.text ?? (readFile ? readFile.call(host, fileName, encoding) : tsi.sys.readFile(fileName, encoding));
      host.getScriptSnapshot = (fileName) => {
        const made = companion(fileName);
        return made ? tsi.ScriptSnapshot.fromString(made.text) : getScriptSnapshot.call(host, fileName);
      };
      host.getScriptVersion = (fileName) => {
        const source = sourceOf(fileName);
        return source ? `adjoint:${host.getScriptVersion(source)}` : getScriptVersion.call(host, fileName);
      };

      // A host with its own module resolution (tsserver's projects) is told where companions are.
      const resolveLiterals = host.resolveModuleNameLiterals;
      if (resolveLiterals) {
        host.resolveModuleNameLiterals = (literals, containingFile, ...rest) => {
          const resolved = resolveLiterals.call(host, literals, containingFile, ...rest);
          return resolved.map((result, i) => {
            if (result.resolvedModule) return result;
            const target = companionTarget(literals[i]!.text, containingFile);
            return target
              ? { resolvedModule: { resolvedFileName: target, extension: extensionOf(target), isExternalLibraryImport: false } }
              : result;
          });
        };
      }

      /** The companion file a relative import names, when the plugin serves it. */
      function companionTarget(specifier: string, containingFile: string): string | undefined {
        const match = COMPANION_IMPORT.exec(specifier);
        if (!match || !specifier.startsWith('.')) return undefined;
        const stem = path.resolve(path.dirname(containingFile), specifier.slice(0, match.index));
        const flavours = match[1] !== undefined ? [match[1]] : ['', 'm', 'c'];
        return flavours.map((flavour) => companionPathFor(`${stem}.${flavour}ts`)).find((candidate) => sourceOf(candidate) !== undefined);
      }

      function extensionOf(fileName: string): ts.Extension {
        return fileName.endsWith('.mts') ? tsi.Extension.Mts : fileName.endsWith('.cts') ? tsi.Extension.Cts : tsi.Extension.Ts;
      }

      // Go-to-definition on grad_f lands on f in the source, not in the generated text.
      const service = info.languageService;
      const proxy: ts.LanguageService = Object.create(null);
      for (const key of Object.keys(service) as Array<keyof ts.LanguageService>) {
        const member = service[key];
        (proxy as unknown as Record<string, unknown>)[key] =
          typeof member === 'function' ? (...args: unknown[]) => (member as (...a: unknown[]) => unknown).apply(service, args) : member;
      }
      const toSource = (definition: ts.DefinitionInfo): ts.DefinitionInfo => {
        const made = sourceOf(definition.fileName) ? companion(definition.fileName) : undefined;
        const fn = made && markedFunctionOfExport(definition.name, made.functions);
        if (!fn) return definition;
        const source = sourceOf(definition.fileName)!;
        const span = declarationSpan(service.getProgram()?.getSourceFile(source), fn);
        return span ? { ...definition, fileName: source, textSpan: span, contextSpan: undefined, name: fn } : definition;
      };
      proxy.getDefinitionAndBoundSpan = (fileName, position) => {
        const result = service.getDefinitionAndBoundSpan(fileName, position);
        return result && { ...result, definitions: result.definitions?.map(toSource) };
      };
      proxy.getDefinitionAtPosition = (fileName, position) => service.getDefinitionAtPosition(fileName, position)?.map(toSource);
      return proxy;
    },
  };

  /** Where `name` is declared at the top of the source: a function, or a const holding one. */
  function declarationSpan(sourceFile: ts.SourceFile | undefined, name: string): ts.TextSpan | undefined {
    for (const statement of sourceFile?.statements ?? []) {
      const named = tsi.isFunctionDeclaration(statement)
        ? statement.name
        : tsi.isVariableStatement(statement)
          ? statement.declarationList.declarations.find((d) => tsi.isIdentifier(d.name) && d.name.text === name)?.name
          : undefined;
      if (named && tsi.isIdentifier(named) && named.text === name)
        return { start: named.getStart(sourceFile), length: named.getWidth(sourceFile) };
    }
    return undefined;
  }
}

export default init;
