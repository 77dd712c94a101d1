/**
 * Stores that are inside their typed array, as far as the IR shows it: `t[i] = …` where i is the
 * counter of a counted loop `for (let i = s; i < n; i++)` with s a whole number (a literal ≥ 0, a
 * length, another such counter, a sum of those: `j = i + 1`) and n the array's length (the length
 * it was made with, `new Float64Array(n)`, or `t.length`), or a literal index below the literal
 * length it was made with. A typed array drops a store past its end, and the
 * reverse sweep must then take no adjoint from it; a store shown inside needs no such test.
 */
import { countedLoop, sameNumber, type ConstantOf } from './loops.js';
import type { LoopInstr, SsaFunction, ValueId } from './ssa.js';
import { forEachInstr } from './walk.js';

export class TypedArrayBounds {
  /** For each array made by `new …Array(length)` or read as `a.length`, the values that are its length. */
  private readonly lengths = new Map<ValueId, ValueId[]>();
  /** Loops by the counters they carry. */
  private readonly loops = new Map<ValueId, LoopInstr>();
  /** Sums, by their results. */
  private readonly sums = new Map<ValueId, ValueId[]>();
  /** Values read as `a.length`, with the array read. */
  private readonly lengthReads = new Map<ValueId, ValueId>();

  constructor(
    private readonly fn: SsaFunction,
    private readonly constantOf: ConstantOf,
  ) {
    const addLength = (container: ValueId, length: ValueId) =>
      this.lengths.set(container, [...(this.lengths.get(container) ?? []), length]);
    forEachInstr(fn.body, (instr) => {
      if (instr.kind === 'alloc' && instr.length !== undefined) addLength(instr.result, instr.length);
      if (instr.kind === 'length') {
        addLength(instr.container, instr.result);
        this.lengthReads.set(instr.result, instr.container);
      }
      if (instr.kind === 'loop') for (const c of instr.carried) this.loops.set(c.param, instr);
      if (instr.kind === 'prim' && instr.op === '+') this.sums.set(instr.result, instr.args);
    });
  }

  /** True when `container[index]` is an element of the typed array `container`. */
  inside(container: ValueId, index: ValueId): boolean {
    const lengths = this.lengths.get(container) ?? [];
    const literal = this.constantOf(index);
    if (typeof literal === 'number') {
      const below = (n: ValueId) => {
        const length = this.constantOf(n);
        return typeof length === 'number' && literal < length;
      };
      return Number.isInteger(literal) && literal >= 0 && lengths.some(below);
    }
    const loop = this.loops.get(index);
    const counted = loop && countedLoop(loop, this.constantOf);
    if (!counted || counted.counter !== index) return false;
    return (
      this.wholeNumber(counted.start, 0) &&
      lengths.some((n) => sameNumber(this.fn, n, counted.bound, this.constantOf, (v) => this.lengthReads.get(v)))
    );
  }

  /** True when `v` is an integer ≥ 0: a literal, a length, a sum of such, or the counter of a counted loop starting at one. */
  private wholeNumber(v: ValueId, depth: number): boolean {
    const literal = this.constantOf(v);
    if (literal !== undefined) return typeof literal === 'number' && Number.isInteger(literal) && literal >= 0;
    if (depth > 16) return false;
    if (this.lengthReads.has(v)) return true;
    const sum = this.sums.get(v);
    if (sum) return sum.every((a) => this.wholeNumber(a, depth + 1));
    const loop = this.loops.get(v);
    const counted = loop && countedLoop(loop, this.constantOf);
    return counted !== undefined && counted.counter === v && this.wholeNumber(counted.start, depth + 1);
  }
}
