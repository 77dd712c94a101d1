/**
 * `store`: a[i] = v, in place.
 *
 *   forward   a[i] = v; the shadow takes v's shadow (a row stored), or grows with the array
 *   reverse   d_v += d_a[i]; d_a[i] = 0        (the overwritten element takes no more);
 *             for a row stored into a parameter's storage, d_a[i] = d_previous (its layout back);
 *             for a number stored into a parameter's array, maybe past its end, d_a.length = the
 *             length before (its shape back)
 *   tangent   ȧ[i] = v̇ (0 for a value that does not vary: the old tangent is overwritten too)
 */
import { binary, member, num, ref } from '../../../ir/build.js';
import type { Stmt } from '../../../ir/code.js';
import { isTypedArray, type StoreInstr } from '../../../ir/ssa.js';
import { tangentOrZero } from '../forward-mode/tangent-values.js';
import type { FunctionFacts } from '../facts.js';
import type { InstrRules } from '../sweeps.js';
import { commentOf, elementOf, elementRead } from './shared.js';

export const storeRules: InstrRules<StoreInstr> = {
  forward(sweep, instr) {
    const { ctx, facts } = sweep;
    const { names } = ctx;
    const statements: Stmt[] = [
      { kind: 'assign', op: '=', target: elementOf(names, names.expr(instr.container), instr.index), value: names.expr(instr.value) },
    ];
    if (!sweep.taping || !facts.activity.isActive(instr.container)) return statements;
    const shadowElement = elementOf(names, ref(names.shadowName(instr.container)), instr.index);
    if (!facts.activity.isScalar(instr.value)) {
      statements.push({ kind: 'assign', op: '=', target: shadowElement, value: ref(names.shadowName(instr.value)) });
    } else if (growsPastItsEnd(facts, instr)) {
      // a number[] written past its end (or into a hole) gets the element: so does its shadow
      statements.push({ kind: 'assign', op: '=', target: shadowElement, value: binary('??', shadowElement, num(0)) });
    }
    return statements;
  },

  reverse(sweep, instr) {
    const { ctx, facts } = sweep;
    if (!facts.activity.isActive(instr.container)) return [];
    // an array or object stored into a parameter's storage: the shadow's slot gets back the shadow
    // of what it held, so that the shadow ends in the caller's layout (3-optimize/parameter-layout.ts)
    if (!facts.activity.isScalar(instr.value)) {
      if (instr.previous === undefined) return [];
      const slot = elementRead(ctx, ctx.shadow(instr.container), instr.index);
      return [{ kind: 'assign', op: '=', target: slot, value: ctx.shadow(instr.previous), comment: commentOf(instr.origin) }];
    }
    // d_value += d_container[i]; d_container[i] = 0 (the overwritten element takes no more)
    const target = elementRead(ctx, ctx.shadow(instr.container), instr.index);
    // a typed array drops a store past its end: nothing of the value reached the result
    const mayBePast =
      typeof instr.index !== 'string' &&
      isTypedArray(facts.typeOf(instr.container)) &&
      !facts.typedArrayBounds.inside(instr.container, instr.index);
    const adjoint = mayBePast ? binary('??', target, num(0)) : target;
    const statements: Stmt[] = [];
    const added = sweep.accumulate(instr.value, adjoint, commentOf(instr.origin));
    if (added) statements.push(added);
    statements.push({ kind: 'assign', op: '=', target, value: num(0) });
    // a store at or past the end of a parameter's array grew its shadow: it gets back the length
    // it had, so that the gradient is shaped like the argument passed (3-optimize/parameter-layout.ts)
    if (
      instr.lengthBefore !== undefined &&
      facts.module.tapeStyle === 'shared' &&
      typeof instr.index !== 'string' &&
      !facts.typedArrayBounds.inside(instr.container, instr.index)
    ) {
      statements.push({
        kind: 'assign',
        op: '=',
        target: member(ctx.shadow(instr.container), 'length'),
        value: ctx.primal(instr.lengthBefore),
        comment: commentOf(instr.origin),
      });
    }
    return statements;
  },

  tangent({ ctx }, instr) {
    const { names } = ctx;
    const statements: Stmt[] = [
      { kind: 'assign', op: '=', target: elementOf(names, names.expr(instr.container), instr.index), value: names.expr(instr.value) },
    ];
    if (ctx.hasTangent(instr.container)) {
      statements.push({
        kind: 'assign',
        op: '=',
        target: elementOf(names, ref(ctx.tangentName(instr.container)), instr.index),
        value: tangentOrZero(ctx, instr.value),
        comment: commentOf(instr.origin),
      });
    }
    return statements;
  },
};

/**
 * True for a store of a number into a plain array by a computed index: the array may not have that
 * element yet (`out[i] = …` filling `[]`), and gets it. A typed array drops such a store instead.
 */
function growsPastItsEnd(facts: FunctionFacts, instr: StoreInstr): boolean {
  const type = facts.typeOf(instr.container);
  return type.kind === 'array' && !isTypedArray(type) && typeof instr.index !== 'string';
}
