/**
 * What differentiating one function shares between the reverse and the forward sweep: names,
 * adjoints, and the bookkeeping of which primal values the reverse sweep reads (its *needs*),
 * from which the tape is planned.
 */
import type { AssignTarget, Expr, Stmt } from '../../ir/code.js';
import { forEachExprInStatements } from '../../ir/code-walk.js';
import type { Block, CallInstr, Instr, LoopInstr, SsaFunction, ValueId } from '../../ir/ssa.js';
import type { LoopState } from './checkpoint-state.js';
import { childBlocks, forEachInstr } from '../../ir/walk.js';
import type { Namer } from '../../naming.js';
import type { Analysis } from '../../analysis/index.js';
import { Adjoints } from './adjoints.js';
import { PrimalNames } from './names.js';
import { LocalTapes, type TapeKind, type TapeNames } from './tape.js';
import type { CompanionModule } from './module.js';
import { planTape, type LoopBody, type TapePlan } from './tape-plan.js';
import { TypedArrayBounds } from '../../ir/array-bounds.js';
import { AroundInnerLoops } from './around-inner-loops.js';

/** A value (or a container's shadow) that the reverse sweep reads. */
export interface Need {
  value: ValueId;
  shadow: boolean;
}

export class DiffContext {
  readonly names: PrimalNames;
  readonly adjoints: Adjoints;
  /** Per block, the values it defines that the reverse sweep reads, in a fixed order. */
  readonly needs = new Map<Block, Need[]>();
  /** Every primal value the reverse sweep reads, wherever it is defined. */
  readonly read = new Set<ValueId>();
  /** Statement lists of the reverse sweep that must start by restoring a block's saved values. */
  readonly restoreSites: Array<{ block: Block; statements: Stmt[] }> = [];
  private readonly tapePlans = new Map<Block, TapePlan>();
  /** The loop bodies among the blocks, with the names of their reverse loops' counters. */
  readonly loopBodies = new Map<Block, LoopBody>();
  /** Checkpointed loops whose reverse sweep drives the revolve schedule, with the state it stores. */
  readonly checkpointedLoops = new Map<LoopInstr, LoopState>();
  /** Code generated once every block's tape plan is known (the checkpointed loops' drivers). */
  readonly deferred: Array<() => void> = [];
  /** Trip counts and running values' variables, computed at the start of a block's reverse for the loops inside it. */
  readonly aroundInnerLoops = new AroundInnerLoops();
  private parents?: Map<Block, { parent: Block; loopBody: boolean }>;
  /** False while generating forward code that runs without the tape (a checkpointed loop's recomputation). */
  taping = true;
  private nullishTested?: Set<ValueId>;

  /** The calls reversed by the callee's two sweeps called apart (recursive-calls.ts), with the callee's differentiated parameters. */
  readonly callsApart = new Map<CallInstr, boolean[]>();

  constructor(
    readonly fn: SsaFunction,
    readonly analysis: Analysis,
    readonly namer: Namer,
    globalName: (name: string) => string,
    /** The companion being built: its shared declarations and the other functions it generates. */
    readonly module: CompanionModule,
    /**
     * Set for the two sweeps of a recursive function, called apart (recursive-calls.ts): its callers
     * run on between them, so the values of the body go on the tape too, and a parameter's contents
     * are read again only if they stay as they were.
     */
    readonly apart?: { paramsReadAgain: boolean[] },
  ) {
    this.names = new PrimalNames(fn, namer, globalName);
    this.adjoints = new Adjoints(namer, analysis.contributions.count, (v) => this.names.name(v));
    this.localTapes = module.tapeStyle === 'local' ? new LocalTapes((name) => namer.claim(name)) : undefined;
  }

  get activity() {
    return this.analysis.activity;
  }

  /** The block and the blocks around it, innermost first, out to the function's body; each says whether it is a loop's body. */
  *enclosingBlocks(block: Block): Iterable<{ block: Block; loopBody: boolean }> {
    if (!this.parents) {
      const parents = new Map<Block, { parent: Block; loopBody: boolean }>();
      forEachInstr(this.fn.body, (instr, parent) => childBlocks(instr).forEach((child) => parents.set(child, { parent, loopBody: instr.kind === 'loop' })));
      this.parents = parents;
    }
    for (let b: Block | undefined = block; b; b = this.parents.get(b)?.parent) yield { block: b, loopBody: this.parents.get(b)?.loopBody ?? false };
  }

