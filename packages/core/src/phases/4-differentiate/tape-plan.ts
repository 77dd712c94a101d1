/**
 * The tape plan of a block: of the values its reverse sweep reads, which are pushed on the tape
 * and which are computed again at the start of the reverse. A value is recomputed instead of saved
 * when it is made, from values that are available anyway (defined outside the block, needed by the
 * reverse sweep for themselves, or recomputed so: never values saved only to recompute it), by
 *
 *   - a cheap operation: arithmetic, abs, min, a comparison… (`-drag` in a loop, `Math.abs(v)`
 *     when `v` is needed too);
 *   - a read of a container the function never writes (`w[i]`, `x.length`), or does not write
 *     after the read (an array filled before the loop that reads it): reading it again in the
 *     reverse gives the same value;
 *   - a loop's counter: a carried value that starts at an integer and steps by an integer
 *     (`i = 0; i++`) is `start + (k - 1)·step` in the reverse's k-th iteration, exactly;
 *   - a counted loop's trip count, from its start and bound (trip-count.ts); computed once in an
 *     enclosing block when both come from outside the block (around-inner-loops.ts);
 *   - a running value (running-values.ts): a carried value each iteration advances by an amount
 *     the reverse computes again is its value after the iteration less that amount, from the
 *     value after the loop, which the block around the loop keeps (`idx` walking a triangle);
 *   - the shadow of an object of numbers a call returns (`{ x1: 0, x2: 0 }` for `dp = grad_p(…)`),
 *     when only reads of its fields use the object: it starts at zero, and the forward sweep never
 *     touches it, so the reverse makes it again instead of the container tape keeping it.
 *
 * So a loop that reads its inputs by index saves nothing per iteration. Blocks are planned
 * innermost first, since a recomputation can make an enclosing block provide one more value.
 */
import { add, call, cond, member, mul, num, ref, sub } from '../../ir/build.js';
import type { Expr } from '../../ir/code.js';
import { forEachExpr } from '../../ir/code-walk.js';
import { isTypedArray, type Block, type Carried, type Instr, type LoopInstr, type Type, type ValueId } from '../../ir/ssa.js';
import { forEachInstr, operands } from '../../ir/walk.js';
import type { DiffContext, Need } from './context.js';
import type { FunctionFacts } from './facts.js';
import { AroundInnerLoops } from './around-inner-loops.js';
import { isCheap } from './cheap-operations.js';
import type { LoopBody, TapePlan, TapePlans } from './sweeps.js';
import { counterStep, countedLoop, LoopNests, type CountedLoop } from '../../ir/loops.js';
import { runningValue, type Advance, type RunningValue } from './running-values.js';

/**
 * Plans the tape of the blocks the reverse sweep restores (innermost first, in the order given),
 * from the values the reverse sweep reads. Planning a block may make the blocks around it provide
 * more (a value its recomputation reads, a trip count's bounds), so a block is planned only after
 * every block inside it.
 */
export function planTapes(
  ctx: DiffContext,
  facts: FunctionFacts,
  reads: Need[],
  blocks: Array<{ block: Block; loopBody?: LoopBody; inScope?: boolean }>,
): TapePlans {
  const planner = new Planner(
    ctx,
    facts,
    new Map(blocks.flatMap(({ block, loopBody }) => (loopBody ? [[block, loopBody] as const] : []))),
    new Set(blocks.flatMap(({ block, inScope }) => (inScope ? [block] : []))),
  );
  for (const need of reads) planner.addNeed(need);
  for (const { block } of blocks) planner.of(block);
  return planner;
}

/** The planner of one function's blocks: what each block must make available, and each block's plan once made. */
class Planner implements TapePlans {
  /** Per block, the values it defines that the reverse sweep reads, in a fixed order. */
  private readonly needs = new Map<Block, Need[]>();
  readonly read = new Set<ValueId>();
  readonly aroundInnerLoops = new AroundInnerLoops();
  private readonly plans = new Map<Block, TapePlan>();
  /** Which counted loops start from an enclosing loop's counter (a triangle's rows). */
  readonly loopNests: LoopNests;

