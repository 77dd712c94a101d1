/**
 * TypeScript's own errors that make a function's meaning unclear to the differentiator: a result
 * that is not the declared number (a boolean, or nothing on some path), a duplicate declaration, a
 * variable used before it is assigned. tsc rejects such a source; Adjoint reports them (AD1015)
 * rather than differentiate a function whose values are not what its types say.
 */
import { ts, type Node, type SourceFile } from 'ts-morph';
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { lineAndColumnAt } from './location.js';

/**
 * TS2322 not assignable, TS2355/TS2366/TS7030 missing return value, TS2393 duplicate implementation,
 * TS2448/TS2454 used before assignment, TS2362/TS2363/TS2365 arithmetic on what is not a number.
 */
const MEANING_CHANGING = new Set([2322, 2355, 2366, 7030, 2393, 2448, 2454, 2362, 2363, 2365]);

const cache = new WeakMap<SourceFile, readonly ts.Diagnostic[]>();

export function typeErrorsIn(node: Node, path: string): Diagnostic[] {
  const sourceFile = node.getSourceFile();
  let all = cache.get(sourceFile);
  if (!all) {
    all = sourceFile.getProject().getProgram().compilerObject.getSemanticDiagnostics(sourceFile.compilerNode);
    cache.set(sourceFile, all);
  }
  const [start, end] = [node.getStart(), node.getEnd()];
  return all
    .filter((d) => MEANING_CHANGING.has(d.code) && d.start !== undefined && d.start >= start && d.start < end)
    .map((d) => {
      const { line, column } = lineAndColumnAt(sourceFile, d.start!);
      return createDiagnostic(
        'AD1015',
        { error: `TS${d.code}`, explanation: ts.flattenDiagnosticMessageText(d.messageText, ' ') },
        { file: path, line, column, length: d.length ?? 1 },
      );
    });
}
