/**
 * AD1013: a function whose result may share storage with a parameter (it returns the parameter, a
 * row of it, …). Its caller would give the result a shadow of its own, and the adjoints reaching
 * the result would not reach the argument. Only a called function is checked: a marked function's
 * own exports seed the adjoint of the result in place (its shadow is the parameter's), so a marked
 * function returning (part of) its parameter is fine unless called.
 */
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { locationOf } from '../../phases/1-parse/location.js';
import { declarationOf, type FunctionEntry } from '../../phases/2-lower/program.js';
import type { Analyses } from '../index.js';

export function resultAliasErrors(entry: FunctionEntry, analyses: Analyses): Diagnostic[] {
  const ssa = entry.ssa!;
  const result = ssa.result;
  if (result === undefined || ['number', 'boolean'].includes(ssa.values[result]!.type.kind)) return [];
  const activity = analyses.activity(ssa);
  const shared = ssa.params.find((p) => !activity.isScalar(p.value) && activity.mayAlias(p.value, result));
  if (!shared) return [];
  const node = declarationOf(entry);
  return [createDiagnostic('AD1013', { function: entry.name, parameter: shared.name }, node && locationOf(node, entry.file.path))];
}