  constructor(
    readonly ctx: DiffContext,
    readonly facts: FunctionFacts,
    /** The loop bodies among the blocks, with the names of their reverse loops' counters. */
    private readonly loopBodies: Map<Block, LoopBody>,
    /** The blocks whose reverse runs where their forward sweep's values are in scope (a fused loop's body): nothing to restore. */
    private readonly inScope: ReadonlySet<Block>,
  ) {
    this.loopNests = new LoopNests(facts.fn, (v) => ctx.names.constantOf(v));
  }

  of(block: Block): TapePlan {
    let plan = this.plans.get(block);
    if (!plan) {
      plan = this.inScope.has(block) ? emptyPlan() : planTape(this, block, this.loopBodies.get(block));
      this.plans.set(block, plan);
    }
    return plan;
  }

  needsOf(block: Block): Need[] | undefined {
    return this.needs.get(block);
  }

  /** True when the loop's reverse is a loop of its own, counting its trip count down (not a fused loop's iterations). */
  reversedByCount(loop: LoopInstr): boolean {
    return this.loopBodies.has(loop.body) && !this.inScope.has(loop.body);
  }

  /** Notes that the reverse sweep reads a value, so the block defining it must make it available. */
  addNeed({ value, shadow }: Need): void {
    this.read.add(value);
    const { fn, analysis, apart } = this.facts;
    const block = analysis.definedIn.get(value);
    if (!block) return;
    // the body's values are in scope in the reverse sweep of a backprop; one called apart gets them
    // from the tape, except the parameters (passed again) and the shadows passed with them
    if (block === fn.body) {
      const param = fn.params.find((p) => p.value === value);
      if (!apart || (param && (!shadow || param.differentiable))) return;
    }
    const needs = this.needs.get(block) ?? [];
    if (!needs.some((n) => n.value === value && n.shadow === shadow)) needs.push({ value, shadow });
    this.needs.set(block, needs);
  }
}

function emptyPlan(): TapePlan {
  return { saved: [], counters: [], recomputed: [], tripCounts: [], running: [], madeFromRunning: [], freshShadows: [] };
}

function planTape(planner: Planner, block: Block, loopBody: LoopBody | undefined): TapePlan {
  return new BlockPlan(planner, block, loopBody).make();
}

/**
 * The plan of one block, made by planning each value the block must make available: a loop's
 * counter, a running value, a counted loop's trip count, a cheap recomputation, or else saved.
 * Planning a value may need others (a recomputation's operands): those of this block are planned
 * in turn, those of enclosing blocks are handed to the planner (addNeed).
 */
class BlockPlan {
  private readonly ctx: DiffContext;
  private readonly facts: FunctionFacts;
  /** The block's instructions that a value it defines may be recomputed from. */
  private readonly definitions = new Map<ValueId, Instr>();
  private readonly loopsByTrips = new Map<ValueId, LoopInstr>();
  /** The loop's counters (when the block is a loop's body): start + (k - 1)·step in the k-th iteration. */
  private readonly counterSteps: Map<ValueId, LoopCounter>;
  /** Values the reverse sweep needs for themselves: reading them costs a recomputation nothing more. */
  private readonly neededAnyway: Set<ValueId>;
  private readonly planned = new Set<string>();
  private readonly freeValues = new Map<ValueId, boolean>();
  private readonly runningValues = new Map<Carried, RunningValue | undefined>();

  private readonly saved: Need[] = [];
  private readonly freshShadows: ValueId[] = [];
  private readonly counters: TapePlan['counters'] = [];
  private readonly tripCounts: TapePlan['tripCounts'] = [];
  private readonly recomputed = new Map<Instr, { primal: boolean; shadow: boolean }>();
  /** Carried values the reverse computes back from the value after the loop, if nothing before reads them. */
  private readonly runningCandidates: Array<{ value: ValueId; carried: Carried; advance: Expr }> = [];
  private readonly madeCandidates: TapePlan['madeFromRunning'] = [];

