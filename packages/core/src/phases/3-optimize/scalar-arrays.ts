/**
 * Scalar replacement of small arrays, an optimisation pass (its place: PASSES in index.ts): an
 * array the function creates with a constant length of at most MAX_SCALAR_ELEMENTS (`new
 * Float64Array(3)`, `[a, b]`, `new Array(4).fill(0)`), that is only read and written at constant
 * indices and never escapes, becomes one SSA value per element. `cross(w, pt, out)` inlined into a
 * loop then computes six products into three numbers instead of writing a fresh array per
 * iteration: no array, no shadow array, no copy of it on the tape, and the reverse sweep's adjoints
 * are local numbers.
 *
 * Small loops that index such arrays are unrolled first (unroll.ts), so that `w[i]` in
 * `for (let i = 0; i < 3; i++)` has a constant index in each copy.
 *
 * An element's value flows like a variable's: a write inside a branch becomes a φ of the branch,
 * and a write inside a loop becomes a value the loop carries. An array is left alone when any
 * index is not a constant in range, when it is passed to a call, stored in another container,
 * merged by a branch, carried by a loop, returned, copied, pushed onto, or written by a
 * checkpointed loop (whose stored states hold arrays, not the values a loop carries).
 * Float32Array and the integer arrays are left alone: a write into them rounds the value.
 */
import {
  addValue,
  isTypedArray,
  keepsStoredNumbers,
  numberType,
  type AllocInstr,
  type Block,
  type Instr,
  type LoopInstr,
  type SsaFunction,
  type ValueId,
} from '../../ir/ssa.js';
import { forEachInstr, mapOperands, operands } from '../../ir/walk.js';
import { ConstantFolder } from './fold-constants.js';
import { nonEscapingArrays } from '../../analysis/own-arrays.js';
import { unrollLoops } from './unroll.js';

/** The longest array replaced by numbers. */
export const MAX_SCALAR_ELEMENTS = 16;

/** `fn` with its small local arrays replaced by numbers (a new function), or `fn` itself when it has none. */
export function replaceSmallArrays(fn: SsaFunction): SsaFunction {
  if (!hasSmallArray(fn)) return fn;
  const replaced = structuredClone(fn);
  // the folder reads the lengths of small arrays, found with the constants it folds
  const folder: ConstantFolder = new ConstantFolder(replaced, (array) => lengths.fixedLengthOf(array));
  const lengths = new ArrayLengths(replaced, folder);
  folder.foldAll();
  unrollLoops(replaced, folder, (loop) => lengths.indexedIn(loop.body));
  folder.foldAll();
  const arrays = replaceableArrays(replaced, folder, lengths);
  if (arrays.size === 0) return fn;
  new ElementFlow(replaced, folder, arrays).rewrite();
  return replaced;
}

/** A quick test before any copying: does the function create an array that may be small? */
function hasSmallArray(fn: SsaFunction): boolean {
  const constants = new Map<ValueId, number | boolean>();
  let found = false;
  forEachInstr(fn.body, (instr) => {
    if (instr.kind === 'const') constants.set(instr.result, instr.value);
    if (instr.kind === 'alloc' && smallLength(fn, instr, (v) => constants.get(v)) !== undefined) found = true;
  });
  return found;
}

/** The array's constant length when it is a small array of numbers that can be replaced. */
function smallLength(fn: SsaFunction, alloc: AllocInstr, constantOf: (v: ValueId) => number | boolean | undefined): number | undefined {
  const type = fn.values[alloc.result]!.type;
  if (!keepsStoredNumbers(type)) return undefined;
  // `new Array(n)` without a fill holds holes, not numbers
  const length = alloc.length === undefined ? alloc.elements.length : alloc.fill === undefined ? undefined : constantOf(alloc.length);
  return typeof length === 'number' && Number.isInteger(length) && length >= 0 && length <= MAX_SCALAR_ELEMENTS ? length : undefined;
}

