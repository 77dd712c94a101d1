/**
 * The IR's invariants, checked (after every optimisation pass in the test suite, and with
 * ADJOINT_VERIFY_IR=1):
 *   - every value is defined once: by a parameter, an instruction, a φ, or a loop (its carried
 *     parameters and results, its trip count);
 *   - every operand is defined before it is read, where the read can see it: a value defined in
 *     a block is seen by the rest of that block and the blocks nested in it, not after it (a
 *     branch passes values out by φs, a loop by carried values); a φ reads its then-value at the
 *     end of the then-block and its else-value at the end of the else-block; a loop reads each
 *     `next` and its `again` at the end of its body, and each `init` before it (a slice's `copied`,
 *     the copy's length, is read just after the slice, in the same block);
 *   - a φ has two operands, a carried value its four values, a call one snapshot per argument;
 *   - types agree: a branch's condition and a loop's `again` are booleans or numbers (tested for
 *     truthiness, `while (k--)`), a trip count a number, a φ's and a carried value's values share
 *     one type (an object's fields in any order; a boolean may merge into a number, as `y || x > 0`
 *     does), a primitive has its rule's arity and result
 *     type, a load or store of an array moves its element type, a length is a number.
 */
import { lookupRule } from '../rules/index.js';
import { printLines, typeText } from './print.js';
import type { Block, Instr, SsaFunction, Type, ValueId } from './ssa.js';
import { operands } from './walk.js';

export interface VerifyError {
  message: string;
  /** The instruction at fault, when there is one. */
  instr?: Instr;
}

/** The invariants `fn` breaks (none when it is valid). */
export function verifyFunction(fn: SsaFunction): VerifyError[] {
  return new Verifier(fn).run();
}

/** Thrown when a pass leaves the IR invalid: names the pass and the function, and shows where. */
export class InvalidIrError extends Error {}

/**
 * The report of the verifier on `fn` after `pass`, or undefined when `fn` is valid: the first
 * problems, each with the instructions around the one at fault.
 */
export function verificationReport(fn: SsaFunction, pass: string): string | undefined {
  const errors = verifyFunction(fn);
  if (errors.length === 0) return undefined;
  const lines = printLines(fn);
  const shown = errors.slice(0, 3).map((error) => {
    const at = error.instr ? lines.findIndex((line) => line.instr === error.instr) : -1;
    if (at < 0) return `  ${error.message}`;
    const context = lines
      .slice(Math.max(0, at - 3), at + 4)
      .map((line, i) => `${Math.max(0, at - 3) + i === at ? '>' : ' '}   ${line.text}`);
    return [`  ${error.message}:`, ...context].join('\n');
  });
  const more = errors.length > shown.length ? `\n  … and ${errors.length - shown.length} more` : '';
  return `the IR of '${fn.name}' is invalid after the pass '${pass}':\n${shown.join('\n')}${more}`;
}

/**
 * An observer of the optimisation passes that verifies the IR after each (when `verify`), and
 * hands each function's IR to `onPass`.
 */
export function verifyAfterPasses(verify: boolean, onPass: ((pass: string, key: string, fn: SsaFunction) => void) | undefined) {
  return (pass: string, key: string, fn: SsaFunction): void => {
    onPass?.(pass, key, fn);
    const report = verify ? verificationReport(fn, pass) : undefined;
    if (report) throw new InvalidIrError(report);
  };
}

/** Equal types; an object's fields may come in any order (`{ a, b }` and `{ b, a }` are one type, as in TypeScript). */
function sameType(a: Type, b: Type): boolean {
  switch (a.kind) {
    case 'number':
    case 'boolean':
      return b.kind === a.kind;
    case 'array':
      return b.kind === 'array' && a.container === b.container && sameType(a.element, b.element);
    case 'tuple':
      return b.kind === 'tuple' && a.elements.length === b.elements.length && a.elements.every((t, i) => sameType(t, b.elements[i]!));
    case 'object':
      return (
        b.kind === 'object' &&
        a.fields.length === b.fields.length &&
        a.fields.every((f) => b.fields.some((g) => g.name === f.name && sameType(f.type, g.type)))
      );
  }
}