  constructor(
    private readonly planner: Planner,
    private readonly block: Block,
    private readonly loopBody: LoopBody | undefined,
  ) {
    this.ctx = planner.ctx;
    this.facts = planner.facts;
    for (const instr of block.instrs) {
      if (instr.kind === 'prim' || instr.kind === 'load' || instr.kind === 'length') this.definitions.set(instr.result, instr);
      if (instr.kind === 'loop') this.loopsByTrips.set(instr.trips, instr);
    }
    this.counterSteps = loopBody ? loopCounters(this.ctx, loopBody) : new Map<ValueId, LoopCounter>();
    this.neededAnyway = new Set((planner.needsOf(block) ?? []).filter((n) => !n.shadow).map((n) => n.value));
  }

  make(): TapePlan {
    for (const need of this.planner.needsOf(this.block) ?? []) this.plan(need);
    const recomputedInstrs = this.block.instrs.filter((instr) => this.recomputed.has(instr));
    const { running, madeFromRunning } = this.keepRunningValues(recomputedInstrs);
    const recomputed = recomputedInstrs.map((instr) => ({ instr, ...this.recomputed.get(instr)! }));
    return {
      saved: this.saved,
      counters: this.counters,
      recomputed,
      tripCounts: this.tripCounts,
      running,
      madeFromRunning,
      freshShadows: this.freshShadows,
    };
  }

  /** (the parameters are the function's own: a reverse sweep called apart is passed them again) */
  private isParam(v: ValueId): boolean {
    return this.block === this.facts.fn.body && this.facts.isParam(v);
  }

  private definedHere(v: ValueId): boolean {
    return this.facts.analysis.definedIn.get(v) === this.block && !this.ctx.names.isInline(v) && !this.isParam(v);
  }

  /**
   * True when the reverse sweep has the value without saving anything for it: an inline
   * expression, a value of an enclosing block, one needed anyway, a counter, or a cheap
   * recomputation from such values. Recomputing a value from operands that would have to be saved
   * for it would push as much as saving the value (and more for `a > b`: two numbers, not one).
   */
  private free(v: ValueId | string | undefined): boolean {
    if (typeof v !== 'number' || !this.definedHere(v) || this.neededAnyway.has(v) || this.counterSteps.has(v)) return true;
    const known = this.freeValues.get(v);
    if (known !== undefined) return known;
    this.freeValues.set(v, false);
    const instr = this.definitions.get(v);
    const recomputedFree = instr !== undefined && recomputable(this.facts, instr) && this.operandsFree(instr);
    this.freeValues.set(v, recomputedFree);
    return recomputedFree;
  }

  private operandsFree(instr: Instr): boolean {
    if (instr.kind === 'prim') return instr.args.every((a) => this.free(a));
    if (instr.kind === 'load') return this.free(instr.index) && this.free(instr.container);
    return instr.kind === 'length' ? this.free(instr.container) : false;
  }

  private needOperand(v: ValueId | string | undefined): void {
    if (typeof v !== 'number' || this.ctx.names.isInline(v)) return;
    if (this.definedHere(v)) this.plan({ value: v, shadow: false });
    // a value of an enclosing block: that block makes it available (its plan comes later)
    else this.planner.addNeed({ value: v, shadow: false });
  }