/** The small arrays created by the function, by value, found again when unrolling copies new ones. */
class ArrayLengths {
  private readonly lengths = new Map<ValueId, number>();
  /** The arrays made here that keep their length: typed arrays, and plain ones kept to the function and never pushed onto. */
  private readonly fixed = new Set<ValueId>();
  private scannedValues = 0;

  constructor(
    private readonly fn: SsaFunction,
    private readonly folder: ConstantFolder,
  ) {}

  lengthOf(v: ValueId): number | undefined {
    if (v >= this.scannedValues) this.scan();
    return this.lengths.get(v);
  }

  /** The length of a small array that keeps it: a typed array, or a plain array nothing can push onto. */
  fixedLengthOf(v: ValueId): number | undefined {
    const length = this.lengthOf(v);
    return this.fixed.has(v) ? length : undefined;
  }

  /** True when the block reads or writes a small array (worth unrolling a loop for). */
  indexedIn(block: Block): boolean {
    let found = false;
    forEachInstr(block, (instr) => {
      if ((instr.kind === 'load' || instr.kind === 'store') && this.lengthOf(instr.container) !== undefined) found = true;
    });
    return found;
  }

  private scan(): void {
    this.scannedValues = this.fn.values.length;
    const pushed = new Set<ValueId>();
    forEachInstr(this.fn.body, (instr) => {
      const length = instr.kind === 'alloc' ? smallLength(this.fn, instr, (v) => this.folder.constantOf(v)) : undefined;
      if (length !== undefined) this.lengths.set((instr as AllocInstr).result, length);
      if (instr.kind === 'push') pushed.add(instr.container);
    });
    const own = nonEscapingArrays(this.fn);
    for (const v of this.lengths.keys()) if (isTypedArray(this.fn.values[v]!.type) || (own.has(v) && !pushed.has(v))) this.fixed.add(v);
  }
}

/** The small arrays every use of which is a read or write at a constant index in range, with their lengths. */
function replaceableArrays(fn: SsaFunction, folder: ConstantFolder, lengths: ArrayLengths): Map<ValueId, number> {
  const candidates = new Map<ValueId, number>();
  forEachInstr(fn.body, (instr) => {
    const length = instr.kind === 'alloc' ? lengths.lengthOf(instr.result) : undefined;
    if (length !== undefined) candidates.set((instr as AllocInstr).result, length);
  });
  const exclude = (v: ValueId | string) => typeof v === 'number' && candidates.delete(v);
  const inRange = (container: ValueId, index: ValueId | string) => {
    const i = typeof index === 'number' ? folder.constantOf(index) : undefined;
    return typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < (candidates.get(container) ?? 0);
  };
  forEachInstr(fn.body, (instr) => {
    switch (instr.kind) {
      case 'load':
      case 'store':
        if (!inRange(instr.container, instr.index)) exclude(instr.container);
        exclude(instr.index);
        if (instr.kind === 'store') exclude(instr.value);
        return;
      case 'length':
        return;
      case 'loop':
        if (instr.checkpoint) forEachInstr(instr.body, (inner) => (inner.kind === 'store' ? exclude(inner.container) : undefined));
        operands(instr).forEach(exclude);
        return;
      default:
        operands(instr).forEach(exclude);
    }
  });
  if (fn.result !== undefined) exclude(fn.result);
  return candidates;
}

/** Each replaced array's current element values, by array. */
type Elements = Map<ValueId, ValueId[]>;

/** Rewrites the function with each replaced array's elements flowing as values. */
class ElementFlow {
  constructor(
    private readonly fn: SsaFunction,
    private readonly folder: ConstantFolder,
    /** The arrays replaced, with their lengths. */
    private readonly arrays: ReadonlyMap<ValueId, number>,
  ) {}

  rewrite(): void {
    this.fn.body.instrs = this.rewriteBlock(this.fn.body.instrs, new Map());
    // reads in blocks after a replaced load were rewritten as met; φs and carried values once more
    this.folder.readReplacements(this.fn.body);
    if (this.fn.result !== undefined) this.fn.result = this.folder.resolve(this.fn.result);
  }

