/**
 * A companion as JavaScript, for shells that serve it to a bundler which may have no TypeScript
 * step of its own (Rollup, webpack). Types are erased by TypeScript's single-file transpiler (the
 * one ts-morph bundles); nothing else changes.
 */
import * as path from './posix-path.js';
import { ts } from 'ts-morph';

/** A version 3 source map, as bundlers take it. */
export interface SourceMap {
  version: number;
  file?: string;
  sources: string[];
  sourcesContent?: string[];
  names: string[];
  mappings: string;
}

export interface JavaScriptCompanion {
  /** ES module JavaScript, without a `sourceMappingURL` comment. */
  code: string;
  /** Maps `code` to the companion's TypeScript text, which it holds as its only source. */
  map: SourceMap;
}

export function companionToJavaScript(text: string, companionPath: string): JavaScriptCompanion {
  const { outputText, sourceMapText } = ts.transpileModule(text, {
    fileName: companionPath,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      sourceMap: true,
      inlineSources: true,
    },
  });
  const map = JSON.parse(sourceMapText!) as SourceMap;
  map.sources = [path.basename(companionPath)];
  map.sourcesContent = [text];
  delete map.file;
  return { code: outputText.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, '\n'), map };
}