class Verifier {
  private readonly errors: VerifyError[] = [];
  private readonly defined = new Set<ValueId>();

  constructor(private readonly fn: SsaFunction) {}

  run(): VerifyError[] {
    const visible = new Set<ValueId>();
    for (const param of this.fn.params) this.define(param.value, visible);
    const atEnd = this.block(this.fn.body, visible);
    if (this.fn.result !== undefined) this.read(this.fn.result, atEnd, undefined, 'the result');
    return this.errors;
  }

  private fail(message: string, instr?: Instr): void {
    this.errors.push({ message, instr });
  }

  private typeOf(v: ValueId): Type | undefined {
    return this.fn.values[v]?.type;
  }

  private define(v: ValueId, visible: Set<ValueId>, instr?: Instr): void {
    if (this.fn.values[v] === undefined) this.fail(`%${v} is defined but has no entry in the function's values`, instr);
    if (this.defined.has(v)) this.fail(`%${v} is defined twice`, instr);
    this.defined.add(v);
    visible.add(v);
  }

  private read(v: ValueId, visible: ReadonlySet<ValueId>, instr: Instr | undefined, what = 'an operand'): void {
    if (!visible.has(v))
      this.fail(
        `${what} %${v} is read where it is not defined${this.defined.has(v) ? ' (it is defined in a block that does not enclose the read, or later)' : ''}`,
        instr,
      );
  }

  private expectType(v: ValueId, expected: Type | Type['kind'], instr: Instr, what: string): void {
    const actual = this.typeOf(v);
    if (!actual) return;
    const matches = typeof expected === 'string' ? actual.kind === expected : sameType(actual, expected);
    if (!matches)
      this.fail(`${what} %${v} is ${typeText(actual)}, not ${typeof expected === 'string' ? expected : typeText(expected)}`, instr);
  }

  /**
   * A value a φ or a loop merges has the merged value's type; a number and a boolean merge into a
   * number, as JavaScript's `||` and `&&` do (`y || x > 0`).
   */
  private expectMerged(v: ValueId, merged: Type, instr: Instr, what: string): void {
    const actual = this.typeOf(v);
    const scalars = actual && (actual.kind === 'number' || actual.kind === 'boolean') && merged.kind === 'number';
    if (!scalars) this.expectType(v, merged, instr, what);
  }

  /** A test is a boolean, or a number tested for truthiness as JavaScript does (`while (k--)`). */
  private expectCondition(v: ValueId, instr: Instr, what: string): void {
    const actual = this.typeOf(v);
    if (actual && actual.kind !== 'boolean' && actual.kind !== 'number')
      this.fail(`${what} %${v} is ${typeText(actual)}, not a boolean or a number`, instr);
  }

  private block(block: Block, outer: ReadonlySet<ValueId>): Set<ValueId> {
    const visible = new Set(outer);
    for (const instr of block.instrs) this.instr(instr, visible);
    // a slice's `copied` is the copy's length, read by the instruction after it
    for (const instr of block.instrs) if (instr.kind === 'slice') this.read(instr.copied, visible, instr, 'the length of a copy');
    return visible;
  }

