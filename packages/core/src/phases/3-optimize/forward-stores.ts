/**
 * Store-to-load forwarding across loops, an optimisation pass (its place: PASSES in index.ts). A
 * scratch array that one loop fills and later loops read,
 *
 *   for (let id = 0; id < d; id++) xcentered[id] = x[ix * d + id]! - means[ik * d + id]!;
 *   for (let id = 0; id < d; id++) qx[id] = qdiag[id]! * xcentered[id]!;
 *
 * is read no more: each read computes the stored value again, `qdiag[id]! * (x[ix * d + id]! -
 * means[ik * d + id]!)`, and the fill loop, whose array nothing reads now, is left out of the
 * gradient (activity.ts). The gain is in the reverse sweep. The array is rewritten for every data
 * point, so each of its reads had to be taped; the recomputed value is cheap arithmetic on arrays
 * nothing writes, which the reverse sweep computes again instead (tape-plan.ts). ADBench's GMM
 * tapes 2d − 1 numbers fewer per point and component. A read in F's own body, after the store, at
 * the same index, with no write of the array between, is the stored value itself.
 *
 * A read `a[j]` takes its value from a fill loop F when
 *   - `a` is a number array the function creates and keeps to itself (own-arrays.ts), plain or a
 *     Float64Array (a Float32Array rounds what it stores, an integer array truncates it);
 *   - F is `for (let i = s; i < n; i++)` with no other way out, and stores `a[i] = v` once, at
 *     the top level of its body;
 *   - for a read after F: v is made in F's body from `i`, values from before F and constants by
 *     at most MAX_SLICE cheap operations (+ − × ÷, negation) and reads of parameters' arrays that
 *     nothing in the function can write;
 *   - the read is in a later instruction of F's block, nothing from F up to that instruction
 *     writes `a` (the instruction included), and `j` is the counter of a loop G in it with F's
 *     start, step and bound, so that G's counter takes exactly the indices F stored at;
 *   - G runs only after F did: F is not inside a branch, or G is inside a branch on the same
 *     condition as F;
 *   - the read runs once per store: it is in G's body or in a branch of it, not in a loop nested
 *     in G, and G is not nested in another loop of that instruction (either would compute v
 *     again and again, where a read of a copy of the array would do: snapshot-reads.ts);
 *   - for a Float64Array, whose stores outside its length are lost: s is 0, n is the array's
 *     length, and F's branch tests 0 < n, so every index is one of its elements.
 */
import { copyBlock } from '../../ir/copy.js';
import { countedLoop, sameNumber, type CountedLoop } from '../../ir/loops.js';
import {
  isContainer,
  isTypedArray,
  keepsStoredNumbers,
  type AllocInstr,
  type Block,
  type IfInstr,
  type Instr,
  type LoadInstr,
  type LoopInstr,
  type SsaFunction,
  type StoreInstr,
  type ValueId,
} from '../../ir/ssa.js';
import { childBlocks, definitionsIn, forEachInstr, results, writtenIn } from '../../ir/walk.js';
import { Replacements } from '../../ir/replacements.js';
import { nonEscapingArrays } from '../../analysis/own-arrays.js';
import { shareRepeatedValues } from './shared-values.js';

/** The most operations (constants aside) a read is replaced by. */
export const MAX_SLICE = 8;

/** The operations a forwarded value may be made of: as cheap as the read they replace. */
const FORWARDED_OPS = new Set(['+', '-', '*', '/', 'neg']);

/** A fill loop: where it is, and what it stores into which array. */
interface Fill extends CountedLoop {
  array: ValueId;
  /** The condition of the branch F is in, or undefined when it is not in one. */
  guard: ValueId | undefined;
  store: StoreInstr;
  /** The instructions that make the stored value, in program order, if it can be made again after F. */
  slice: Instr[] | undefined;
}

