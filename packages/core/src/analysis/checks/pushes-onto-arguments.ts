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

/** `ssa` is the optimised function (through parameter-layout); `file` is where it is defined. */
export function pushOntoArgumentErrors(file: string, ssa: SsaFunction): Diagnostic[] {
  const errors: Diagnostic[] = [];
  forEachInstr(ssa.body, (instr) => {
    if (instr.kind !== 'push' || !instr.restoresLength) return;
    const { line, column, text } = instr.origin;
    errors.push(createDiagnostic('AD2042', [text, ssa.name], { file, line, column, length: text.length }));
  });
  return errors;
}