  private instr(instr: Instr, visible: Set<ValueId>): void {
    const read = (v: ValueId) => this.read(v, visible, instr);
    switch (instr.kind) {
      case 'if': {
        read(instr.cond);
        this.expectCondition(instr.cond, instr, 'the condition');
        const thenSees = this.block(instr.then, visible);
        const elseSees = this.block(instr.else, visible);
        for (const phi of instr.phis) {
          this.read(phi.then, thenSees, instr, 'a φ operand');
          this.read(phi.else, elseSees, instr, 'a φ operand');
          const type = this.typeOf(phi.result);
          if (type) for (const v of [phi.then, phi.else]) this.expectMerged(v, type, instr, `an operand of φ %${phi.result}`);
        }
        for (const phi of instr.phis) this.define(phi.result, visible, instr);
        return;
      }
      case 'loop': {
        const inside = new Set(visible);
        for (const c of instr.carried) {
          read(c.init);
          this.define(c.param, inside, instr);
        }
        const bodySees = this.block(instr.body, inside);
        for (const c of instr.carried) {
          this.read(c.next, bodySees, instr, 'a carried value');
          const type = this.typeOf(c.param);
          if (type) for (const v of [c.init, c.next, c.result]) this.expectMerged(v, type, instr, `a value carried as %${c.param}`);
        }
        this.read(instr.again, bodySees, instr, "the loop's test");
        this.expectCondition(instr.again, instr, "the loop's test");
        for (const c of instr.carried) this.define(c.result, visible, instr);
        this.define(instr.trips, visible, instr);
        this.expectType(instr.trips, 'number', instr, 'the trip count');
        return;
      }
      case 'call':
        instr.args.forEach(read);
        instr.snapshots.forEach((s) => s !== undefined && read(s));
        if (instr.snapshots.length !== instr.args.length)
          this.fail(`a call of ${instr.callee} has ${instr.args.length} arguments but ${instr.snapshots.length} snapshots`, instr);
        if (instr.result !== undefined) this.define(instr.result, visible, instr);
        return;
      case 'prim': {
        instr.args.forEach(read);
        const rule = lookupRule(instr.op);
        if (!rule) this.fail(`no rule for the primitive '${instr.op}'`, instr);
        else if (rule.arity !== 'variadic' && rule.arity !== instr.args.length)
          this.fail(`'${instr.op}' takes ${rule.arity} arguments, not ${instr.args.length}`, instr);
        this.define(instr.result, visible, instr);
        if (rule) this.expectType(instr.result, rule.resultType ?? 'number', instr, `the result of '${instr.op}'`);
        return;
      }
      case 'load':
      case 'store': {
        read(instr.container);
        if (typeof instr.index !== 'string') read(instr.index);
        if (instr.kind === 'store') read(instr.value);
        if (instr.kind === 'store' && instr.previous !== undefined) read(instr.previous);
        if (instr.kind === 'store' && instr.lengthBefore !== undefined) read(instr.lengthBefore);
        const element = this.elementType(instr.container, instr.index);
        const moved = instr.kind === 'load' ? instr.result : instr.value;
        if (instr.kind === 'load') this.define(instr.result, visible, instr);
        if (element) this.expectType(moved, element, instr, instr.kind === 'load' ? 'the element loaded' : 'the value stored');
        return;
      }
      case 'length':
        read(instr.container);
        this.expectType(instr.container, 'array', instr, 'the container measured');
        this.define(instr.result, visible, instr);
        this.expectType(instr.result, 'number', instr, 'a length');
        return;
      case 'push':
        read(instr.container);
        read(instr.value);
        read(instr.index);
        this.expectType(instr.container, 'array', instr, 'the container pushed onto');
        return;
      case 'slice':
        operands(instr).forEach((v) => v !== instr.copied && read(v));
        this.define(instr.result, visible, instr);
        return;
      case 'alloc':
      case 'copy':
      case 'const':
      case 'global':
        operands(instr).forEach(read);
        this.define(instr.result, visible, instr);
        return;
    }
  }

  /** The type of what an array, tuple or object holds at `index`, where it is known. */
  private elementType(container: ValueId, index: ValueId | string): Type | undefined {
    const type = this.typeOf(container);
    if (!type) return undefined;
    if (type.kind === 'array') return type.element;
    if (type.kind === 'object' && typeof index === 'string') return type.fields.find((f) => f.name === index)?.type;
    return undefined;
  }
}
