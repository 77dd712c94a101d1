/**
 * A counted loop written as the `for` it came from. Lowering rotates `for (let i = start; i < bound;
 * i++) body` into a guard and a loop that runs at least once and tests at its end:
 *
 *   if (start < bound) { let i = start; for (;;) { body; const i2 = i + 1; const t = i2 < bound; i = i2; if (!t) break; } }
 *
 * Inside the guard the first test is known to hold, so the loop is the natural one:
 *
 *   if (start < bound) { for (let i = start; i < bound; i++) { body } }
 *
 * The two run the body for the same counters, for every double (fractional and NaN bounds too):
 * the header tests `i < bound` after `i++` exactly where the rotated loop tested `i + 1 < bound`.
 * That holds when
 * - the loop goes round again on `next < bound` or `next <= bound` (or `bound > next`, …) alone (a
 *   `break` or `return` adds its flag to the test, and the loop stays rotated), `next` being a
 *   carried counter stepping up by a whole number (`i++`, `k += 4`); or on `next > bound` (`>=`)
 *   with a counter stepping down (`for (let k = n; k > 0; k--)`, as in a companion's reverse
 *   sweep when it is differentiated again);
 * - the bound is the same number in every iteration: a value from before the loop, or one the body
 *   computes again from such values, the lengths of arrays it cannot change included
 *   (`for (let p = 0; p < x.length / d; p++)`, `C.length` of a module constant);
 * - its first test is known to hold: the loop is the `then` side of a guard making the same test of
 *   the counter's start against the same number, or both are literals for which it holds (a
 *   do-while runs its body once whatever the bound, and stays rotated);
 * - nothing reads the counter after the loop (its `let` is scoped to the `for`).
 * The test, the increment and the bound's computation leave the body for the header, unless
 * something else reads them (`const j = i + 1` for an inner loop stays).
 */
import type { Stmt } from '../../ir/code.js';
import type { Block, Carried, Instr, LoopInstr, SsaFunction, ValueId } from '../../ir/ssa.js';
import { isTypedArray } from '../../ir/ssa.js';
import { counterStep, type ConstantOf } from '../../ir/loops.js';
import { childBlocks, forEachInstr, operands, results } from '../../ir/walk.js';
import type { Activity, CalleeSummaries } from '../../analysis/index.js';
import type { PrimalNames } from './names.js';

/** What the loops' shapes are read from: the function, and the facts both sweeps have of it. */
export interface LoopShapeFacts {
  readonly fn: SsaFunction;
  readonly activity: Activity;
  readonly constantOf: ConstantOf;
  readonly summaries: CalleeSummaries;
}

/** A loop to write as `for (let counter = init; counter < bound; counter += step)` (or `<=`, `>`, `>=`). */
export interface NaturalLoop {
  counter: Carried;
  /** A whole number: positive counting up, negative counting down. */
  step: number;
  test: ComparisonOp;
  /** The number the header tests the counter against: a value from before the loop, or a literal or module constant. */
  bound: ValueId;
  /** The instructions of the body the header replaces: the test, and what only the test reads. */
  header: ReadonlySet<Instr>;
}

export type ComparisonOp = '<' | '<=' | '>' | '>=';

/** `counted < bound` (or `<=`, `>`, `>=`), one reading of a comparison. */
interface Comparison {
  counted: ValueId;
  bound: ValueId;
  op: ComparisonOp;
}

/** Arithmetic that gives the same number for the same operands (the bound may be computed again). */
const PURE_OPS = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  'Math.floor',
  'Math.ceil',
  'Math.trunc',
  'Math.round',
  'Math.min',
  'Math.max',
  'Math.abs',
]);

/** The natural loops of one function, found from its IR once. */
export class LoopShapes {
  /** The instruction that owns each block, and the block that holds it. */
  private readonly owners = new Map<Block, { instr: Instr; block: Block }>();
  private readonly definitions = new Map<ValueId, { instr: Instr; block: Block }>();
  private readonly readers = new Map<ValueId, Instr[]>();

