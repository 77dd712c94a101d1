/**
 * What is known of the function being differentiated, read only: its IR, its analyses, the
 * companion module around it, and facts derived from those once (which blocks enclose which,
 * which stores stay inside their typed arrays, which reads the program tests with `??`). Every
 * stage of differentiation reads them; none changes them.
 */
import type { Block, Carried, Instr, LoopInstr, SsaFunction, Type, ValueId } from '../../ir/ssa.js';
import type { ConstantOf } from '../../ir/loops.js';
import { childBlocks, forEachInstr } from '../../ir/walk.js';
import { isCheap } from './cheap-operations.js';
import { TypedArrayBounds } from '../../ir/array-bounds.js';
import { linearTail, type Activity, type Analysis, type IndependentLoop, type LinearTail } from '../../analysis/index.js';
import type { CompanionModule } from './module.js';
import { LoopShapes } from './natural-loop.js';

/** A loop whose iterations are each reversed right after they run, in the forward sweep (fused-loop.ts). */
export interface FusedLoop {
  independent: IndependentLoop;
  /** The linear steps from each active accumulator's result to the function's result. */
  tails: Map<Carried, LinearTail>;
}

export class FunctionFacts {
  private parents?: Map<Block, { parent: Block; loopBody: boolean }>;
  private fused?: Map<LoopInstr, FusedLoop>;
  private rerun?: Map<LoopInstr, Carried[]>;
  private blockOf?: Map<Instr, Block>;
  private fusedBodies?: Set<Block>;
  private bounds?: TypedArrayBounds;
  private nullishTested?: Set<ValueId>;
  private shapes?: LoopShapes;

  constructor(
    readonly fn: SsaFunction,
    readonly analysis: Analysis,
    /** The companion being built: its shared declarations and the other functions it generates. */
    readonly module: CompanionModule,
    /** The number or boolean a value holds when it is a literal. */
    readonly constantOf: ConstantOf,
    /**
     * Set for the two sweeps of a recursive function, called apart (recursive-calls.ts): its callers
     * run on between them, so the values of the body go on the tape too, and a parameter's contents
     * are read again only if they stay as they were.
     */
    readonly apart?: { paramsReadAgain: boolean[] },
  ) {}

  get activity(): Activity {
    return this.analysis.activity;
  }

  typeOf(value: ValueId): Type {
    return this.fn.values[value]!.type;
  }

  /**
   * The block and the blocks around it, innermost first, out to the function's body or to the body
   * of a fused loop (whose reverse runs inside the forward sweep, so that the reverse of a block
   * inside it can read nothing that the reverse sweep computes outside it); each says whether it is
   * a loop's body.
   */
  *enclosingBlocks(block: Block): Iterable<{ block: Block; loopBody: boolean }> {
    if (!this.parents) {
      const parents = new Map<Block, { parent: Block; loopBody: boolean }>();
      forEachInstr(this.fn.body, (instr, parent) =>
        childBlocks(instr).forEach((child) => parents.set(child, { parent, loopBody: instr.kind === 'loop' })),
      );
      this.parents = parents;
    }
    for (let b: Block | undefined = block; b; b = this.isReverseRoot(b) ? undefined : this.parents.get(b)?.parent)
      yield { block: b, loopBody: this.parents.get(b)?.loopBody ?? false };
  }

  /** The outermost block of the reverse that `block` belongs to: the function's body, or the body of a fused loop around it. */
  reverseRootOf(block: Block): Block {
    let root = block;
    for (const { block: b } of this.enclosingBlocks(block)) root = b;
    return root;
  }

  /** True for the outermost block of a reverse: the function's body, or the body of a fused loop. */
  isReverseRoot(block: Block): boolean {
    this.fusedBodies ??= new Set([...this.fusedLoops.keys()].map((loop) => loop.body));
    return block === this.fn.body || this.fusedBodies.has(block);
  }

  /**
   * The loops whose iterations are reversed right after they run, in the forward sweep: loops of
   * independent iterations outside any other loop, whose active accumulators reach the result
   * through linear steps only, so that their adjoints are known before the loop runs. Not in
   * sweeps called apart (the forward sweep has no d_result). With local tapes, each iteration keeps
   * its own (DiffContext.tapes).
   */
  get fusedLoops(): ReadonlyMap<LoopInstr, FusedLoop> {
    if (this.fused) return this.fused;
    this.fused = new Map();
    const { fn, activity } = this;
    const result = fn.result;
    if (this.apart || result === undefined || !activity.isScalar(result) || !activity.isActive(result)) return this.fused;
    for (const [loop, independent] of this.analysis.independentLoops) {
      const tails = new Map<Carried, LinearTail>();
      const active = this.activeAccumulators(independent);
      for (const c of active) {
        const tail = linearTail(fn, loop, c.result);
        if (tail) tails.set(c, tail);
      }
      if (tails.size === active.length) this.fused.set(loop, { independent, tails });
    }
    return this.fused;
  }