  /**
   * The trip count of a counted loop whose start and bound the reverse computes as `start` and
   * `bound`: tripCount(start, bound), or for a triangle's row, a loop counted from an enclosing
   * loop's counter toward the same bound (LoopNests in ir/loops.ts), the enclosing loop's
   * trip count less the rows before it, with no call per row. And the key of the variables holding
   * it (around-inner-loops.ts).
   */
  private tripCountOf(loop: CountedLoop, start: Expr, bound: Expr): { expr: Expr; key: string } {
    const key = tripCountKey(start, bound);
    const row = this.planner.loopNests.countedFromOuter(loop);
    if (row && this.planner.reversedByCount(row.outer.loop)) {
      this.needOperand(row.outer.loop.trips);
      // trips(j) = trips(i) − (j₀ − s)
      const before = row.outerStart === 0 ? start : sub(start, num(row.outerStart));
      return { expr: sub(this.ctx.primal(row.outer.loop.trips), before), key };
    }
    return { expr: call(this.facts.module.tripCount(), [start, bound]), key };
  }

  private plan(need: Need): void {
    const key = `${need.value}:${need.shadow}`;
    if (this.planned.has(key)) return;
    this.planned.add(key);
    if (this.planCounter(need)) return;
    const shared = this.facts.module.tapeStyle === 'shared';
    if (this.loopBody && !need.shadow && shared && this.planRunning(need.value, this.loopBody.loop)) return;
    if (this.planTripCount(need)) return;
    if (this.planRecomputation(need)) return;
    if (need.shadow && this.isFreshShadow(need.value)) this.freshShadows.push(need.value);
    else this.saved.push(need);
  }

  /**
   * True for the shadow of an object (or tuple) of numbers that a call of this block returns and
   * that nothing but reads of its fields uses: a store, a call, a φ or a container holding the
   * object could make the forward sweep use its shadow, or the reverse need the same one.
   */
  private isFreshShadow(value: ValueId): boolean {
    const { fn } = this.facts;
    if (!this.block.instrs.some((i) => i.kind === 'call' && i.result === value) || fn.result === value) return false;
    if (!numbersOnly(this.facts.typeOf(value))) return false;
    let onlyFieldReads = true;
    forEachInstr(fn.body, (instr) => {
      if (!operands(instr).includes(value)) return;
      if (instr.kind !== 'load' || instr.container !== value || typeof instr.index !== 'string') onlyFieldReads = false;
    });
    return onlyFieldReads;
  }

  /** A counter of the loop whose body this is: the k-th iteration (k = 1 … trips) started with start + (k - 1)·step. */
  private planCounter(need: Need): boolean {
    const counter = need.shadow ? undefined : this.counterSteps.get(need.value);
    if (!counter || !this.loopBody) return false;
    const steps = sub(ref(this.loopBody.counter), num(1));
    const offset = counter.step === 1 ? steps : mul(steps, num(counter.step));
    if ('literal' in counter.start) {
      this.counters.push({ value: need.value, expr: counter.start.literal === 0 ? offset : add(num(counter.start.literal), offset) });
    } else {
      // a start computed before the loop: the enclosing block makes it available
      this.planner.addNeed({ value: counter.start.value, shadow: false });
      this.counters.push({ value: need.value, expr: add(this.ctx.primal(counter.start.value), offset) });
    }
    return true;
  }

  /** The trip count of a counted loop of this block, from its start and bound (computed once further out when it can). */
  private planTripCount(need: Need): boolean {
    const loop = this.loopsByTrips.get(need.value);
    // the companion of a hessian-marked function is differentiated again: its functions call none of the module's own
    const counted = loop && this.facts.module.tapeStyle === 'shared' ? countedLoop(loop, (v) => this.ctx.names.constantOf(v)) : undefined;
    if (!counted) return false;
    this.needOperand(counted.start);
    this.needOperand(counted.bound);
    const { expr, key } = this.tripCountOf(counted, this.ctx.primal(counted.start), this.ctx.primal(counted.bound));
    const home = tripCountHome(this.facts, this.ctx, this.block, [counted.start, counted.bound]);
    const around = this.planner.aroundInnerLoops;
    const claim = () => this.ctx.namer.claim('trips');
    const trips = home
      ? ref(home.beforeFusedLoop ? around.tripCountBefore(home.block, key, expr, claim) : around.tripCount(home.block, key, expr, claim))
      : expr;
    this.tripCounts.push({ value: need.value, expr: trips, key });
    return true;
  }

