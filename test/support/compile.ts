/** Compiles source text with the core and loads both the source and its companion. */
import { compile, type CompileOptions, type CompileResult } from '@adjoint/core';
import { loadModule, type ModuleExports } from './load.js';

export interface Compiled {
  result: CompileResult;
  /** The generated companion's text. */
  text: string;
  source: ModuleExports;
  companion: ModuleExports;
}

const cache = new Map<string, Promise<Compiled>>();

/** Compiles a source once per test file run; later calls with the same text share the result. */
export function compileSource(source: string, path = 'case.ts', options: CompileOptions = {}): Promise<Compiled> {
  const key = `${path}\0${JSON.stringify(options)}\0${source}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compileUncached(source, path, options);
    cache.set(key, compiled);
  }
  return compiled;
}

async function compileUncached(source: string, path: string, options: CompileOptions): Promise<Compiled> {
  const result = await compile([{ path, text: source }], options);
  const errors = result.diagnostics.filter((d) => d.category === 'error');
  if (errors.length > 0) {
    throw new Error(`compile failed:\n${errors.map((d) => `${d.code} ${d.location?.line}:${d.location?.column} ${d.message}`).join('\n')}`);
  }
  const output = result.outputs[0];
  if (!output) throw new Error('no companion was generated');
  return { result, text: output.text, source: loadModule(source, path), companion: loadModule(output.text, output.companionPath) };
}

type NumberFunction = (...args: number[]) => number;

export function fn(module: ModuleExports, name: string): NumberFunction {
  const value = module[name];
  if (typeof value !== 'function') throw new Error(`module has no function '${name}'`);
  return value as NumberFunction;
}
