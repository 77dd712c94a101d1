/**
 * AD2042: a push onto a parameter's storage in a function that is differentiated again (a
 * hessian-marked function, or one it calls). Its reverse sweep gives the argument's shadow back
 * the length it had before the push by assigning `d_a.length` (3-optimize/parameter-layout.ts),
 * which the subset the companion is read back in does not hold.
 */
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import type { SsaFunction } from '../../ir/ssa.js';
import { forEachInstr } from '../../ir/walk.js';

/**
 * `ssa` is the optimised function (through parameter-layout), defined in `file` on `lines`;
 * `hessianMarked` names the hessian-marked functions that differentiate it again (itself or its
 * callers). A push inlined from a callee is the callee's to report (it is differentiated again too).
 */
export function pushOntoArgumentErrors(
  file: string,
  lines: { first: number; last: number },
  ssa: SsaFunction,
  hessianMarked: string[],
): Diagnostic[] {
  const errors: Diagnostic[] = [];
  forEachInstr(ssa.body, (instr) => {
    if (instr.kind !== 'push' || !instr.restoresLength) return;
    if (instr.origin.line < lines.first || instr.origin.line > lines.last) return;
    const { line, column, text } = instr.origin;
    const marks = hessianMarked.map((name) => `'${name}'`).join(', ');
    errors.push(createDiagnostic('AD2042', { source: text, function: ssa.name, marks }, { file, line, column, length: text.length }));
  });
  return errors;
}
