/**
 * Phase 5: emit. Prints the companion module and, unless turned off, formats it with prettier.
 */
import { format, type Plugin } from 'prettier';
import type { PrettierOptions } from '../../api.js';
import type { CodeModule } from '../../ir/code.js';
import { printModule } from './print-module.js';

/**
 * Companions longer than this are left as Adjoint's printer lays them out (the same code, with long
 * lines unwrapped): prettier formats about 300 KB a second, so it would take longer than the rest
 * of the compilation of a function of 4,000 operations or more.
 */
export const PRETTIER_MAX_CHARACTERS = 1_000_000;

/** Adjoint's style, for a project without a Prettier configuration of its own. */
const ADJOINT_STYLE: PrettierOptions = { singleQuote: true, printWidth: 100 };

export async function emit(module: CodeModule, options: { format: boolean; formatOptions?: PrettierOptions | undefined }): Promise<string> {
  const text = printModule(module);
  if (!options.format || text.length > PRETTIER_MAX_CHARACTERS) return text;
  // the project's style, but not its parser or plugins (loading those is the project's business)
  const { parser: _parser, plugins: _plugins, overrides: _overrides, filepath: _filepath, ...style } = options.formatOptions ?? ADJOINT_STYLE;
  const plugins = await typescriptPlugins();
  // A `.ts` file path tells prettier the text is TypeScript without JSX; without one, prettier
  // guesses by matching a regular expression against the whole text, which takes quadratic time
  // (minutes on a 10,000-operation function).
  return format(text, { ...style, parser: 'typescript', plugins, filepath: 'companion.grad.ts' });
}

/**
 * Prettier's TypeScript parser and its printer, handed to `format` rather than found by name:
 * prettier's browser build (prettier/standalone, which bundlers pick for a web page or a worker)
 * has no plugins of its own. Node's prettier loads these same modules for the parser name. Loaded
 * on the first format, so that a caller that never formats (compileSync) does not load them.
 */
let plugins: Promise<Plugin[]> | undefined;
function typescriptPlugins(): Promise<Plugin[]> {
  plugins ??= Promise.all([import('prettier/plugins/typescript'), import('prettier/plugins/estree')]) as Promise<Plugin[]>;
  return plugins;
}

/** The printed text without prettier: the same code, synchronously. */
export function emitUnformatted(module: CodeModule): string {
  return printModule(module);
}
