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
 *     value after the loop, which the block around the loop keeps (`idx` walking a triangle).
 *
 * So a loop that reads its inputs by index saves nothing per iteration. Blocks are planned
 * innermost first, since a recomputation can make an enclosing block provide one more value.
 */
import { add, call, cond, member, mul, num, ref, sub } from '../../ir/build.js';
import type { Expr } from '../../ir/code.js';
import { forEachExpr } from '../../ir/code-walk.js';
import { isTypedArray, type Block, type Carried, type Instr, type LoopInstr, type ValueId } from '../../ir/ssa.js';
import { forEachInstr, operands } from '../../ir/walk.js';
import type { DiffContext, Need } from './context.js';
import type { FunctionFacts } from './facts.js';
import { AroundInnerLoops } from './around-inner-loops.js';
import type { LoopBody, TapePlan, TapePlans } from './sweeps.js';
import { counterStep, countedLoop } from '../../ir/loops.js';
import { runningValue, type Advance, type RunningValue } from './running-values.js';

const CHEAP = new Set(['+', '-', '*', '/', 'neg', 'Math.abs', 'Math.sign', 'Math.min', 'Math.max', '<', '<=', '>', '>=', '===', '!==', '==', '!=', 'or', 'and', '!']);

/**
 * Plans the tape of the blocks the reverse sweep restores (innermost first, in the order given),
 * from the values the reverse sweep reads. Planning a block may make the blocks around it provide
 * more (a value its recomputation reads, a trip count's bounds), so a block is planned only after
 * every block inside it.
 */
