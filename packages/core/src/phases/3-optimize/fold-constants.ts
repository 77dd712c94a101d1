/**
 * Constant folding on the SSA IR: an operator applied to constants becomes a constant, so does the
 * length of an array whose length is fixed, and a branch on a constant condition becomes the block
 * it takes (its φs read that side's values).
 * Unrolling a loop relies on it: `for (let i = 0; i < 3; i++)` is lowered to a branch on `0 < 3`
 * around a loop whose test `i + 1 < 3` is constant once `i` is.
 *
 * Only operators whose value is the same in every JavaScript engine are evaluated, and a number is
 * folded only when finite and not -0 (the generated code writes it as a literal).
 */
import { Replacements } from '../../ir/replacements.js';
import type { Block, Instr, LoopInstr, SsaFunction, ValueId } from '../../ir/ssa.js';
import { forEachInstr, mapOperands } from '../../ir/walk.js';

type Constant = number | boolean;

const numeric = (f: (a: number, b: number) => Constant) => (args: Constant[]) =>
  args.length === 2 && typeof args[0] === 'number' && typeof args[1] === 'number' ? f(args[0], args[1]) : undefined;
const logical = (f: (a: boolean, b: boolean) => boolean) => (args: Constant[]) =>
  args.length === 2 && typeof args[0] === 'boolean' && typeof args[1] === 'boolean' ? f(args[0], args[1]) : undefined;

/** The operators folded, by the IR's names for them (rules/operators.ts, rules/logic.ts). */
const EVALUATE: Record<string, (args: Constant[]) => Constant | undefined> = {
  '+': numeric((a, b) => a + b),
  '-': numeric((a, b) => a - b),
  '*': numeric((a, b) => a * b),
  '/': numeric((a, b) => a / b),
  '%': numeric((a, b) => a % b),
  neg: ([a]) => (typeof a === 'number' ? -a : undefined),
  '<': numeric((a, b) => a < b),
  '<=': numeric((a, b) => a <= b),
  '>': numeric((a, b) => a > b),
  '>=': numeric((a, b) => a >= b),
  '===': numeric((a, b) => a === b),
  '!==': numeric((a, b) => a !== b),
  '==': numeric((a, b) => a === b),
  '!=': numeric((a, b) => a !== b),
  and: logical((a, b) => a && b),
  or: logical((a, b) => a || b),
  '!': ([a]) => (typeof a === 'boolean' ? !a : undefined),
};

/** Folds the constants of one function, in place, block by block as they are handed to it. */
export class ConstantFolder {
  private readonly constants = new Map<ValueId, Constant>();
  /** A folded branch's φ result → the value of the side it takes (and other passes' replacements). */
  private readonly replaced = new Replacements();

  constructor(
    private readonly fn: SsaFunction,
    /** The length of an array known at compile time (one whose length cannot change), if any. */
    private readonly fixedLength: (array: ValueId) => number | undefined = () => undefined,
  ) {
    forEachInstr(fn.body, (instr) => instr.kind === 'const' && this.constants.set(instr.result, instr.value));
  }

  resolve(v: ValueId): ValueId {
    return this.replaced.resolve(v);
  }

  /** The constant a value is known to hold, if any. */
  constantOf(v: ValueId): Constant | undefined {
    return this.constants.get(this.resolve(v));
  }

  /** A constant instruction defining `result`, known to the folder from now on. */
  define(result: ValueId, value: Constant): Instr {
    this.constants.set(result, value);
    return { kind: 'const', result, value };
  }

  /** Makes a value read `to` wherever it read `from` (applied by `foldAll`, or as blocks are folded). */
  replace(from: ValueId, to: ValueId): void {
    this.replaced.replace(from, to);
  }

  /**
   * The instructions folded, in program order: operands read replacements made so far, constant
   * operations become constants, branches on constants are replaced by the instructions of the
   * side taken, and nested blocks are folded too.
   */
  fold(instrs: readonly Instr[]): Instr[] {
    const folded: Instr[] = [];
    for (const instr of instrs) {
      mapOperands(instr, (v) => this.resolve(v));
      // a copy of a block (an unrolled loop's body) defines constants of its own
      if (instr.kind === 'const') this.constants.set(instr.result, instr.value);
      if (instr.kind === 'prim' || instr.kind === 'length') {
        const value = instr.kind === 'prim' ? this.evaluate(instr.op, instr.args) : this.fixedLength(instr.container);
        folded.push(value === undefined ? instr : this.define(instr.result, value));
        continue;
      }
      if (instr.kind === 'if') {
        const cond = this.constants.get(instr.cond);
        if (typeof cond === 'boolean') {
          folded.push(...this.fold((cond ? instr.then : instr.else).instrs));
          for (const phi of instr.phis) this.replace(phi.result, this.resolve(cond ? phi.then : phi.else));
          continue;
        }
        instr.then.instrs = this.fold(instr.then.instrs);
        instr.else.instrs = this.fold(instr.else.instrs);
      }
      if (instr.kind === 'loop') instr.body.instrs = this.fold(instr.body.instrs);
      // φs and carried values read values of the blocks just folded
      mapOperands(instr, (v) => this.resolve(v));
      if (instr.kind === 'loop') this.dropInvariantCarried(instr);
      folded.push(instr);
    }
    return folded;
  }

  /** Folds the whole function, and makes every read (φs and loops included) read the replacements. */
  foldAll(): void {
    this.fn.body.instrs = this.fold(this.fn.body.instrs);
    this.readReplacements(this.fn.body);
    if (this.fn.result !== undefined) this.fn.result = this.resolve(this.fn.result);
  }

  /** Makes every read in the block (nested blocks included) read the replacements made so far. */
  readReplacements(block: Block): void {
    this.replaced.readIn(block);
  }

  /**
   * A carried value whose next value is its own parameter (the loop assigned it only in a branch
   * folded away) holds its initial value in every iteration and after the loop: its reads read the
   * initial value, and the loop carries it no more.
   */
  private dropInvariantCarried(loop: LoopInstr): void {
    loop.carried = loop.carried.filter((c) => {
      if (c.next !== c.param) return true;
      this.replace(c.param, c.init);
      this.replace(c.result, c.init);
      return false;
    });
  }

  private evaluate(op: string, args: readonly ValueId[]): Constant | undefined {
    const evaluate = EVALUATE[op];
    const values = args.map((a) => this.constants.get(a));
    if (!evaluate || values.some((v) => v === undefined)) return undefined;
    const value = evaluate(values as Constant[]);
    // -0 would print as 0, and 1 / -0 is not 1 / 0
    return typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)) ? undefined : value;
  }
}