/** `fn` with the reads of filled scratch arrays replaced by the values stored (a new function), or `fn` itself when there are none. */
export function forwardStoredValues(fn: SsaFunction): SsaFunction {
  const own = new Set([...nonEscapingArrays(fn)].filter((v) => keepsStoredNumbers(fn.values[v]!.type)));
  if (own.size === 0) return fn;
  const forwarded = structuredClone(fn);
  const definitions = new Map<ValueId, Instr>();
  forEachInstr(forwarded.body, (instr) => results(instr).forEach((r) => definitions.set(r, instr)));
  const readOnly = readOnlyParameters(forwarded, own);
  const replacements = new Replacements();

  const visit = (block: Block): void => {
    for (let p = 0; p < block.instrs.length; p++) {
      for (const fill of fillsAt(block.instrs[p]!, own, definitions, readOnly, forwarded)) {
        for (const read of readsAfterStore(fill)) {
          fill.loop.body.instrs.splice(fill.loop.body.instrs.indexOf(read), 1);
          replacements.replace(read.result, fill.store.value);
        }
        const slice = fill.slice;
        if (!slice) continue;
        for (let q = p + 1; q < block.instrs.length; q++) {
          const later = block.instrs[q]!;
          if (writes(later, fill.array)) break;
          for (const { read, into } of forwardableReads(forwarded, later, fill, definitions)) {
            const copy = copyBlock(forwarded, forwarded.values, { instrs: slice }, new Map([[fill.counter, read.index as ValueId]]));
            copy.instrs.forEach((i) => results(i).forEach((r) => definitions.set(r, i)));
            into.instrs.splice(into.instrs.indexOf(read), 1, ...copy.instrs);
            replacements.replace(read.result, copy.rename(fill.store.value));
          }
        }
      }
    }
    for (const instr of block.instrs) for (const child of childBlocks(instr)) visit(child);
  };
  visit(forwarded.body);
  if (replacements.isEmpty) return fn;
  // a read's value may flow into a φ or a loop's carried value of an enclosing block, and a value
  // stored may itself be a read replaced (`b[i] = a[i]`)
  replacements.readInFunction(forwarded);
  // a recomputed index (`prod + id`) often repeats one the reading loop has already
  return shareRepeatedValues(forwarded);
}

/**
 * The parameters whose arrays keep their contents while the function runs: all of them when it
 * writes only its own arrays and passes no array to a call (a parameter may share its storage
 * with another, or with an array a callee receives), else none.
 */
function readOnlyParameters(fn: SsaFunction, own: ReadonlySet<ValueId>): Set<ValueId> {
  let writesOthers = false;
  forEachInstr(fn.body, (instr) => {
    if ((instr.kind === 'store' || instr.kind === 'push') && !own.has(instr.container)) writesOthers = true;
    if (instr.kind === 'call' && instr.args.some((a) => isContainer(fn.values[a]!.type))) writesOthers = true;
  });
  return writesOthers ? new Set() : new Set(fn.params.map((p) => p.value));
}

/** The fill loops an instruction of a block is (a loop), or holds at the top of its then-block (a branch). */
function fillsAt(
  instr: Instr,
  own: ReadonlySet<ValueId>,
  definitions: ReadonlyMap<ValueId, Instr>,
  readOnly: ReadonlySet<ValueId>,
  fn: SsaFunction,
): Fill[] {
  const loops: Array<{ loop: LoopInstr; guard: ValueId | undefined }> =
    instr.kind === 'loop'
      ? [{ loop: instr, guard: undefined }]
      : instr.kind === 'if'
        ? instr.then.instrs.flatMap((i) => (i.kind === 'loop' ? [{ loop: i, guard: instr.cond }] : []))
        : [];
  const definedHere = definitionsIn({ instrs: [instr] });
  const fills: Fill[] = [];
  for (const { loop, guard } of loops) {
    const counted = countedLoop(loop, constants(definitions));
    if (!counted) continue;
    for (const store of loop.body.instrs) {
      if (store.kind !== 'store' || store.index !== counted.counter || !own.has(store.container)) continue;
      const array = store.container;
      let writesOfArray = 0;
      forEachInstr(loop.body, (i) => (i.kind === 'store' || i.kind === 'push') && i.container === array && writesOfArray++);
      if (writesOfArray !== 1) continue;
      if (isTypedArray(fn.values[array]!.type) && !coversTypedArray(fn, counted, guard, array, definitions)) continue;
      fills.push({ ...counted, array, guard, store, slice: sliceOf(store.value, counted, definedHere, definitions, readOnly) });
    }
  }
  return fills;
}

/** For a typed array: the loop runs from 0 to its length, inside a branch on 0 < length. */
function coversTypedArray(
  fn: SsaFunction,
  counted: CountedLoop,
  guard: ValueId | undefined,
  array: ValueId,
  definitions: ReadonlyMap<ValueId, Instr>,
): boolean {
  const alloc = definitions.get(array) as AllocInstr | undefined;
  const test = guard === undefined ? undefined : definitions.get(guard);
  return (
    alloc?.kind === 'alloc' &&
    alloc.length !== undefined &&
    sameNumberIn(fn, alloc.length, counted.bound, definitions) &&
    constantOf(counted.start, definitions) === 0 &&
    test?.kind === 'prim' &&
    test.op === '<' &&
    constantOf(test.args[0]!, definitions) === 0 &&
    sameNumberIn(fn, test.args[1]!, counted.bound, definitions)
  );
}

/** True when two conditions are the same test (one value, or one comparison of the same numbers). */
function sameCondition(fn: SsaFunction, a: ValueId, b: ValueId, definitions: ReadonlyMap<ValueId, Instr>): boolean {
  if (a === b) return true;
  const [da, db] = [definitions.get(a), definitions.get(b)];
  return (
    da?.kind === 'prim' &&
    db?.kind === 'prim' &&
    COMPARISONS.has(da.op) &&
    da.op === db.op &&
    da.args.every((arg, k) => sameNumberIn(fn, arg, db.args[k]!, definitions))
  );
}

