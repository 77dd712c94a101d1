/** Traversals of the SSA IR shared by the analyses and transforms. */
import type { Block, Instr, ValueId } from './ssa.js';

/** The values an instruction reads directly (not those read inside its blocks). */
export function operands(instr: Instr): ValueId[] {
  const read: ValueId[] = [];
  mapOperands(instr, (v) => {
    read.push(v);
    return v;
  });
  return read;
}

/** The values an instruction defines in the block that holds it. */
export function results(instr: Instr): ValueId[] {
  switch (instr.kind) {
    case 'if':
      return instr.phis.map((phi) => phi.result);
    case 'loop':
      return [...instr.carried.map((c) => c.result), instr.trips];
    case 'store':
    case 'push':
      return [];
    case 'call':
      return instr.result === undefined ? [] : [instr.result];
    default:
      return [instr.result];
  }
}

/** The blocks an instruction owns. */
export function childBlocks(instr: Instr): Block[] {
  if (instr.kind === 'if') return [instr.then, instr.else];
  if (instr.kind === 'loop') return [instr.body];
  return [];
}

/** Calls `visit` on every instruction of the block and of the blocks nested in it, in program order. */
export function forEachInstr(block: Block, visit: (instr: Instr, block: Block) => void): void {
  for (const instr of block.instrs) {
    visit(instr, block);
    for (const child of childBlocks(instr)) forEachInstr(child, visit);
  }
}

/** The values a block defines (results, φs, trip counts, loops' carried parameters), nested blocks included, in program order. */
export function definitionsIn(block: Block): Set<ValueId> {
  const defined = new Set<ValueId>();
  forEachInstr(block, (instr) => {
    for (const v of results(instr)) defined.add(v);
    if (instr.kind === 'loop') for (const c of instr.carried) defined.add(c.param);
  });
  return defined;
}

/** The containers stored into or pushed onto in the block, nested blocks included. */
export function writtenIn(block: Block): Set<ValueId> {
  const written = new Set<ValueId>();
  forEachInstr(block, (instr) => (instr.kind === 'store' || instr.kind === 'push') && written.add(instr.container));
  return written;
}

/** The number of instructions in the block, nested ones included. */
/** The keys of the functions a block calls (with a body or not), in order, repeated as often as called. */
export function calledKeys(block: Block): string[] {
  const keys: string[] = [];
  forEachInstr(block, (instr) => instr.kind === 'call' && keys.push(instr.callee));
  return keys;
}

export function instructionCount(block: Block): number {
  let count = 0;
  forEachInstr(block, () => count++);
  return count;
}

/** Replaces every read of `from` by `to` in the block and its nested blocks. */
export function replaceUses(block: Block, from: ValueId, to: ValueId): void {
  forEachInstr(block, (instr) => mapOperands(instr, (v) => (v === from ? to : v)));
}

/**
 * Rewrites each value an instruction defines with `f`, in place: its results, a branch's φ
 * results, a loop's carried parameters and results and its trip count.
 */
export function mapDefinitions(instr: Instr, f: (v: ValueId) => ValueId): void {
  switch (instr.kind) {
    case 'if':
      for (const phi of instr.phis) phi.result = f(phi.result);
      return;
    case 'loop':
      for (const c of instr.carried) {
        c.param = f(c.param);
        c.result = f(c.result);
      }
      instr.trips = f(instr.trips);
      return;
    case 'store':
    case 'push':
      return;
    case 'call':
      if (instr.result !== undefined) instr.result = f(instr.result);
      return;
    default:
      instr.result = f(instr.result);
  }
}

/** Rewrites each value an instruction reads directly with `f`, in place. */
export function mapOperands(instr: Instr, f: (v: ValueId) => ValueId): void {
  const index = (i: ValueId | string) => (typeof i === 'string' ? i : f(i));
  const optional = (v: ValueId | undefined) => (v === undefined ? undefined : f(v));
  switch (instr.kind) {
    case 'const':
    case 'global':
      return;
    case 'prim':
      instr.args = instr.args.map(f);
      return;
    case 'if':
      instr.cond = f(instr.cond);
      for (const phi of instr.phis) {
        phi.then = f(phi.then);
        phi.else = f(phi.else);
      }
      return;
    case 'loop':
      for (const c of instr.carried) {
        c.init = f(c.init);
        c.next = f(c.next);
      }
      instr.again = f(instr.again);
      if (instr.skippedWhenZero) instr.skippedWhenZero = instr.skippedWhenZero.map(f);
      return;
    case 'load':
      instr.container = f(instr.container);
      instr.index = index(instr.index);
      return;
    case 'store':
      instr.container = f(instr.container);
      instr.index = index(instr.index);
      instr.value = f(instr.value);
      if (instr.previous !== undefined) instr.previous = f(instr.previous);
      if (instr.lengthBefore !== undefined) instr.lengthBefore = f(instr.lengthBefore);
      return;
    case 'length':
      instr.container = f(instr.container);
      return;
    case 'alloc':
      instr.elements = instr.elements.map(f);
      instr.length = optional(instr.length);
      instr.fill = optional(instr.fill);
      return;
    case 'slice':
      instr.container = f(instr.container);
      instr.start = optional(instr.start);
      instr.end = optional(instr.end);
      instr.offset = f(instr.offset);
      instr.copied = f(instr.copied);
      return;
    case 'push':
      instr.container = f(instr.container);
      instr.value = f(instr.value);
      instr.index = f(instr.index);
      return;
    case 'call':
      instr.args = instr.args.map(f);
      instr.snapshots = instr.snapshots.map(optional);
      return;
    case 'copy':
      instr.container = f(instr.container);
      return;
  }
}
