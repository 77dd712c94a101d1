/**
 * Phase 5: emit. Prints the companion module and, unless turned off, formats it with prettier.
 */
import type { Plugin } from 'prettier';
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
  const {
    parser: _parser,
    plugins: _plugins,
    overrides: _overrides,
    filepath: _filepath,
    ...style
  } = options.formatOptions ?? ADJOINT_STYLE;
  // A `.ts` file path tells prettier the text is TypeScript without JSX; without one, prettier
  // guesses by matching a regular expression against the whole text, which takes quadratic time
  // (minutes on a 10,000-operation function). Prettier's Babel parser reads TypeScript into the
  // same tree as its TypeScript parser, from which prettier prints the same text, in about half
  // the time (a third of the 1,000-operation circuit's compile went to parsing its companion).
  const { format, plugins } = await standalonePrettier();
  try {
    return await format(text, { ...style, parser: 'babel-ts', plugins, filepath: 'companion.grad.ts' });
  } catch (error) {
    // prettier walks expressions recursively: a module constant of thousands of terms (Adjoint
    // prints it in a loop) runs it out of stack, and the companion keeps Adjoint's layout
    if (error instanceof RangeError) return text;
    throw error;
  }
}

/**
 * Prettier's standalone build (no Node built-in, so the core runs in a browser or a Web Worker)
 * with its Babel parser (`babel-ts` reads TypeScript) and its printer, handed to `format` rather
 * than found by name: the standalone build has no plugins of its own. It gives the same output as
 * prettier's Node entry, which formats a `.ts` file with its TypeScript parser (the goldens and
 * the benchmark companions are the same bytes either way). Loaded on the first format, so that a
 * caller that never formats (compileSync) does not load it.
 */
let prettier: Promise<{ format: typeof import('prettier/standalone').format; plugins: Plugin[] }> | undefined;
function standalonePrettier() {
  prettier ??= Promise.all([import('prettier/standalone'), import('prettier/plugins/babel'), import('prettier/plugins/estree')]).then(
    ([{ format }, babel, estree]) => ({ format, plugins: [babel, estree] as Plugin[] }),
  );
  return prettier;
}

/** The printed text without prettier: the same code, synchronously. */
export function emitUnformatted(module: CodeModule): string {
  return printModule(module);
}
