/**
 * Common values, an optimisation pass (its place: PASSES in index.ts): in each block, an operation
 * that repeats an earlier one of the same block on the same values is dropped and its uses read the
 * earlier result. `x[offset + i]! * x[offset + i]!` computes `offset + i` once and loads the
 * element once, so the forward sweep reads one element and the tape keeps one number instead of
 * two.
 *
 * Every primitive is a function of its arguments (the rules table has no random or impure
 * operation). A load, an array's length, repeat an earlier one only while nothing could have
 * written a container in between: a store, a push, a call, or a branch or loop holding one of
 * these forgets every load and length seen so far in the block. Values are shared within a block
 * only, never between a block and the blocks nested in it.
 */
import { Replacements } from '../../ir/replacements.js';
import type { Block, Instr, SsaFunction, ValueId } from '../../ir/ssa.js';
import { childBlocks, forEachInstr, mapOperands } from '../../ir/walk.js';

/** `fn` with repeated operations removed (a new function; `fn` is not changed). */
export function shareRepeatedValues(fn: SsaFunction): SsaFunction {
  const shared = structuredClone(fn);
  const replaced = new Replacements();
  const resolve = (v: ValueId): ValueId => replaced.resolve(v);

  const shareIn = (block: Block): void => {
    const pure = new Map<string, ValueId>();
    let reads = new Map<string, ValueId>();
    const instrs: Instr[] = [];
    for (const instr of block.instrs) {
      mapOperands(instr, resolve);
      for (const child of childBlocks(instr)) shareIn(child);
      const key = keyOf(instr);
      const seen = key === undefined ? undefined : key.pure ? pure : reads;
      const earlier = key && seen!.get(key.text);
      if (key && earlier !== undefined && 'result' in instr && instr.result !== undefined) {
        replaced.replace(instr.result, earlier);
        continue;
      }
      if (key && 'result' in instr && instr.result !== undefined) seen!.set(key.text, instr.result);
      if (mayWrite(instr)) reads = new Map();
      instrs.push(instr);
    }
    block.instrs = instrs;
  };
  shareIn(shared.body);
  // uses in blocks nested after the dropped operation were rewritten as they were met; a φ or a
  // loop's carried value may name a later value of an enclosing block: rewrite everything once more
  replaced.readInFunction(shared);
  return shared;
}

/** What identifies an operation's value: pure ones by operator and arguments, reads by container and index. */
function keyOf(instr: Instr): { text: string; pure: boolean } | undefined {
  switch (instr.kind) {
    case 'const':
      // one value per literal of the block, so that `i * 2` twice is one product
      return { text: `${typeof instr.value} ${Object.is(instr.value, -0) ? '-0' : instr.value}`, pure: true };
    case 'prim':
      return { text: `${instr.op}(${instr.args.join(',')})`, pure: true };
    case 'load':
      return { text: `${instr.container}[${typeof instr.index === 'string' ? JSON.stringify(instr.index) : instr.index}]`, pure: false };
    case 'length':
      return { text: `${instr.container}.length`, pure: false };
    default:
      return undefined;
  }
}

/** True when the instruction (or one nested in it) could change a container. */
function mayWrite(instr: Instr): boolean {
  let writes = false;
  const check = (i: Instr) => {
    if (i.kind === 'store' || i.kind === 'push' || i.kind === 'call') writes = true;
  };
  check(instr);
  for (const child of childBlocks(instr)) forEachInstr(child, check);
  return writes;
}
