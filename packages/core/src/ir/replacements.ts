/**
 * Values that a pass over the IR replaces by others. A pass that drops an instruction makes its
 * result's readers read another value instead (an inlined call's result, a repeated operation's
 * earlier twin, a forwarded read's stored value); a replacement may be replaced in turn (`b[i] =
 * a[i]`, both reads forwarded), so `resolve` follows the chain. Readers met before the replacement
 * was known, φs and loops' carried values included, are rewritten by `readIn` once the pass is done.
 */
import type { Block, SsaFunction, ValueId } from './ssa.js';
import { forEachInstr, mapOperands } from './walk.js';

export class Replacements {
  private readonly replacement = new Map<ValueId, ValueId>();

  /** From now on, `from` is read as `to`. */
  replace(from: ValueId, to: ValueId): void {
    this.replacement.set(from, to);
  }

  /** The value that replaces `v` in the end (`v` itself when none does). */
  resolve(v: ValueId): ValueId {
    while (this.replacement.has(v)) v = this.replacement.get(v)!;
    return v;
  }

  get isEmpty(): boolean {
    return this.replacement.size === 0;
  }

  /** Makes every read in the block (nested blocks included) read the replacements. */
  readIn(block: Block): void {
    forEachInstr(block, (instr) => mapOperands(instr, (v) => this.resolve(v)));
  }

  /** Makes every read of the function, and its result, read the replacements. */
  readInFunction(fn: SsaFunction): void {
    this.readIn(fn.body);
    if (fn.result !== undefined) fn.result = this.resolve(fn.result);
  }
}