  constructor(private readonly facts: LoopShapeFacts) {
    forEachInstr(facts.fn.body, (instr, block) => {
      for (const child of childBlocks(instr)) this.owners.set(child, { instr, block });
      for (const result of results(instr)) this.definitions.set(result, { instr, block });
      if (instr.kind === 'loop') for (const c of instr.carried) this.definitions.set(c.param, { instr, block: instr.body });
      for (const operand of operands(instr)) {
        const list = this.readers.get(operand);
        if (list) list.push(instr);
        else this.readers.set(operand, [instr]);
      }
    });
  }

  /**
   * The loop as a natural `for`, when it is one (see above). `readElsewhere` says which values code
   * outside the IR reads (the reverse sweep): those stay in the body.
   */
  natural(loop: LoopInstr, readElsewhere: (value: ValueId) => boolean): NaturalLoop | undefined {
    const test = this.definedInBody(loop.again, loop);
    // the reading of the test that compares a counter stepping towards its bound
    let counter: Carried | undefined;
    let step: number | undefined;
    const comparison = (test ? readingsOf(test) : []).find((reading) => {
      counter = loop.carried.find((c) => c.next === reading.counted);
      step = counter && counterStep(loop, counter, this.facts.constantOf);
      return step !== undefined && (isUp(reading.op) ? step >= 1 : step <= -1);
    });
    if (!comparison || !counter || step === undefined) return undefined;
    // the counter is gone after the loop: no code is emitted that reads it (what the result does
    // not depend on is not emitted: a guard's φ of it is not), and the reverse sweep does not read it
    if (this.facts.activity.isUseful(counter.result) || readElsewhere(counter.result)) return undefined;
    if (!this.invariant(comparison.bound, loop)) return undefined;
    const bound = this.firstTestHolds(loop, counter.init, comparison);
    if (bound === undefined) return undefined;
    return { counter, step, test: comparison.op, bound, header: this.header(loop, test!, counter, readElsewhere) };
  }

  /** The prim instruction of the loop's body (not of a block inside it) that computes `value`. */
  private definedInBody(value: ValueId, loop: LoopInstr): Instr | undefined {
    const definition = this.definitions.get(value);
    return definition?.block === loop.body && definition.instr.kind === 'prim' ? definition.instr : undefined;
  }

  /** True when `value` is the same number in every iteration of the loop, as the test reads it. */
  private invariant(value: ValueId, loop: LoopInstr): boolean {
    if (!this.isInside(value, loop)) return true;
    const definition = this.definitions.get(value)!;
    if (definition.block !== loop.body) return false;
    const instr = definition.instr;
    switch (instr.kind) {
      case 'const':
      case 'global':
        return true;
      case 'length':
        // of an array from before the loop, or a module constant read again
        return this.invariant(instr.container, loop) && loop.body.instrs.every((i) => this.keepsLength(i, instr.container));
      case 'prim':
        return PURE_OPS.has(instr.op) && instr.args.every((arg) => this.invariant(arg, loop));
      default:
        return false;
    }
  }

  /** True when the value is defined in the loop's body, or in a block inside it. */
  private isInside(value: ValueId, loop: LoopInstr): boolean {
    for (let block = this.definitions.get(value)?.block; block; block = this.owners.get(block)?.block) {
      if (block === loop.body) return true;
    }
    return false;
  }

