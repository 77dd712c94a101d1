/**
 * Phase: check. What can only be decided on the optimised program, with its analyses: calls and
 * results through which adjoints would be lost (errors), checkpointed loops Adjoint cannot
 * checkpoint (errors) or will not (warnings), pushes onto arguments in functions differentiated
 * again (errors), a Hessian asked of a function of no numbers (errors), and differentiated
 * parameters whose gradient is always zero (warnings). A function with an error gets no gradient,
 * nor does any marked function that calls it, directly or not.
 */
import type { Diagnostic } from '../api.js';
import { withPattern, type SsaFunction } from '../ir/ssa.js';
import { calledKeys } from '../ir/walk.js';
import { differentiatedPattern, type FunctionEntry, type LoweredRoot } from '../phases/2-lower/program.js';
import { checkpointErrors, checkpointsNotApplied } from './checks/checkpoints.js';
import { hessianOfNothingErrors } from './checks/hessian-of-nothing.js';
import { pushOntoArgumentErrors } from './checks/pushes-onto-arguments.js';
import { resultAliasErrors } from './checks/result-alias.js';
import { storedThroughCallErrors } from './checks/stored-through-call.js';
import { zeroGradientWarnings } from './checks/zero-gradient.js';
import type { Analyses } from './index.js';

export interface CheckInput {
  /** The marked functions to check, each lowered. */
  roots: LoweredRoot[];
  /** The functions they call, directly or not, roots included, each lowered. */
  entries: FunctionEntry[];
  /** The same functions optimised, by key. */
  optimized: Map<string, SsaFunction>;
  analyses: Analyses;
  /** The keys of the functions that call one of `keys`, directly or not, those included. */
  reaching: (keys: ReadonlySet<string>) => ReadonlySet<string>;
  /** Report the parameters whose gradient is always zero (not for a companion differentiated again). */
  zeroGradients: boolean;
  /**
   * Report arrays and objects stored into arguments through a call (AD2041): a reverse-mode limit,
   * so not for a companion differentiated again, which gets forward mode only.
   */
  storesThroughCalls: boolean;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** The keys of the functions with errors. */
  failed: Set<string>;
}

export function check({ roots, entries, optimized, analyses, zeroGradients, storesThroughCalls, reaching }: CheckInput): CheckResult {
  const failed = new Set<string>();
  const errors = (entry: FunctionEntry, found: Diagnostic[]) => {
    if (found.length > 0) failed.add(entry.key);
    return found;
  };
  const called = new Set(entries.flatMap((e) => calledKeys(e.ssa!.body)));
  const diagnostics = [
    ...entries.filter((entry) => called.has(entry.key)).flatMap((entry) => errors(entry, resultAliasErrors(entry, analyses))),
    ...(storesThroughCalls
      ? entries.flatMap((entry) => errors(entry, storedThroughCallErrors(entry.file.path, optimized.get(entry.key)!, analyses)))
      : []),
    ...entries.flatMap((entry) => errors(entry, checkpointErrors(entry.ssa!, analyses.summaries))),
    ...roots.flatMap((root) => errors(root.entry, hessianOfNothingErrors(root))),
  ];
  // what is differentiated again: the hessian-marked functions and what they call, each with the marks that make it so
  const hessianMarks = new Map<string, string[]>();
  for (const root of roots.filter(({ marked }) => marked.options.hessian)) {
    for (const key of calledFrom(entries, [root.entry.key])) hessianMarks.set(key, [...(hessianMarks.get(key) ?? []), root.marked.name]);
  }
  const again = entries.filter((entry) => hessianMarks.has(entry.key));
  diagnostics.push(...again.filter((entry) => !failed.has(entry.key)).flatMap((entry) => checkpointsNotApplied(entry.ssa!)));
  diagnostics.push(
    ...again.flatMap((entry) => {
      const lines = { first: entry.node.getStartLineNumber(), last: entry.node.getEndLineNumber() };
      return errors(entry, pushOntoArgumentErrors(entry.file.path, lines, optimized.get(entry.key)!, hessianMarks.get(entry.key)!));
    }),
  );
  if (zeroGradients) {
    const failing = reaching(failed);
    for (const root of roots.filter((r) => !failing.has(r.entry.key))) {
      const ssa = withPattern(optimized.get(root.entry.key)!, differentiatedPattern(root));
      diagnostics.push(...zeroGradientWarnings(root.marked, root.entry.file.path, ssa, analyses));
    }
  }
  return { diagnostics, failed };
}

/** The keys of `keys` and of the functions they call, directly or not (the lowered calls). */
function calledFrom(entries: FunctionEntry[], keys: string[]): Set<string> {
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const reached = new Set<string>();
  for (const pending = [...keys]; pending.length > 0;) {
    const key = pending.pop()!;
    if (reached.has(key)) continue;
    reached.add(key);
    const ssa = byKey.get(key)?.ssa;
    if (ssa) pending.push(...calledKeys(ssa.body));
  }
  return reached;
}