  private rewriteBlock(instrs: readonly Instr[], elements: Elements): Instr[] {
    const kept: Instr[] = [];
    for (const instr of instrs) {
      mapOperands(instr, (v) => this.folder.resolve(v));
      const replaced = this.arrayOf(instr);
      if (replaced !== undefined) {
        const constIndex = (i: ValueId | string) => this.folder.constantOf(i as ValueId) as number;
        if (instr.kind === 'alloc') {
          elements.set(
            replaced,
            instr.length === undefined ? [...instr.elements] : new Array<ValueId>(this.arrays.get(replaced)!).fill(instr.fill!),
          );
        } else if (instr.kind === 'load') {
          this.folder.replace(instr.result, elements.get(replaced)![constIndex(instr.index)]!);
        } else if (instr.kind === 'store') {
          elements.get(replaced)![constIndex(instr.index)] = instr.value;
        } else if (instr.kind === 'length') {
          kept.push(this.folder.define(instr.result, this.arrays.get(replaced)!));
        }
        continue;
      }
      if (instr.kind === 'if') {
        const thenElements = copyElements(elements);
        const elseElements = copyElements(elements);
        instr.then.instrs = this.rewriteBlock(instr.then.instrs, thenElements);
        instr.else.instrs = this.rewriteBlock(instr.else.instrs, elseElements);
        this.merge(instr, elements, thenElements, elseElements);
      }
      if (instr.kind === 'loop') this.carry(instr, elements);
      mapOperands(instr, (v) => this.folder.resolve(v));
      kept.push(instr);
    }
    return kept;
  }

  /** The replaced array an allocation, read, write or length is of. */
  private arrayOf(instr: Instr): ValueId | undefined {
    const array =
      instr.kind === 'alloc'
        ? instr.result
        : instr.kind === 'load' || instr.kind === 'store' || instr.kind === 'length'
          ? instr.container
          : undefined;
    return array !== undefined && this.arrays.has(array) ? array : undefined;
  }

  /** A φ for each element the two sides of the branch leave with different values. */
  private merge(branch: Extract<Instr, { kind: 'if' }>, elements: Elements, onThen: Elements, onElse: Elements): void {
    for (const [array, values] of elements) {
      values.forEach((_, i) => {
        const then = onThen.get(array)![i]!;
        const otherwise = onElse.get(array)![i]!;
        if (then === otherwise) return;
        const result = this.elementValue(array, i);
        branch.phis.push({ result, then, else: otherwise });
        values[i] = result;
      });
    }
  }

  /** A carried value for each element the loop's body writes; after the loop, the element is the carried result. */
  private carry(loop: LoopInstr, elements: Elements): void {
    const written = new Map<ValueId, Set<number>>();
    forEachInstr(loop.body, (instr) => {
      if (instr.kind === 'store' && elements.has(instr.container)) {
        const indices = written.get(instr.container) ?? new Set<number>();
        indices.add(this.folder.constantOf(instr.index as ValueId) as number);
        written.set(instr.container, indices);
      }
    });
    const inBody = copyElements(elements);
    const carried = [...written].flatMap(([array, indices]) =>
      [...indices].map((i) => {
        const entry = { array, i, init: elements.get(array)![i]!, param: this.elementValue(array, i) };
        inBody.get(array)![i] = entry.param;
        return entry;
      }),
    );
    loop.body.instrs = this.rewriteBlock(loop.body.instrs, inBody);
    for (const { array, i, init, param } of carried) {
      const result = this.elementValue(array, i);
      loop.carried.push({ init, param, next: this.folder.resolve(inBody.get(array)![i]!), result });
      elements.get(array)![i] = result;
    }
  }

  /** A new value for element `i` of `array`, named after the array (`w_1` for `w[1]`). */
  private elementValue(array: ValueId, i: number): ValueId {
    return addValue(this.fn, `${this.fn.values[array]!.hint || 'element'}_${i}`, numberType);
  }
}

function copyElements(elements: Elements): Elements {
  return new Map([...elements].map(([array, values]) => [array, [...values]]));
}