  /** A cheap instruction run again at the reverse's start; a shadow only with the row it belongs to (`d_row = d_m[i]` beside `row = m[i]`). */
  private planRecomputation(need: Need): boolean {
    const instr = this.definitions.get(need.value);
    if (!instr || !recomputable(this.facts, instr) || !(need.shadow ? instr.kind === 'load' : this.operandsFree(instr))) return false;
    const entry = this.recomputed.get(instr) ?? { primal: false, shadow: false };
    if (need.shadow) entry.shadow = true;
    else entry.primal = true;
    this.recomputed.set(instr, entry);
    if (instr.kind === 'prim') instr.args.forEach((a) => this.needOperand(a));
    else if (instr.kind === 'load') {
      this.needOperand(instr.index);
      if (entry.primal) this.needOperand(instr.container);
      if (entry.shadow) {
        if (this.definedHere(instr.container)) this.plan({ value: instr.container, shadow: true });
        else this.planner.addNeed({ value: instr.container, shadow: true });
      }
    } else if (instr.kind === 'length') this.needOperand(instr.container);
    return true;
  }

  private runningOf(loop: LoopInstr, c: Carried): RunningValue | undefined {
    if (!this.runningValues.has(c))
      this.runningValues.set(
        c,
        runningValue(loop, c, (v) => this.ctx.names.constantOf(v)),
      );
    return this.runningValues.get(c);
  }

  /**
   * Plans `value` as a running value of the loop, or as made from one by the body's own
   * instructions; false when it is neither.
   */
  private planRunning(value: ValueId, loop: LoopInstr): boolean {
    for (const c of loop.carried) {
      const running = this.runningOf(loop, c);
      if (!running) continue;
      if (value === c.param) {
        const advance = this.advanceExpr(running, running.advance);
        if (!advance) return false;
        this.runningCandidates.push({ value, carried: c, advance });
        return true;
      }
      const to = running.advanceTo(value);
      const advance = to && this.advanceExpr(running, to);
      if (!advance) continue;
      this.plan({ value: c.param, shadow: false });
      this.madeCandidates.push({ value, base: c.param, advance });
      return true;
    }
    return false;
  }

  /** An advance as the reverse computes it at the iteration's start (undefined if it cannot). */
  private advanceExpr(running: RunningValue, a: Advance): Expr | undefined {
    const plus = (from: Advance, amount: Expr): Expr | undefined => {
      if (from.kind === 'none') return amount;
      const base = this.advanceExpr(running, from);
      return base && add(base, amount);
    };
    switch (a.kind) {
      case 'none':
        return num(0);
      case 'step':
        return plus(a.from, num(a.by));
      case 'loop': {
        const start = this.advanceOperand(running, a.loop.start);
        const bound = this.advanceOperand(running, a.loop.bound);
        if (!start || !bound) return undefined;
        // the inner loop stepped it tripCount(start, bound) times: computed once at the start of
        // the iteration's reverse, where the inner loop's own reverse finds it too
        const { expr: count, key } = this.tripCountOf(a.loop, start, bound);
        const around = this.planner.aroundInnerLoops;
        const trips = ref(
          around.findTripCount(this.facts.enclosingBlocks(this.block), key) ??
            around.tripCount(this.block, key, count, () => this.ctx.namer.claim('trips')),
        );
        return plus(a.from, a.step === 1 ? trips : mul(trips, num(a.step)));
      }
      case 'branch': {
        const test = this.advanceOperand(running, a.cond);
        const then = test && this.advanceExpr(running, a.then);
        const otherwise = then && this.advanceExpr(running, a.else);
        return otherwise && cond(test!, then!, otherwise);
      }
    }
  }

