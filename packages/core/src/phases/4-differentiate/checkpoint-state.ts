/**
 * The state of a checkpointed loop: what the reverse sweep stores at a checkpoint and restores to
 * run iterations again. It is everything an iteration reads that an earlier one may have changed:
 *
 *   - the carried numbers and booleans (`x`, `v`, `i`, a `broke` flag), stored in the schedule's
 *     Float64Array, `numbers.length` per slot;
 *   - the arrays and objects made before the loop that its body reads or writes, when the function
 *     writes them anywhere: deep copies, restored in place (so that rows shared with other arrays
 *     stay shared). Those the caller can see (a parameter's, the result's) are put back as the
 *     forward sweep left them once the reverse is done: grad_f has the primal's effect only.
 *
 * Checkpointed loops carry no arrays and keep every shape fixed (analysis/checks/checkpoints.ts), so
 * this is the whole state.
 */
import { index, member, method, num, ref, sub } from '../../ir/build.js';
import type { AssignTarget, Expr, Stmt } from '../../ir/code.js';
import type { Carried, LoopInstr, Type, ValueId } from '../../ir/ssa.js';
import { definitionsIn, forEachInstr, operands } from '../../ir/walk.js';
import type { Namer } from '../../naming.js';
import type { FunctionFacts } from './facts.js';
import type { PrimalNames } from './names.js';
import { keptCarried } from './taped-loop.js';

export interface LoopState {
  numbers: Carried[];
  containers: ValueId[];
  /** The containers put back as the forward sweep left them. */
  kept: ValueId[];
}

/** The values made before the loop that its iterations read (the state's containers among them). */
export function valuesReadFromOutside(names: PrimalNames, loop: LoopInstr): ValueId[] {
  const inside = definitionsIn(loop.body);
  for (const c of loop.carried) inside.add(c.param);
  const read = new Set<ValueId>(loop.carried.map((c) => c.init));
  forEachInstr(loop.body, (instr) => {
    for (const v of operands(instr)) if (!inside.has(v)) read.add(v);
  });
  return [...read].filter((v) => !names.isInline(v)).sort((a, b) => a - b);
}

/** The state of the loop, given every value the reverse sweep reads (the tape plan's `read`). */
export function loopState(facts: FunctionFacts, names: PrimalNames, read: ReadonlySet<ValueId>, loop: LoopInstr): LoopState {
  const { activity, fn } = facts;
  const numbers = keptCarried(activity, read, loop);
  const stray = numbers.find((c) => !activity.isScalar(c.param));
  // analysis/checks/checkpoints.ts rejects these (AD2031)
  if (stray) throw new Error(`checkpointed loop carries the container ${names.name(stray.param)}`);
  const containers = valuesReadFromOutside(names, loop).filter((v) => !activity.isScalar(v) && activity.isWritten(v));
  const visible = [...fn.params.map((p) => p.value), ...(fn.result === undefined ? [] : [fn.result])].filter((v) => !activity.isScalar(v));
  const kept = containers.filter((v) => visible.some((p) => activity.mayAlias(v, p)));
  return { numbers, containers, kept };
}

/**
 * target ← source, element by element and in place, for two containers of the same shape (a plain
 * array takes the source's length too: a helper may have pushed onto it).
 */
export function restoreInto(namer: Namer, type: Type, target: AssignTarget, source: Expr): Stmt[] {
  switch (type.kind) {
    case 'number':
    case 'boolean':
      return [{ kind: 'assign', op: '=', target, value: source }];
    case 'array': {
      if (type.container !== 'Array') return [{ kind: 'expr', expr: method(target, 'set', [source]) }];
      const counter = namer.claim('k');
      const k = sub(ref(counter), num(1));
      return [
        { kind: 'assign', op: '=', target: member(target, 'length'), value: member(source, 'length') },
        {
          kind: 'countdown',
          counter,
          from: member(source, 'length'),
          body: restoreInto(namer, type.element, index(target, k), index(source, k)),
        },
      ];
    }
    case 'tuple':
      return type.elements.flatMap((t, i) => restoreInto(namer, t, index(target, num(i)), index(source, num(i))));
    case 'object':
      return type.fields.flatMap((f) => restoreInto(namer, f.type, member(target, f.name), member(source, f.name)));
  }
}
