/**
 * The tape plan of a block: of the values its reverse sweep reads, which are pushed on the tape
 * and which are computed again at the start of the reverse. A value is recomputed when a cheap
 * operation (arithmetic, abs, min, a comparison…) makes it from values that are available anyway:
 * defined outside the block, saved, or recomputed themselves. `-drag` in a loop is then not
 * saved once per iteration, nor is `Math.abs(v)` when `v` is saved.
 */
import type { Block, PrimInstr, ValueId } from '../../ir/ssa.js';
import type { DiffContext, Need } from './context.js';

const CHEAP = new Set(['+', '-', '*', '/', 'neg', 'Math.abs', 'Math.sign', 'Math.min', 'Math.max', '<', '<=', '>', '>=', '===', '!==', '==', '!=', 'or', 'and', '!']);

export interface TapePlan {
  /** Pushed at the end of the block's forward sweep, popped (in reverse order) at the start of its reverse. */
  saved: Need[];
  /** Computed again after the pops, in program order. */
  recomputed: PrimInstr[];
}

export function planTape(ctx: DiffContext, block: Block): TapePlan {
  const definitions = new Map<ValueId, PrimInstr>();
  for (const instr of block.instrs) if (instr.kind === 'prim') definitions.set(instr.result, instr);
  const definedHere = (v: ValueId) => ctx.analysis.definedIn.get(v) === block && !ctx.names.isInline(v);

  const saved: Need[] = [];
  const recomputed = new Set<PrimInstr>();
  const planned = new Set<string>();
  const plan = (need: Need): void => {
    const key = `${need.value}:${need.shadow}`;
    if (planned.has(key)) return;
    planned.add(key);
    const instr = need.shadow ? undefined : definitions.get(need.value);
    if (instr && CHEAP.has(instr.op)) {
      recomputed.add(instr);
      for (const arg of instr.args) {
        if (definedHere(arg)) plan({ value: arg, shadow: false });
        // a value of an enclosing block: that block makes it available (its plan comes later)
        else if (!ctx.names.isInline(arg)) ctx.addNeed({ value: arg, shadow: false });
      }
    } else {
      saved.push(need);
    }
  };
  for (const need of ctx.needs.get(block) ?? []) plan(need);
  return { saved, recomputed: block.instrs.filter((i): i is PrimInstr => recomputed.has(i as PrimInstr)) };
}
