/**
 * The arrays a function creates and keeps to itself: one created here (`alloc`) that is never
 * stored into another container, passed to a call, merged by a branch, carried by a loop or
 * returned. Every write to such an array names it directly, so the optimisation passes can see all
 * of them.
 */
import type { SsaFunction, ValueId } from '../ir/ssa.js';
import { forEachInstr, operands } from '../ir/walk.js';

/** The arrays created by the function that no other value can refer to. */
export function nonEscapingArrays(fn: SsaFunction): Set<ValueId> {
  const created = new Set<ValueId>();
  const escaping = new Set<ValueId>();
  forEachInstr(fn.body, (instr) => {
    if (instr.kind === 'alloc') created.add(instr.result);
    switch (instr.kind) {
      case 'store':
      case 'push':
        escaping.add(instr.value);
        break;
      case 'call':
      case 'alloc':
      case 'if':
      case 'loop':
        operands(instr).forEach((v) => escaping.add(v));
        break;
      default:
        break;
    }
  });
  if (fn.result !== undefined) escaping.add(fn.result);
  return new Set([...created].filter((v) => !escaping.has(v)));
}
