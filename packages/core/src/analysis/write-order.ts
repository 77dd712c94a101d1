/**
 * Where the writes of each container class fall in the forward sweep, to tell whether a read is
 * the last look at contents that no later instruction changes. Instructions are numbered in
 * program order; a write inside a loop counts as happening at the end of its outermost loop, since
 * a later iteration writes again after any read of an earlier one.
 *
 * The reverse sweep reads a container again only if the forward sweep left it as the read saw it
 * (the reverse sweep writes shadows, never the primal containers), which is what a read with no
 * write of its class after it guarantees: `qdiags[k]` in GMM's main loop, filled before it.
 */
import type { Block, Instr, LoopInstr, SsaFunction, ValueId } from '../ir/ssa.js';
import { childBlocks } from '../ir/walk.js';

export class WriteOrder {
  private readonly position = new Map<Instr, number>();
  /** The outermost loop holding each instruction that sits in a loop. */
  private readonly outermostLoop = new Map<Instr, LoopInstr>();
  private readonly loopEnd = new Map<LoopInstr, number>();
  /** The latest position at which each class may be written. */
  private readonly lastWrite = new Map<ValueId, number>();

  constructor(fn: SsaFunction) {
    let next = 0;
    const number = (block: Block, outermost: LoopInstr | undefined): void => {
      for (const instr of block.instrs) {
        this.position.set(instr, next++);
        if (outermost) this.outermostLoop.set(instr, outermost);
        for (const child of childBlocks(instr)) number(child, outermost ?? (instr.kind === 'loop' ? instr : undefined));
        if (instr.kind === 'loop') this.loopEnd.set(instr, next++);
      }
    };
    number(fn.body, undefined);
  }

  /** Records that `instr` may write the container class `cls`. */
  addWrite(cls: ValueId, instr: Instr): void {
    const loop = this.outermostLoop.get(instr);
    const at = loop ? this.loopEnd.get(loop)! : this.position.get(instr)!;
    this.lastWrite.set(cls, Math.max(at, this.lastWrite.get(cls) ?? -1));
  }

  /** True when no write of the class can come after the read. */
  noWriteAfter(cls: ValueId, read: Instr): boolean {
    const at = this.position.get(read);
    return at !== undefined && (this.lastWrite.get(cls) ?? -1) < at;
  }
}
