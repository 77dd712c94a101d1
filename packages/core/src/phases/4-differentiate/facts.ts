/**
 * What is known of the function being differentiated, read only: its IR, its analyses, the
 * companion module around it, and facts derived from those once (which blocks enclose which,
 * which stores stay inside their typed arrays, which reads the program tests with `??`). Every
 * stage of differentiation reads them; none changes them.
 */
import type { Block, Instr, SsaFunction, Type, ValueId } from '../../ir/ssa.js';
import type { ConstantOf } from '../../ir/loops.js';
import { childBlocks, forEachInstr } from '../../ir/walk.js';
import { TypedArrayBounds } from '../../ir/array-bounds.js';
import type { Activity, Analysis } from '../../analysis/index.js';
import type { CompanionModule } from './module.js';
import { LoopShapes } from './natural-loop.js';

export class FunctionFacts {
  private parents?: Map<Block, { parent: Block; loopBody: boolean }>;
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

  /** The block and the blocks around it, innermost first, out to the function's body; each says whether it is a loop's body. */
  *enclosingBlocks(block: Block): Iterable<{ block: Block; loopBody: boolean }> {
    if (!this.parents) {
      const parents = new Map<Block, { parent: Block; loopBody: boolean }>();
      forEachInstr(this.fn.body, (instr, parent) =>
        childBlocks(instr).forEach((child) => parents.set(child, { parent, loopBody: instr.kind === 'loop' })),
      );
      this.parents = parents;
    }
    for (let b: Block | undefined = block; b; b = this.parents.get(b)?.parent)
      yield { block: b, loopBody: this.parents.get(b)?.loopBody ?? false };
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

function instructionsOf(block: Block): Instr[] {
  const all: Instr[] = [];
  forEachInstr(block, (instr) => all.push(instr));
  return all;
}
