/**
 * AD2041: a call (left after inlining) of a function that stores an array or object into an
 * argument whose adjoints flow: the callee's backprop, replayed in joint mode, builds that
 * container's shadow anew instead of reading the one the caller's reverse sweep filled.
 */
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import type { CallInstr, SsaFunction } from '../../ir/ssa.js';
import { forEachInstr } from '../../ir/walk.js';
import type { Analyses } from '../index.js';

/** `ssa` is the optimised function; `file` is where it is defined. */
export function storedThroughCallErrors(file: string, ssa: SsaFunction, analyses: Analyses): Diagnostic[] {
  const calls: CallInstr[] = [];
  forEachInstr(ssa.body, (instr) => instr.kind === 'call' && calls.push(instr));
  const summaries = analyses.summaries;
  const suspects = calls.filter((call) => call.args.some((_, j) => summaries(call.callee)?.storesIntoParam[j]));
  if (suspects.length === 0) return [];
  const activity = analyses.activity(ssa);
  return suspects.flatMap((call) => {
    const j = call.args.findIndex((arg, k) => summaries(call.callee)?.storesIntoParam[k] && activity.isActive(arg));
    if (j < 0) return [];
    return [
      createDiagnostic(
        'AD2041',
        { source: call.origin.text, callee: call.callee.slice(call.callee.lastIndexOf('#') + 1) },
        { file, line: call.origin.line, column: call.origin.column, length: call.origin.text.length },
      ),
    ];
  });
}