  /**
   * The value, available before the loop, that the header tests the counter against, when the
   * first test is known to hold as the loop starts: both are literals for which it holds, or the
   * loop is the `then` side of a guard testing the same comparison of the start against the same
   * number.
   */
  private firstTestHolds(loop: LoopInstr, start: ValueId, comparison: Comparison): ValueId | undefined {
    const { constantOf } = this.facts;
    const available = (v: ValueId) => !this.isInside(v, loop) || this.isInline(v);
    const [s, b] = [constantOf(start), constantOf(comparison.bound)];
    if (typeof s === 'number' && typeof b === 'number') return holds(s, comparison.op, b) ? comparison.bound : undefined;
    const enclosing = this.definitions.get(loop.trips)!.block;
    const guard = this.owners.get(enclosing);
    if (guard?.instr.kind !== 'if' || guard.instr.then !== enclosing) return undefined;
    const cond = this.definitions.get(guard.instr.cond)?.instr;
    const first = (cond ? readingsOf(cond) : []).find(
      (reading) =>
        reading.op === comparison.op &&
        this.sameNumber(reading.counted, start, loop) &&
        this.sameNumber(reading.bound, comparison.bound, loop),
    );
    if (!first) return undefined;
    return available(comparison.bound) ? comparison.bound : first.bound;
  }

  /**
   * True when `outer` (read before the loop) and `value` (read before it too, or in its body) are
   * the same number while the loop runs: one value, equal literals, one module constant, the length
   * of one array that nothing between the two reads (nor the body) changes, or the same arithmetic
   * on such numbers.
   */
  private sameNumber(outer: ValueId, value: ValueId, loop: LoopInstr): boolean {
    if (outer === value) return true;
    const { constantOf } = this.facts;
    const [a, b] = [constantOf(outer), constantOf(value)];
    if (a !== undefined || b !== undefined) return typeof a === 'number' && a === b;
    const [x, y] = [this.definitions.get(outer)?.instr, this.definitions.get(value)?.instr];
    if (!x || !y || x.kind !== y.kind) return false;
    switch (x.kind) {
      case 'global':
        return x.name === (y as typeof x).name;
      case 'length': {
        const other = y as typeof x;
        if (!this.sameContainer(x.container, other.container)) return false;
        // each read gives the length the loop starts with (one in the body is invariant: see `invariant`)
        return this.lengthKeptUntil(x, loop) && (this.isInside(value, loop) || this.lengthKeptUntil(other, loop));
      }
      case 'prim': {
        const other = y as typeof x;
        return (
          PURE_OPS.has(x.op) &&
          x.op === other.op &&
          x.args.length === other.args.length &&
          x.args.every((arg, j) => this.sameNumber(arg, other.args[j]!, loop))
        );
      }
      default:
        return false;
    }
  }

  private sameContainer(a: ValueId, b: ValueId): boolean {
    if (a === b) return true;
    const [x, y] = [this.definitions.get(a)?.instr, this.definitions.get(b)?.instr];
    return x?.kind === 'global' && y?.kind === 'global' && x.name === y.name;
  }

  /**
   * True when the length `read` gives is still the array's length when the loop starts: a typed
   * array's or a module constant's never changes, and no instruction between the read and the loop
   * (in the blocks around the loop, up to the read's) changes it, nor any instruction of a loop
   * around it that the read is outside of (the read gives the length of every iteration then).
   */
  private lengthKeptUntil(read: Extract<Instr, { kind: 'length' }>, loop: LoopInstr): boolean {
    const container = this.definitions.get(read.container)?.instr;
    if (isTypedArray(this.facts.fn.values[read.container]!.type) || container?.kind === 'global') return true;
    const home = this.definitions.get(read.result)!.block;
    let instr: Instr = loop;
    let block = this.definitions.get(loop.trips)!.block;
    for (;;) {
      const before = block.instrs.slice(0, block.instrs.indexOf(instr));
      const between = block === home ? before.slice(before.indexOf(read) + 1) : before;
      if (!between.every((i) => this.keepsLength(i, read.container))) return false;
      if (block === home) return true;
      const owner = this.owners.get(block);
      if (!owner) return false;
      if (owner.instr.kind === 'loop' && !block.instrs.every((i) => this.keepsLength(i, read.container))) return false;
      ({ instr, block } = owner);
    }
  }

