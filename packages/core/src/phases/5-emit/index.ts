/**
 * Phase 5: emit. Prints the companion module and, unless turned off, formats it with prettier.
 */
import { format } from 'prettier';
import type { CodeModule } from '../../ir/code.js';
import { printModule } from './print-module.js';

export async function emit(module: CodeModule, options: { format: boolean }): Promise<string> {
  const text = printModule(module);
  if (!options.format) return text;
  // A `.ts` file path tells prettier the text is TypeScript without JSX; without one, prettier
  // guesses by matching a regular expression against the whole text, which takes quadratic time
  // (minutes on a 10,000-operation function).
  return format(text, { parser: 'typescript', filepath: 'companion.grad.ts', singleQuote: true, printWidth: 100 });
}

/** The printed text without prettier: the same code, synchronously. */
export function emitUnformatted(module: CodeModule): string {
  return printModule(module);
}
