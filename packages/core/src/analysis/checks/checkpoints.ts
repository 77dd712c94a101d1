/**
 * What a checkpointed loop may do. Its gradient stores the loop's state (the carried numbers, and
 * the contents of the arrays and objects made before the loop that it reads or writes) and later
 * restores it to run iterations again, in place. That is exact only when the state has a fixed
 * shape, so a checkpointed loop may not
 *
 *   - carry an array or object from one iteration to the next (AD2031): which storage the
 *     variable names would change between stored states;
 *   - store an array or object into another, or push onto an array made before the loop, itself
 *     or through a function it calls (AD2032): a restored state would keep the new shape.
 *
 * Everything else the body can do (branches, inner loops, element writes, calls) is recomputed
 * exactly from a restored state.
 */
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { isContainer, type LoopInstr, type SsaFunction, type ValueId } from '../../ir/ssa.js';
import { definitionsIn, forEachInstr } from '../../ir/walk.js';
import { assumeEverything, type CalleeSummaries } from '../callee-summary.js';

export function checkpointErrors(fn: SsaFunction, summaries: CalleeSummaries): Diagnostic[] {
  const errors: Diagnostic[] = [];
  forEachInstr(fn.body, (instr) => {
    if (instr.kind === 'loop' && instr.checkpoint) errors.push(...loopErrors(fn, instr, summaries));
  });
  return errors;
}

function loopErrors(fn: SsaFunction, loop: LoopInstr, summaries: CalleeSummaries): Diagnostic[] {
  const location = loop.checkpoint!.location;
  const containerValue = (v: ValueId) => isContainer(fn.values[v]!.type);
  const errors: Diagnostic[] = [];
  for (const c of loop.carried) {
    if (containerValue(c.param)) errors.push(createDiagnostic('AD2031', { name: fn.values[c.param]!.hint || 'a temporary' }, location));
  }
  const inside = definitionsIn(loop.body);
  const name = (v: ValueId) => fn.values[v]!.hint || 'an array';
  const reasons = new Set<string>();
  forEachInstr(loop.body, (instr) => {
    if ((instr.kind === 'store' || instr.kind === 'push') && containerValue(instr.value))
      reasons.add(`it stores an array or object into '${name(instr.container)}'`);
    if (instr.kind === 'push' && !inside.has(instr.container)) reasons.add(`it pushes onto '${name(instr.container)}'`);
    if (instr.kind === 'call' && (summaries(instr.callee) ?? assumeEverything(instr.args.length)).storesContainers) {
      reasons.add(`'${instr.callee.slice(instr.callee.lastIndexOf('#') + 1)}' stores an array or object into another`);
    }
  });
  for (const reason of reasons) errors.push(createDiagnostic('AD2032', { what: reason }, location));
  return errors;
}

/**
 * Warnings for the checkpointed loops of a function that the second-order exports differentiate
 * again (one marked @differentiable(hessian), or one it calls): grad_f checkpoints them, but the
 * view of the companion that is differentiated again tapes them (AD2034).
 */
export function checkpointsNotApplied(fn: SsaFunction): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  forEachInstr(fn.body, (instr) => {
    if (instr.kind === 'loop' && instr.checkpoint) warnings.push(createDiagnostic('AD2034', {}, instr.checkpoint.location));
  });
  return warnings;
}