  /** True when the instruction (and those inside it) cannot change the length of `container`. */
  private keepsLength(instr: Instr, container: ValueId): boolean {
    const { activity, summaries } = this.facts;
    switch (instr.kind) {
      case 'prim':
      case 'const':
      case 'global':
      case 'load':
      case 'length':
      case 'alloc':
      case 'slice':
      case 'copy':
        return true;
      // a store can grow an array (a[a.length] = v), a push does: only into another container
      case 'store':
      case 'push':
        return !activity.mayAlias(instr.container, container);
      case 'if':
        return [...instr.then.instrs, ...instr.else.instrs].every((i) => this.keepsLength(i, container));
      case 'loop':
        return instr.body.instrs.every((i) => this.keepsLength(i, container));
      // a callee may push onto the arrays passed to it (its summary says which)
      case 'call': {
        const summary = summaries(instr.callee);
        return (
          summary !== undefined &&
          instr.args.every((arg, j) => activity.isScalar(arg) || !summary.growsParam[j] || !activity.mayAlias(arg, container))
        );
      }
    }
  }

  /**
   * The instructions of the body that the header replaces: the test, when the loop alone reads it,
   * then each instruction of the body whose result only those read (the increment, the bound's
   * computation), unless the reverse sweep reads it or another carried value takes it.
   */
  private header(loop: LoopInstr, test: Instr, counter: Carried, readElsewhere: (value: ValueId) => boolean): Set<Instr> {
    const header = new Set<Instr>();
    const replaced = (value: ValueId) =>
      !readElsewhere(value) &&
      !loop.carried.some((c) => c !== counter && c.next === value) &&
      (this.readers.get(value) ?? []).every(
        (reader) => header.has(reader) || (reader === loop && (value === loop.again || value === counter.next)),
      );
    const candidates = [test];
    for (let instr = candidates.pop(); instr; instr = candidates.pop()) {
      if (header.has(instr) || !results(instr).every(replaced)) continue;
      header.add(instr);
      for (const operand of operands(instr)) {
        const definition = this.definitions.get(operand);
        if (definition?.block === loop.body && definition.instr.kind !== 'loop' && definition.instr.kind !== 'call')
          candidates.push(definition.instr);
      }
    }
    return header;
  }

  /** Literals and module constants, which the generated code writes inline wherever it reads them. */
  private isInline(value: ValueId): boolean {
    const kind = this.definitions.get(value)?.instr.kind;
    return kind === 'const' || kind === 'global';
  }
}

const COMPARISONS: readonly ComparisonOp[] = ['<', '<=', '>', '>='];
/** `a < b` is `b > a`. */
const MIRRORED: Record<ComparisonOp, ComparisonOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The two readings of a comparison `a < b`: `a < b` and `b > a` (none for another instruction). */
function readingsOf(instr: Instr): Comparison[] {
  const op = instr.kind === 'prim' && instr.args.length === 2 ? COMPARISONS.find((c) => c === instr.op) : undefined;
  if (op === undefined) return [];
  const [left, right] = (instr as Extract<Instr, { kind: 'prim' }>).args as [ValueId, ValueId];
  return [
    { counted: left, bound: right, op },
    { counted: right, bound: left, op: MIRRORED[op] },
  ];
}

/** True for a test a counter passes while it is below its bound (it counts up). */
const isUp = (op: ComparisonOp) => op === '<' || op === '<=';

function holds(a: number, op: ComparisonOp, b: number): boolean {
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** `for (let counter = init; counter < bound; counter += step) { body }`, `body` being the iteration without the header's instructions. */
export function naturalFor(names: PrimalNames, natural: NaturalLoop, body: Stmt[]): Stmt {
  const { counter, bound, test, step } = natural;
  return {
    kind: 'countup',
    counter: names.name(counter.param),
    from: names.expr(counter.init),
    to: names.expr(bound),
    test,
    step,
    body,
  };
}

/** The statements of a loop's body, instruction by instruction, without those the natural loop's header replaces. */
export function bodyWithoutHeader(body: Block, steps: Stmt[][], natural: NaturalLoop | undefined): Stmt[] {
  return steps.flatMap((step, i) => (natural?.header.has(body.instrs[i]!) ? [] : step));
}