  private bounds?: TypedArrayBounds;
  /** Which stores into typed arrays are provably inside them (ir/array-bounds.ts). */
  get typedArrayBounds(): TypedArrayBounds {
    return (this.bounds ??= new TypedArrayBounds(this.fn, (v) => this.names.constantOf(v)));
  }

  typeOf(value: ValueId) {
    return this.fn.values[value]!.type;
  }

  /** A primal value as the reverse sweep reads it (tracked, so the tape can restore it). */
  primal(value: ValueId): Expr {
    const expr = this.names.expr(value);
    // literals and module constants are written inline: there is nothing to save
    return expr.kind === 'ref' && !this.names.isInline(value) ? { ...expr, source: { value, shadow: false } } : expr;
  }

  /** The statements `generate` returns, generated without taping: no pushes, no shadows. */
  untaped(generate: () => Stmt[]): Stmt[] {
    const taping = this.taping;
    this.taping = false;
    try {
      return generate();
    } finally {
      this.taping = taping;
    }
  }

  /** True when the forward sweep builds a shadow beside the container: an active container, while taping. */
  hasShadow(value: ValueId): boolean {
    return this.taping && !this.activity.isScalar(value) && this.activity.isActive(value);
  }

  /** A container's shadow as the reverse sweep reads it. */
  shadow(value: ValueId): AssignTarget {
    return { kind: 'ref', name: this.names.shadowName(value), source: { value, shadow: true } };
  }

  /** True when the program tests the value with `??`: it may be a read past the end of an array. */
  testedForMissing(value: ValueId): boolean {
    this.nullishTested ??= new Set(instructionsOf(this.fn.body).flatMap((i) => (i.kind === 'prim' && i.op === 'nullish' ? i.args : [])));
    return this.nullishTested.has(value);
  }

  /** The function's own tapes, when the companion keeps them local. */
  readonly localTapes: LocalTapes | undefined;

  /** The tape for saving values of `kind` (containers of the TypeScript type `typeText`). */
  tapes(kind: TapeKind, typeText: string): TapeNames {
    return this.localTapes ? this.localTapes.get(kind, typeText) : this.module.sharedTapes(kind);
  }

  /** What a block saves on the tape and what its reverse recomputes (planned once the needs are known). */
  tapePlan(block: Block): TapePlan {
    let plan = this.tapePlans.get(block);
    if (!plan) {
      plan = planTape(this, block, this.loopBodies.get(block));
      this.tapePlans.set(block, plan);
    }
    return plan;
  }

  /** Records every primal value the statements read, by the block that defines it. */
  recordNeeds(statements: Stmt[]): void {
    forEachExprInStatements(statements, (e) => {
      if (e.kind === 'ref' && e.source) this.addNeed(e.source);
    });
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
    return fn.params.every((p, j) => activity.isScalar(p.value) || this.apart!.paramsReadAgain[j] || !activity.mayAlias(p.value, container));
  }

  /** Notes that the reverse sweep reads a value, so the block defining it must make it available. */
  addNeed({ value, shadow }: Need): void {
    this.read.add(value);
    const block = this.analysis.definedIn.get(value);
    if (!block) return;
    // the body's values are in scope in the reverse sweep of a backprop; one called apart gets them
    // from the tape, except the parameters (passed again) and the shadows passed with them
    if (block === this.fn.body) {
      const param = this.fn.params.find((p) => p.value === value);
      if (!this.apart || (param && (!shadow || param.differentiable))) return;
    }
    const needs = this.needs.get(block) ?? [];
    if (!needs.some((n) => n.value === value && n.shadow === shadow)) needs.push({ value, shadow });
    this.needs.set(block, needs);
  }
}

function instructionsOf(block: Block): Instr[] {
  const all: Instr[] = [];
  forEachInstr(block, (instr) => all.push(instr));
  return all;
}