export function planTapes(ctx: DiffContext, facts: FunctionFacts, reads: Need[], blocks: Array<{ block: Block; loopBody?: LoopBody }>): TapePlans {
  const planner = new Planner(ctx, facts, new Map(blocks.flatMap(({ block, loopBody }) => (loopBody ? [[block, loopBody] as const] : []))));
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

  constructor(
    readonly ctx: DiffContext,
    readonly facts: FunctionFacts,
    /** The loop bodies among the blocks, with the names of their reverse loops' counters. */
    private readonly loopBodies: Map<Block, LoopBody>,
  ) {}

  of(block: Block): TapePlan {
    let plan = this.plans.get(block);
    if (!plan) {
      plan = planTape(this, block, this.loopBodies.get(block));
      this.plans.set(block, plan);
    }
    return plan;
  }

  needsOf(block: Block): Need[] | undefined {
    return this.needs.get(block);
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

function planTape(planner: Planner, block: Block, loopBody: LoopBody | undefined): TapePlan {
  const { ctx, facts } = planner;
  const definitions = new Map<ValueId, Instr>();
  const loopsByTrips = new Map<ValueId, LoopInstr>();
  for (const instr of block.instrs) {
    if (instr.kind === 'prim' || instr.kind === 'load' || instr.kind === 'length') definitions.set(instr.result, instr);
    if (instr.kind === 'loop') loopsByTrips.set(instr.trips, instr);
  }
  // (the parameters are the function's own: a reverse sweep called apart is passed them again)
  const isParam = (v: ValueId) => block === facts.fn.body && facts.isParam(v);
  const definedHere = (v: ValueId) => facts.analysis.definedIn.get(v) === block && !ctx.names.isInline(v) && !isParam(v);
  const counterSteps = loopBody ? loopCounters(ctx, loopBody) : new Map<ValueId, LoopCounter>();

  const saved: Need[] = [];
  const counters: TapePlan['counters'] = [];
  const tripCounts: TapePlan['tripCounts'] = [];
  const recomputed = new Map<Instr, { primal: boolean; shadow: boolean }>();
  const planned = new Set<string>();
  const neededAnyway = new Set((planner.needsOf(block) ?? []).filter((n) => !n.shadow).map((n) => n.value));
  const freeValues = new Map<ValueId, boolean>();
  /**
   * True when the reverse sweep has the value without saving anything for it: an inline
   * expression, a value of an enclosing block, one needed anyway, a counter, or a cheap
   * recomputation from such values. Recomputing a value from operands that would have to be saved
   * for it would push as much as saving the value (and more for `a > b`: two numbers, not one).
   */
  const free = (v: ValueId | string | undefined): boolean => {
    if (typeof v !== 'number' || !definedHere(v) || neededAnyway.has(v) || counterSteps.has(v)) return true;
    const known = freeValues.get(v);
    if (known !== undefined) return known;
    freeValues.set(v, false);
    const instr = definitions.get(v);
    const recomputedFree = instr !== undefined && recomputable(facts, instr) && operandsFree(instr);
    freeValues.set(v, recomputedFree);
    return recomputedFree;
  };
  const operandsFree = (instr: Instr): boolean =>
    instr.kind === 'prim' ? instr.args.every(free) : instr.kind === 'load' ? free(instr.index) && free(instr.container) : instr.kind === 'length' ? free(instr.container) : false;
  const needOperand = (v: ValueId | string | undefined) => {
    if (typeof v !== 'number' || ctx.names.isInline(v)) return;
    if (definedHere(v)) plan({ value: v, shadow: false });
    // a value of an enclosing block: that block makes it available (its plan comes later)
    else planner.addNeed({ value: v, shadow: false });
  };
  /** tripCount(start, bound), and the key of the variables holding it (around-inner-loops.ts). */
  const tripCountOf = (start: Expr, bound: Expr) => ({ expr: call(facts.module.tripCount(), [start, bound]), key: tripCountKey(start, bound) });
  const plan = (need: Need): void => {
    const key = `${need.value}:${need.shadow}`;
    if (planned.has(key)) return;
    planned.add(key);
    const counter = need.shadow ? undefined : counterSteps.get(need.value);
    if (counter && loopBody) {
      // the k-th iteration (k = 1 … trips) started with start + (k - 1)·step
      const steps = sub(ref(loopBody.counter), num(1));
      const offset = counter.step === 1 ? steps : mul(steps, num(counter.step));
      if ('literal' in counter.start) {
        counters.push({ value: need.value, expr: counter.start.literal === 0 ? offset : add(num(counter.start.literal), offset) });
      } else {
        // a start computed before the loop: the enclosing block makes it available
        planner.addNeed({ value: counter.start.value, shadow: false });
        counters.push({ value: need.value, expr: add(ctx.primal(counter.start.value), offset) });
      }
      return;
    }
    if (loopBody && !need.shadow && facts.module.tapeStyle === 'shared' && planRunning(need.value, loopBody.loop)) return;
    const loop = loopsByTrips.get(need.value);
    // the companion of a hessian-marked function is differentiated again: its functions call none of the module's own
    const counted = loop && facts.module.tapeStyle === 'shared' ? countedLoop(loop, (v) => ctx.names.constantOf(v)) : undefined;
    if (counted) {
      needOperand(counted.start);
      needOperand(counted.bound);
      const { expr, key } = tripCountOf(ctx.primal(counted.start), ctx.primal(counted.bound));
      const home = tripCountHome(ctx, facts, block, [counted.start, counted.bound]);
      tripCounts.push({ value: need.value, expr: home ? ref(planner.aroundInnerLoops.tripCount(home, key, expr, () => ctx.namer.claim('trips'))) : expr, key });
      return;
    }
    const instr = definitions.get(need.value);
    // a shadow is recomputed only with the row it belongs to (`d_row = d_m[i]` beside `row = m[i]`)
    if (instr && recomputable(facts, instr) && (need.shadow ? instr.kind === 'load' : operandsFree(instr))) {
      const entry = recomputed.get(instr) ?? { primal: false, shadow: false };
      if (need.shadow) entry.shadow = true;
      else entry.primal = true;
      recomputed.set(instr, entry);
      if (instr.kind === 'prim') instr.args.forEach(needOperand);
      else if (instr.kind === 'load') {
        needOperand(instr.index);
        if (entry.primal) needOperand(instr.container);
        if (entry.shadow) {
          if (definedHere(instr.container)) plan({ value: instr.container, shadow: true });
          else planner.addNeed({ value: instr.container, shadow: true });
        }
      } else if (instr.kind === 'length') needOperand(instr.container);
      return;
    }
    saved.push(need);
  };
  const runningValues = new Map<Carried, RunningValue | undefined>();
  const runningOf = (loop: LoopInstr, c: Carried) => {
    if (!runningValues.has(c)) runningValues.set(c, runningValue(loop, c, (v) => ctx.names.constantOf(v)));
    return runningValues.get(c);
  };
  /** An advance as the reverse computes it at the iteration's start (undefined if it cannot). */
  const advanceExpr = (running: RunningValue, a: Advance): Expr | undefined => {
    const operand = (v: ValueId): Expr | undefined => {
      const length = running.nestedLengths.get(v);
      if (!length) {
        needOperand(v);
        return ctx.primal(v);
      }
      // the length a block inside computes: read again from its container, which keeps it
      // (read earlier than the forward sweep did: the container's length must never change)
      if (!isTypedArray(facts.typeOf(length.container)) && (facts.activity.isWritten(length.container) || !facts.mayReadAgain(length.container))) return undefined;
      needOperand(length.container);
      return member(ctx.primal(length.container), 'length');
    };
    const plus = (from: Advance, amount: Expr): Expr | undefined => {
      if (from.kind === 'none') return amount;
      const base = advanceExpr(running, from);
      return base && add(base, amount);
    };
    switch (a.kind) {
      case 'none':
        return num(0);
      case 'step':
        return plus(a.from, num(a.by));
      case 'loop': {
        const start = operand(a.loop.start);
        const bound = operand(a.loop.bound);
        if (!start || !bound) return undefined;
        // the inner loop stepped it tripCount(start, bound) times: computed once at the start of
        // the iteration's reverse, where the inner loop's own reverse finds it too
        const { expr: count, key } = tripCountOf(start, bound);
        const trips = ref(planner.aroundInnerLoops.findTripCount(facts.enclosingBlocks(block), key) ?? planner.aroundInnerLoops.tripCount(block, key, count, () => ctx.namer.claim('trips')));
        return plus(a.from, a.step === 1 ? trips : mul(trips, num(a.step)));
      }
      case 'branch': {
        const test = operand(a.cond);
        const then = test && advanceExpr(running, a.then);
        const otherwise = then && advanceExpr(running, a.else);
        return otherwise && cond(test!, then!, otherwise);
      }
    }
  };
  /**
   * Plans `value` as a running value of the loop, or as made from one by the body's own
   * instructions; false when it is neither.
   */
  const planRunning = (value: ValueId, loop: LoopInstr): boolean => {
    for (const c of loop.carried) {
      const running = runningOf(loop, c);
      if (!running) continue;
      if (value === c.param) {
        const advance = advanceExpr(running, running.advance);
        if (!advance) return false;
        candidates.push({ value, carried: c, advance });
        return true;
      }
      const to = running.advanceTo(value);
      const advance = to && advanceExpr(running, to);
      if (!advance) continue;
      plan({ value: c.param, shadow: false });
      madeCandidates.push({ value, base: c.param, advance });
      return true;
    }
    return false;
  };
  const candidates: Array<{ value: ValueId; carried: Carried; advance: Expr }> = [];
  const madeCandidates: TapePlan['madeFromRunning'] = [];
  for (const need of planner.needsOf(block) ?? []) plan(need);
  const recomputedInstrs = block.instrs.filter((instr) => recomputed.has(instr));
  const running: TapePlan['running'] = [];
  // computed last in the restore (its advance may read what comes before): nothing before may read it
  const readBeforeRunning = (value: ValueId) =>
    recomputedInstrs.some((instr) => operands(instr).includes(value)) ||
    tripCounts.some(({ expr }) => readsValue(expr, value)) ||
    planner.aroundInnerLoops.in(block).some((s) => s.kind === 'declare' && s.init !== undefined && readsValue(s.init, value));
  const madeFromRunning: TapePlan['madeFromRunning'] = [];
  for (const made of madeCandidates) {
    if (readBeforeRunning(made.value)) saved.push({ value: made.value, shadow: false });
    else madeFromRunning.push(made);
  }
  for (const { value, carried, advance } of candidates) {
    if (readBeforeRunning(value)) {
      saved.push({ value, shadow: false });
      continue;
    }
    const after = ctx.namer.claim(`${ctx.names.name(value)}_after`);
    const around = [...facts.enclosingBlocks(block)][1]!.block;
    planner.addNeed({ value: carried.result, shadow: false });
    planner.aroundInnerLoops.runningValue(around, after, ctx.primal(carried.result), ctx.names.name(value));
    running.push({ value, after, advance });
  }
  return { saved, counters, recomputed: recomputedInstrs.map((instr) => ({ instr, ...recomputed.get(instr)! })), tripCounts, running, madeFromRunning };
}

/**
 * Where a trip count made from `values` (its start and bound) is computed, when not in the loop's
 * block: the innermost block defining one of them (the function's body for literals and
 * parameters), if a loop's body lies between it and the loop's block, so that it runs less often.
 */
function tripCountHome(ctx: DiffContext, facts: FunctionFacts, block: Block, values: ValueId[]): Block | undefined {
  const defining = new Set(values.flatMap((v) => (ctx.names.isInline(v) ? [] : [facts.analysis.definedIn.get(v)])));
  let loopBetween = false;
  for (const enclosing of facts.enclosingBlocks(block)) {
    if (defining.has(enclosing.block) || enclosing.block === facts.fn.body) return loopBetween ? enclosing.block : undefined;
    loopBetween ||= enclosing.loopBody;
  }
  return undefined;
}

/** The key of trip counts of loops with the same start and bound (around-inner-loops.ts). */
function tripCountKey(start: Expr, bound: Expr): string {
  return [start, bound].map((e) => JSON.stringify(e, (field, v: unknown) => (field === 'source' ? undefined : v))).join();
}

function readsValue(expr: Expr, value: ValueId): boolean {
  let reads = false;
  forEachExpr(expr, (e) => (reads ||= e.kind === 'ref' && e.source?.value === value && !e.source.shadow));
  return reads;
}

function recomputable(facts: FunctionFacts, instr: Instr): boolean {
  switch (instr.kind) {
    case 'prim':
      return CHEAP.has(instr.op);
    case 'load':
      return facts.mayReadAgain(instr.container) && (!facts.activity.isWritten(instr.container) || facts.activity.isUnchangedAfter(instr));
    case 'length':
      return isTypedArray(facts.typeOf(instr.container)) || (facts.mayReadAgain(instr.container) && (!facts.activity.isWritten(instr.container) || facts.activity.isUnchangedAfter(instr)));
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