  /** An operand of an advance, as the reverse reads it at the iteration's start. */
  private advanceOperand(running: RunningValue, v: ValueId): Expr | undefined {
    const length = running.nestedLengths.get(v);
    if (!length) {
      this.needOperand(v);
      return this.ctx.primal(v);
    }
    // the length a block inside computes: read again from its container, which keeps it
    // (read earlier than the forward sweep did: the container's length must never change)
    if (
      !isTypedArray(this.facts.typeOf(length.container)) &&
      (this.facts.activity.isWritten(length.container) || !this.facts.mayReadAgain(length.container))
    )
      return undefined;
    this.needOperand(length.container);
    return member(this.ctx.primal(length.container), 'length');
  }

  /**
   * The running values and the values made from them that nothing restored before them reads (they
   * are computed last in the restore, since an advance may read what comes before); the others are saved.
   */
  private keepRunningValues(recomputedInstrs: Instr[]): Pick<TapePlan, 'running' | 'madeFromRunning'> {
    const readBeforeRunning = (value: ValueId) =>
      recomputedInstrs.some((instr) => operands(instr).includes(value)) ||
      this.tripCounts.some(({ expr }) => readsValue(expr, value)) ||
      this.planner.aroundInnerLoops.in(this.block).some((s) => s.kind === 'declare' && s.init !== undefined && readsValue(s.init, value));
    const madeFromRunning: TapePlan['madeFromRunning'] = [];
    for (const made of this.madeCandidates) {
      if (readBeforeRunning(made.value)) this.saved.push({ value: made.value, shadow: false });
      else madeFromRunning.push(made);
    }
    const running: TapePlan['running'] = [];
    for (const { value, carried, advance } of this.runningCandidates) {
      if (readBeforeRunning(value)) {
        this.saved.push({ value, shadow: false });
        continue;
      }
      const after = this.ctx.namer.claim(`${this.ctx.names.name(value)}_after`);
      const around = [...this.facts.enclosingBlocks(this.block)][1]!.block;
      this.planner.addNeed({ value: carried.result, shadow: false });
      this.planner.aroundInnerLoops.runningValue(around, after, this.ctx.primal(carried.result), this.ctx.names.name(value));
      running.push({ value, after, advance });
    }
    return { running, madeFromRunning };
  }
}

/**
 * Where a trip count made from `values` (its start and bound) is computed, when not in the loop's
 * block: the innermost block defining one of them (the function's body, for literals and
 * parameters), if a loop's body lies between it and the loop's block, so that it runs less often;
 * or, when neither is defined in the fused loop the block belongs to, before that loop runs.
 */
function tripCountHome(
  facts: FunctionFacts,
  ctx: DiffContext,
  block: Block,
  values: ValueId[],
): { block: Block; beforeFusedLoop: boolean } | undefined {
  const defining = new Set(values.flatMap((v) => (ctx.names.isInline(v) ? [] : [facts.analysis.definedIn.get(v)])));
  let loopBetween = false;
  for (const enclosing of facts.enclosingBlocks(block)) {
    if (!defining.has(enclosing.block) && facts.isReverseRoot(enclosing.block) && enclosing.block !== facts.fn.body)
      return { block: enclosing.block, beforeFusedLoop: true };
    if (defining.has(enclosing.block) || facts.isReverseRoot(enclosing.block))
      return loopBetween ? { block: enclosing.block, beforeFusedLoop: false } : undefined;
    loopBetween ||= enclosing.loopBody;
  }
  return undefined;
}

/** The key of trip counts of loops with the same start and bound (around-inner-loops.ts). */
function tripCountKey(start: Expr, bound: Expr): string {
  return [start, bound].map((e) => JSON.stringify(e, (field, v: unknown) => (field === 'source' ? undefined : v))).join();
}

/** An object or tuple of numbers (or booleans), nested or not: its shadow of zeros reads nothing of it. */
function numbersOnly(type: Type): boolean {
  switch (type.kind) {
    case 'number':
    case 'boolean':
      return true;
    case 'object':
      return type.fields.every((f) => numbersOnly(f.type));
    case 'tuple':
      return type.elements.every(numbersOnly);
    case 'array':
      return false;
  }
}