  /**
   * The loops of independent iterations that are not fused but run again in the reverse sweep,
   * each iteration reversed right after it (rerun-loop.ts), with their active accumulators: loops
   * that carry a number without an adjoint from one iteration to the next (llsq's `mul *= t`),
   * which a taped loop pushes every iteration, and made of cheap operations only (arithmetic,
   * reads, stores into their scratch arrays, branches, loops), which cost less to run again than
   * to tape. Not with local tapes, nor in sweeps called apart, nor inside a checkpointed loop.
   */
  get rerunLoops(): ReadonlyMap<LoopInstr, Carried[]> {
    if (this.rerun) return this.rerun;
    this.rerun = new Map();
    if (this.module.tapeStyle !== 'shared' || this.apart) return this.rerun;
    const inCheckpointed = new Set<LoopInstr>();
    forEachInstr(this.fn.body, (instr) => {
      if (instr.kind === 'loop' && instr.checkpoint)
        forEachInstr(instr.body, (inner) => inner.kind === 'loop' && inCheckpointed.add(inner));
    });
    for (const [loop, independent] of this.analysis.independentLoops) {
      if (this.fusedLoops.has(loop) || inCheckpointed.has(loop)) continue;
      const active = this.activeAccumulators(independent);
      if (active.length > 0 && independent.recomputed.length > 0 && madeOfCheapOperations(loop)) this.rerun.set(loop, active);
    }
    return this.rerun;
  }

  /** The accumulators of a loop of independent iterations that carry an adjoint. */
  private activeAccumulators(independent: IndependentLoop): Carried[] {
    const { activity } = this;
    return independent.accumulators.filter((c) => activity.isActive(c.param) || activity.isActive(c.result));
  }

  /**
   * True when the read sits in a fused loop's body and nothing may write its container after it
   * in the same iteration (a write inside a loop of the body counts at that loop's end, as
   * analysis/write-order.ts counts them): the iteration's reverse, which runs before the next
   * iteration, reads it again as the forward read it (a scratch array the next sample refills).
   */
  unchangedInFusedIteration(read: Instr & { container: ValueId }): boolean {
    if (!this.blockOf) {
      this.blockOf = new Map();
      forEachInstr(this.fn.body, (instr, block) => this.blockOf!.set(instr, block));
    }
    const block = this.blockOf.get(read);
    if (!block) return false;
    const body = this.reverseRootOf(block);
    if (body === this.fn.body) return false;
    let position = 0;
    let readAt = -1;
    let lastWrite = -1;
    const { activity } = this;
    const writes = (instr: Instr): boolean =>
      ((instr.kind === 'store' || instr.kind === 'push') && activity.mayAlias(instr.container, read.container)) ||
      (instr.kind === 'call' && instr.args.some((arg) => !activity.isScalar(arg) && activity.mayAlias(arg, read.container)));
    const number = (b: Block, inLoop: boolean): void => {
      for (const instr of b.instrs) {
        const at = position++;
        if (instr === read) readAt = at;
        for (const child of childBlocks(instr)) number(child, inLoop || instr.kind === 'loop');
        if (writes(instr) && !inLoop) lastWrite = Math.max(lastWrite, at);
        // a write in a loop counts at the loop's end: a later iteration writes after any read
        if (instr.kind === 'loop') {
          let written = false;
          forEachInstr(instr.body, (inner) => (written ||= writes(inner)));
          if (written) lastWrite = Math.max(lastWrite, position++);
        }
      }
    };
    number(body, false);
    return readAt >= 0 && lastWrite < readAt;
  }

  /** True when the value is one of the function's parameters. */
  isParam(value: ValueId): boolean {
    return this.fn.params.some((p) => p.value === value);
  }

  /**
   * True when the reverse sweep may read the container's contents again, as far as the callers are
   * concerned: always, but in a reverse sweep called apart, whose callers may write into what they
   * passed (or what it returned) before it runs.
   */
  mayReadAgain(container: ValueId): boolean {
    if (!this.apart) return true;
    const { activity, fn } = this;
    if (fn.result !== undefined && !activity.isScalar(fn.result) && activity.mayAlias(fn.result, container)) return false;
    return fn.params.every(
      (p, j) => activity.isScalar(p.value) || this.apart!.paramsReadAgain[j] || !activity.mayAlias(p.value, container),
    );
  }

  /** Which loops the forward sweep writes as natural `for` loops (natural-loop.ts). */
  get loopShapes(): LoopShapes {
    return (this.shapes ??= new LoopShapes({
      fn: this.fn,
      activity: this.activity,
      constantOf: this.constantOf,
      summaries: this.module.summaries,
    }));
  }

  /** Which stores into typed arrays are provably inside them (ir/array-bounds.ts). */
  get typedArrayBounds(): TypedArrayBounds {
    return (this.bounds ??= new TypedArrayBounds(this.fn, this.constantOf));
  }

  /** True when the program tests the value with `??`: it may be a read past the end of an array. */
  testedForMissing(value: ValueId): boolean {
    this.nullishTested ??= new Set(instructionsOf(this.fn.body).flatMap((i) => (i.kind === 'prim' && i.op === 'nullish' ? i.args : [])));
    return this.nullishTested.has(value);
  }
}

const CHEAP_KINDS = new Set<Instr['kind']>(['const', 'global', 'load', 'length', 'store', 'if', 'loop']);

/** True when the loop's body, nested blocks included, computes only cheap operations (no calls, no new containers). */
function madeOfCheapOperations(loop: LoopInstr): boolean {
  let cheap = true;
  forEachInstr(loop.body, (instr) => (cheap &&= instr.kind === 'prim' ? isCheap(instr.op) : CHEAP_KINDS.has(instr.kind)));
  return cheap;
}

function instructionsOf(block: Block): Instr[] {
  const all: Instr[] = [];
  forEachInstr(block, (instr) => all.push(instr));
  return all;
}
