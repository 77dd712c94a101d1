/**
 * Phase 5: emit. Prints the companion module and, unless turned off, formats it with prettier.
 */
import { format } from 'prettier';
import type { CodeModule } from '../../ir/code.js';
import { printModule } from './print-module.js';

/**
 * Companions longer than this are left as Adjoint's printer lays them out (the same code, with long
 * lines unwrapped): prettier formats about 300 KB a second, so it would take longer than the rest
 * of the compilation of a function of 4,000 operations or more.
 */
export const PRETTIER_MAX_CHARACTERS = 1_000_000;

export async function emit(module: CodeModule, options: { format: boolean }): Promise<string> {
  const text = printModule(module);
  if (!options.format || text.length > PRETTIER_MAX_CHARACTERS) return text;
  // A `.ts` file path tells prettier the text is TypeScript without JSX; without one, prettier
  // guesses by matching a regular expression against the whole text, which takes quadratic time
  // (minutes on a 10,000-operation function).
  return format(text, { parser: 'typescript', filepath: 'companion.grad.ts', singleQuote: true, printWidth: 100 });
}

/** The printed text without prettier: the same code, synchronously. */
export function emitUnformatted(module: CodeModule): string {
  return printModule(module);
}