function readsValue(expr: Expr, value: ValueId): boolean {
  let reads = false;
  forEachExpr(expr, (e) => (reads ||= e.kind === 'ref' && e.source?.value === value && !e.source.shadow));
  return reads;
}

function recomputable(facts: FunctionFacts, instr: Instr): boolean {
  switch (instr.kind) {
    case 'prim':
      return isCheap(instr.op);
    case 'load':
      return (
        facts.mayReadAgain(instr.container) &&
        (!facts.activity.isWritten(instr.container) || facts.activity.isUnchangedAfter(instr) || facts.unchangedInFusedIteration(instr))
      );
    case 'length':
      return (
        isTypedArray(facts.typeOf(instr.container)) ||
        (facts.mayReadAgain(instr.container) && (!facts.activity.isWritten(instr.container) || facts.activity.isUnchangedAfter(instr)))
      );
    default:
      return false;
  }
}

/** A loop counter: it starts at an integer literal or at a value, and steps by `step`. */
interface LoopCounter {
  start: { literal: number } | { value: ValueId };
  step: number;
}

/**
 * The loop's counters: carried values that step by an integer literal (`i++`, `j -= 2`) and start
 * at an integer literal, or start at a value computed before the loop and serve only as indices. Either way `start + (k - 1)·step` is exactly the value the
 * k-th iteration had: for an integer start every sum is an exact integer; a counter that only
 * indexes and starts at a fraction reads no element at all (`x[1.5]` is undefined), in the forward
 * sweep as in the reverse.
 */
function loopCounters(ctx: DiffContext, { loop }: LoopBody): Map<ValueId, LoopCounter> {
  const counters = new Map<ValueId, LoopCounter>();
  const integer = (v: ValueId) => {
    const constant = ctx.names.constantOf(v);
    return typeof constant === 'number' && Number.isInteger(constant) ? constant : undefined;
  };
  for (const c of loop.carried) {
    const step = counterStep(loop, c, (v) => ctx.names.constantOf(v));
    if (step === undefined) continue;
    const literal = integer(c.init);
    const start = literal !== undefined ? { literal } : onlyIndexes(loop, c.param, c.next) ? { value: c.init } : undefined;
    if (start) counters.set(c.param, { start, step });
  }
  return counters;
}

const COMPARISONS = new Set(['<', '<=', '>', '>=', '===', '!==', '==', '!=']);

/**
 * True when, in the loop's body, `counter` and the values computed from it by `+`, `-` and `*`
 * are only used as indices of loads, stores and pushes, compared, or carried to the next
 * iteration as `next` (the counter's own update).
 */
function onlyIndexes(loop: LoopInstr, counter: ValueId, next: ValueId): boolean {
  const derived = new Set([counter]);
  let indexOnly = true;
  const check = (instr: Instr): void => {
    const reads = (v: ValueId | string | undefined) => typeof v === 'number' && derived.has(v);
    switch (instr.kind) {
      case 'load':
        return;
      case 'store':
      case 'push':
        if (reads(instr.value)) indexOnly = false;
        return;
      case 'prim':
        if (!instr.args.some(reads) || COMPARISONS.has(instr.op)) return;
        if (['+', '-', '*'].includes(instr.op)) derived.add(instr.result);
        else indexOnly = false;
        return;
      case 'loop':
        for (const c of instr.carried) if (reads(c.init) || reads(c.next)) indexOnly = false;
        return;
      case 'if':
        for (const phi of instr.phis) if (reads(phi.then) || reads(phi.else)) indexOnly = false;
        return;
      default:
        if (operands(instr).some(reads)) indexOnly = false;
    }
  };
  forEachInstr(loop.body, check);
  return indexOnly && !loop.carried.some((c) => c.next !== next && derived.has(c.next));
}
