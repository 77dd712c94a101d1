/**
 * Where each active number receives adjoint contributions in the reverse sweep, one entry per
 * use. The differentiator declares an adjoint on its first contribution when all of them happen
 * in the block that defines the value; otherwise (a use inside a branch or a loop) it declares the
 * adjoint as 0 up front and adds to it.
 */
import type { Block, SsaFunction, ValueId } from '../ir/ssa.js';
import { forEachInstr } from '../ir/walk.js';
import { lookupRule } from '../rules/index.js';
import type { Activity } from './activity.js';

export interface Contributions {
  /** How many contributions each value receives. */
  count: Map<ValueId, number>;
  /** Values with a contribution outside their defining block: their adjoint starts at 0. */
  startAtZero: Set<ValueId>;
}

/** A site standing for contributions made inside a loop of the reverse code itself. */
const REVERSE_LOOP: Block = { instrs: [] };

export function contributionSites(fn: SsaFunction, activity: Activity, definedIn: Map<ValueId, Block>): Contributions {
  const count = new Map<ValueId, number>();
  const startAtZero = new Set<ValueId>();
  const add = (value: ValueId, site: Block) => {
    if (!activity.isActive(value) || !activity.isScalar(value)) return;
    count.set(value, (count.get(value) ?? 0) + 1);
    if (definedIn.get(value) !== site) startAtZero.add(value);
  };
  forEachInstr(fn.body, (instr, block) => {
    if (!activity.isEmitted(instr)) return;
    switch (instr.kind) {
      case 'prim':
        if (activity.isActive(instr.result) && lookupRule(instr.op)?.kind === 'differentiable')
          for (const arg of instr.args) add(arg, block);
        break;
      case 'if':
        for (const phi of instr.phis) {
          if (!activity.isActive(phi.result)) continue;
          add(phi.then, instr.then);
          add(phi.else, instr.else);
        }
        break;
      case 'loop':
        for (const c of instr.carried) {
          if (!activity.isActive(c.param) && !activity.isActive(c.result)) continue;
          add(c.next, instr.body);
          add(c.init, block);
        }
        break;
      case 'store':
      case 'push':
        if (activity.isActive(instr.container)) add(instr.value, block);
        break;
      case 'call':
        // the callee's backprop (or rule) returns the adjoint of each number argument
        for (const arg of instr.args) add(arg, block);
        break;
      case 'alloc':
        if (!activity.isActive(instr.result)) break;
        for (const element of instr.elements) add(element, block);
        if (instr.fill !== undefined) add(instr.fill, REVERSE_LOOP);
        break;
      default:
        break;
    }
  });
  return { count, startAtZero };
}