const COMPARISONS = new Set(['<', '<=', '>', '>=']);

/** sameNumber (ir/loops.ts) with the constants and lengths that `definitions` shows. */
function sameNumberIn(fn: SsaFunction, a: ValueId, b: ValueId, definitions: ReadonlyMap<ValueId, Instr>): boolean {
  const lengthOf = (v: ValueId) => {
    const instr = definitions.get(v);
    return instr?.kind === 'length' ? instr.container : undefined;
  };
  return sameNumber(fn, a, b, constants(definitions), lengthOf);
}

function constantOf(v: ValueId, definitions: ReadonlyMap<ValueId, Instr>): number | boolean | undefined {
  const instr = definitions.get(v);
  return instr?.kind === 'const' ? instr.value : undefined;
}

const constants = (definitions: ReadonlyMap<ValueId, Instr>) => (v: ValueId) => constantOf(v, definitions);

/**
 * The instructions of the loop's body that make `value` from its counter, values defined before
 * the fill (not in `definedHere`) and constants, in program order; undefined when it needs
 * anything else or more than MAX_SLICE operations.
 */
function sliceOf(
  value: ValueId,
  { loop, counter }: CountedLoop,
  definedHere: ReadonlySet<ValueId>,
  definitions: ReadonlyMap<ValueId, Instr>,
  readOnly: ReadonlySet<ValueId>,
): Instr[] | undefined {
  const members = new Set<Instr>();
  const include = (v: ValueId | string): boolean => {
    if (typeof v === 'string' || v === counter || !definedHere.has(v)) return true;
    const instr = definitions.get(v);
    if (!instr) return false;
    if (members.has(instr)) return true;
    if (instr.kind === 'const' || instr.kind === 'global') {
      members.add(instr);
      return true;
    }
    if (!loop.body.instrs.includes(instr)) return false;
    const made =
      (instr.kind === 'prim' && FORWARDED_OPS.has(instr.op) && instr.args.every(include)) ||
      (instr.kind === 'load' && readOnly.has(instr.container) && include(instr.index));
    if (made) members.add(instr);
    return made;
  };
  if (!include(value)) return undefined;
  const operations = [...members].filter((i) => i.kind !== 'const' && i.kind !== 'global');
  if (operations.length > MAX_SLICE) return undefined;
  const order = (i: Instr) => loop.body.instrs.indexOf(i);
  return [...members].sort((a, b) => order(a) - order(b));
}

/** The reads of the array at the counter in the fill's body after its store, up to the next write of the array. */
function readsAfterStore(fill: Fill): LoadInstr[] {
  const body = fill.loop.body.instrs;
  const reads: LoadInstr[] = [];
  for (const instr of body.slice(body.indexOf(fill.store) + 1)) {
    if (writes(instr, fill.array)) break;
    if (instr.kind === 'load' && instr.container === fill.array && instr.index === fill.counter) reads.push(instr);
  }
  return reads;
}

/** True when the instruction, or one nested in it, stores or pushes into the array. */
const writes = (instr: Instr, array: ValueId): boolean => writtenIn({ instrs: [instr] }).has(array);

/**
 * The reads in `instr` that take the fill's stored value: `array[j]` with j the counter of a loop
 * that repeats the fill's iterations and runs only after it, read in its body or a branch of it;
 * the loop is `instr` or in a branch of it, not in another loop.
 */
function forwardableReads(
  fn: SsaFunction,
  instr: Instr,
  fill: Fill,
  definitions: ReadonlyMap<ValueId, Instr>,
): Array<{ read: LoadInstr; into: Block }> {
  const found: Array<{ read: LoadInstr; into: Block }> = [];
  const readsIn = (block: Block, counter: ValueId): void => {
    for (const i of block.instrs) {
      if (i.kind === 'load' && i.container === fill.array && i.index === counter) found.push({ read: i, into: block });
      if (i.kind === 'if') [i.then, i.else].forEach((b) => readsIn(b, counter));
    }
  };
  const search = (i: Instr, guarded: boolean): void => {
    if (i.kind === 'loop') {
      const counted = countedLoop(i, constants(definitions));
      if (guarded && counted && sameIterations(fn, counted, fill, definitions)) readsIn(i.body, counted.counter);
    } else if (i.kind === 'if') {
      const branch = i as IfInstr;
      branch.then.instrs.forEach((nested) => search(nested, guarded || sameCondition(fn, branch.cond, fill.guard!, definitions)));
      branch.else.instrs.forEach((nested) => search(nested, guarded));
    }
  };
  search(instr, fill.guard === undefined);
  return found;
}

/** True when the two counted loops step through the same counters: same start, same bound. */
function sameIterations(fn: SsaFunction, a: CountedLoop, b: CountedLoop, definitions: ReadonlyMap<ValueId, Instr>): boolean {
  return sameNumberIn(fn, a.bound, b.bound, definitions) && sameNumberIn(fn, a.start, b.start, definitions);
}
