/**
 * Snapshots of arrays that a loop nest reads many times without writing, an optimisation pass (its
 * place: PASSES in index.ts). In an MLP's output layer
 *
 *   for (let o = 0; o < nOut; o++) for (let h = 0; h < nHidden; h++) sum += w2[o * nHidden + h]! * hidden[h]!;
 *
 * `hidden` is rewritten for every sample, so the reverse sweep cannot read it again: each of the
 * nOut·nHidden reads would go on the tape. The loop over `o` does not write `hidden`, though, so a
 * copy taken just before it holds what every one of those reads sees; reading the copy instead,
 * the reverse sweep reads the copy again (nothing writes it) and the tape keeps one array of
 * nHidden numbers per sample. The copy is a `slice`, so its adjoint flows back into `hidden`'s.
 *
 * A loop is given a snapshot of an array when the array is a number array the function creates
 * and keeps to itself (own-arrays.ts), an enclosing loop writes it (otherwise the reads are the
 * last look at its contents and are read again anyway: write-order.ts), the loop itself does not
 * write it, and it reads it inside a loop nested in its body (so that the reads outnumber the
 * array's elements). The outermost such loop takes the snapshot.
 */
import {
  addValue,
  numberType,
  type Block,
  type Instr,
  type LoadInstr,
  type LoopInstr,
  type SsaFunction,
  type ValueId,
} from '../../ir/ssa.js';
import { childBlocks, forEachInstr, writtenIn } from '../../ir/walk.js';
import { nonEscapingArrays } from '../../analysis/own-arrays.js';

/** `fn` with snapshots taken before the loops that read arrays repeatedly (a new function). */
export function snapshotRepeatedReads(fn: SsaFunction): SsaFunction {
  const ownArrays = [...nonEscapingArrays(fn)].filter((v) => {
    const type = fn.values[v]!.type;
    return type.kind === 'array' && type.element.kind === 'number';
  });
  if (ownArrays.length === 0) return fn;
  const snapshotted = structuredClone(fn);
  const visit = (block: Block, writtenAround: ReadonlySet<ValueId>): void => {
    const instrs: Instr[] = [];
    for (const instr of block.instrs) {
      if (instr.kind === 'loop') {
        const writtenHere = writtenIn(instr.body);
        for (const array of ownArrays) {
          if (writtenAround.has(array) && !writtenHere.has(array)) {
            const nested = readsInNestedLoops(instr, array);
            if (nested.length > 0) instrs.push(...takeSnapshot(snapshotted, instr, array, nested[0]!));
          }
        }
        visit(instr.body, new Set([...writtenAround, ...writtenHere]));
      } else {
        for (const child of childBlocks(instr)) visit(child, writtenAround);
      }
      instrs.push(instr);
    }
    block.instrs = instrs;
  };
  visit(snapshotted.body, new Set());
  return snapshotted;
}

/** The reads of `array` in loops nested in the loop's body. */
function readsInNestedLoops(loop: LoopInstr, array: ValueId): LoadInstr[] {
  const reads: LoadInstr[] = [];
  forEachInstr(loop.body, (instr) => {
    if (instr.kind !== 'loop') return;
    forEachInstr(instr.body, (inner) => inner.kind === 'load' && inner.container === array && reads.push(inner));
  });
  return reads;
}

/**
 * The instructions that copy `array` before `loop` (its length, a zero offset, the slice); every
 * read of `array` in the loop reads the copy instead.
 */
function takeSnapshot(fn: SsaFunction, loop: LoopInstr, array: ValueId, read: LoadInstr): Instr[] {
  const length = addValue(fn, '', numberType);
  const zero = addValue(fn, '', numberType);
  const copy = addValue(fn, `${fn.values[array]!.hint || 'array'}Snapshot`, fn.values[array]!.type);
  forEachInstr(loop.body, (instr) => {
    if (instr.kind === 'load' && instr.container === array) instr.container = copy;
  });
  return [
    { kind: 'length', result: length, container: array },
    { kind: 'const', result: zero, value: 0 },
    { kind: 'slice', result: copy, container: array, offset: zero, copied: length, origin: read.origin },
  ];
}
