/**
 * The reverse sweep: walks each block's instructions last-to-first and applies the chain rule,
 *
 *   d_arg += d_result · ∂result/∂arg          (partials from the rules table)
 *
 * A branch is reversed by the same test, each side reversing its own block; a loop by running
 * its body's reverse as many times as the body ran, last iteration first, with the adjoints of
 * its carried values handed from one iteration to the one before. Containers' adjoints live in
 * their shadows: a load adds to the shadow, a store takes the adjoint out of it.
 */
import { add, binary, index, member, mul, num, ref, sub } from '../../ir/build.js';
import type { AssignTarget, Expr, Stmt } from '../../ir/code.js';
import { isTypedArray, type Block, type CallInstr, type Instr, type LoopInstr, type ValueId } from '../../ir/ssa.js';
import { lookupRule, type DifferentiableRule } from '../../rules/index.js';
import type { DiffContext } from './context.js';
import { parallelAssign } from './parallel-assign.js';
import { accumulateInto, zeroShadow } from './shadows.js';
import { reverseCheckpointedLoop } from './checkpoint.js';

interface Seed {
  value: ValueId;
  adjoint: Expr;
}

/** The reverse of a block: its adjoints that start at zero, its seeds, then its instructions backwards. */
export function reverseBlock(ctx: DiffContext, block: Block, seeds: Seed[]): Stmt[] {
  const { start, steps } = reverseSteps(ctx, block, seeds);
  const statements = [...start, ...steps.reverse().flat()];
  if (block !== ctx.fn.body) ctx.restoreSites.push({ block, statements });
  return statements;
}

/**
 * The reverse of a block instruction by instruction: `start` (the adjoints that start at zero, and
 * the seeds) runs first, then steps[i], the reverse of block.instrs[i], from the last to the first.
 * The steps are generated in that order, as the adjoints accumulate.
 */
export function reverseSteps(ctx: DiffContext, block: Block, seeds: Seed[]): { start: Stmt[]; steps: Stmt[][] } {
  const start: Stmt[] = [];
  for (const value of definedValues(ctx, block)) {
    if (ctx.analysis.contributions.startAtZero.has(value)) start.push(ctx.adjoints.startAtZero(value));
  }
  for (const seed of seeds) push(start, accumulate(ctx, seed.value, seed.adjoint));
  const steps: Stmt[][] = new Array(block.instrs.length);
  for (let i = block.instrs.length - 1; i >= 0; i--) {
    const instr = block.instrs[i]!;
    steps[i] = ctx.activity.isEmitted(instr) ? reverseInstr(ctx, instr) : [];
  }
  return { start, steps };
}

/** The values a block defines, in a fixed order. */
function definedValues(ctx: DiffContext, block: Block): ValueId[] {
  const values: ValueId[] = [];
  for (const [value, definedIn] of ctx.analysis.definedIn) if (definedIn === block) values.push(value);
  return values.sort((a, b) => a - b);
}

function push(statements: Stmt[], statement: Stmt | undefined): void {
  if (statement) statements.push(statement);
}

/** Adds to d_v when v is an active number (inactive values and constants take no adjoint). */
function accumulate(ctx: DiffContext, value: ValueId, contribution: Expr, comment?: string): Stmt | undefined {
  if (!ctx.activity.isActive(value) || !ctx.activity.isScalar(value) || ctx.names.isInline(value)) return undefined;
  return ctx.adjoints.accumulate(value, contribution, comment);
}

/** `shadow[i]`, or `shadow.field` for a field index. */
function element(ctx: DiffContext, container: Expr, at: ValueId | string): AssignTarget {
  return typeof at === 'string' ? member(container, at) : index(container, ctx.primal(at));
}

function reverseInstr(ctx: DiffContext, instr: Instr): Stmt[] {
  switch (instr.kind) {
    case 'prim': {
      const adjoint = ctx.adjoints.get(instr.result);
      const rule = lookupRule(instr.op);
      if (!adjoint || !ctx.activity.isActive(instr.result) || rule?.kind !== 'differentiable') return [];
      const comment = `line ${instr.origin.line}: ${instr.origin.text}`;
      const statements: Stmt[] = [];
      instr.args.forEach((arg, i) => {
        if (!ctx.activity.isActive(arg) || ctx.names.isInline(arg)) return;
        const partial = (rule as DifferentiableRule).partial(i, instr.args.map((a) => ctx.primal(a)), ctx.primal(instr.result));
        // d_arg += d_result · ∂result/∂arg
        push(statements, accumulate(ctx, arg, mul(adjoint, partial), comment));
      });
      return statements;
    }
    case 'if': {
      const sides = ([['then', instr.then], ['else', instr.else]] as const).map(([side, sideBlock]) => {
        const seeds = instr.phis.flatMap((phi) => {
          const adjoint = ctx.adjoints.get(phi.result);
          return adjoint && ctx.activity.isActive(phi.result) ? [{ value: phi[side], adjoint }] : [];
        });
        return reverseBlock(ctx, sideBlock, seeds);
      });
      const [then, otherwise] = sides as [Stmt[], Stmt[]];
      if (then.length === 0 && otherwise.length === 0) return [];
      return [{ kind: 'if', test: ctx.primal(instr.cond), then, else: otherwise }];
    }
    case 'loop':
      // a companion that can be differentiated again (local tapes) tapes every loop (warning AD2034)
      return instr.checkpoint && ctx.module.tapeStyle === 'shared' ? reverseCheckpointedLoop(ctx, instr) : reverseLoop(ctx, instr);
    case 'load': {
      // d_container[i] += d_element
      const adjoint = ctx.adjoints.get(instr.result);
      if (!adjoint || !ctx.activity.isScalar(instr.result) || !ctx.activity.isActive(instr.container)) return [];
      const shadow = ctx.shadow(instr.container);
      const statement: Stmt = { kind: 'assign', op: '+=', target: element(ctx, shadow, instr.index), value: adjoint, comment: `line ${instr.origin.line}: ${instr.origin.text}` };
      // A read the program tests with ?? may be past the end: it has no element to take an adjoint.
      if (typeof instr.index === 'string' || !ctx.testedForMissing(instr.result)) return [statement];
      return [{ kind: 'if', test: binary('<', ctx.primal(instr.index), member(shadow, 'length')), then: [statement], else: [] }];
    }
    case 'store': {
      // d_value += d_container[i]; d_container[i] = 0 (the overwritten element takes no more)
      if (!ctx.activity.isActive(instr.container) || !ctx.activity.isScalar(instr.value)) return [];
      const target = element(ctx, ctx.shadow(instr.container), instr.index);
      // a typed array drops a store past its end: nothing of the value reached the result
      const mayBePast = typeof instr.index !== 'string' && isTypedArray(ctx.typeOf(instr.container)) && !ctx.typedArrayBounds.inside(instr.container, instr.index);
      const adjoint = mayBePast ? binary('??', target, num(0)) : target;
      const statements: Stmt[] = [];
      push(statements, accumulate(ctx, instr.value, adjoint, `line ${instr.origin.line}: ${instr.origin.text}`));
      statements.push({ kind: 'assign', op: '=', target, value: num(0) });
      return statements;
    }
    case 'push': {
      if (!ctx.activity.isActive(instr.container) || !ctx.activity.isScalar(instr.value)) return [];
      const statement = accumulate(ctx, instr.value, index(ctx.shadow(instr.container), ctx.primal(instr.index)), `line ${instr.origin.line}: ${instr.origin.text}`);
      return statement ? [statement] : [];
    }
    case 'alloc':
      return reverseAlloc(ctx, instr);
    case 'call':
      return reverseCall(ctx, instr);
    case 'slice': {
      const type = ctx.typeOf(instr.result);
      if (!ctx.activity.isActive(instr.result) || !ctx.activity.isActive(instr.container) || type.kind !== 'array' || type.element.kind !== 'number') return [];
      // d_source[offset + k] += d_copy[k] for every element k copied (not those pushed onto the copy later)
      const counter = ctx.namer.claim('k');
      const k = sub(ref(counter), num(1));
      const offset = ctx.primal(instr.offset);
      const at = offset.kind === 'num' && offset.value === 0 ? k : add(offset, k);
      return [
        {
          kind: 'countdown',
          counter,
          from: ctx.primal(instr.copied),
          body: [{ kind: 'assign', op: '+=', target: index(ctx.shadow(instr.container), at), value: index(ctx.shadow(instr.result), k), comment: `line ${instr.origin.line}: ${instr.origin.text}` }],
        },
      ];
    }
    default:
      return [];
  }
}

function reverseAlloc(ctx: DiffContext, instr: Extract<Instr, { kind: 'alloc' }>): Stmt[] {
  if (!ctx.activity.isActive(instr.result)) return [];
  const type = ctx.typeOf(instr.result);
  const shadow = ctx.shadow(instr.result);
  const comment = `line ${instr.origin.line}: ${instr.origin.text}`;
  const statements: Stmt[] = [];
  instr.elements.forEach((elementValueId, i) => {
    const at = type.kind === 'object' ? member(shadow, type.fields[i]!.name) : index(shadow, num(i));
    push(statements, accumulate(ctx, elementValueId, at, comment));
  });
  if (instr.fill !== undefined && ctx.activity.isActive(instr.fill) && ctx.activity.isScalar(instr.fill)) {
    // every element it started with was the fill value: d_fill += Σₖ d_array[k] (k < n, not pushed later)
    const counter = ctx.namer.claim('k');
    const body: Stmt[] = [];
    push(body, accumulate(ctx, instr.fill, index(shadow, sub(ref(counter), num(1))), comment));
    statements.push({ kind: 'countdown', counter, from: ctx.primal(instr.length!), body });
  }
  return statements;
}

/**
 * for (let k = trips; k > 0; k--) { restore the iteration's values; reverse the body }, with
 * d_carried holding the adjoint of the carried value at the end of the iteration being reversed.
 */
function reverseLoop(ctx: DiffContext, instr: LoopInstr): Stmt[] {
  const reversed = reverseIteration(ctx, instr);
  if (!reversed) return [];
  return [...reversed.before, { kind: 'countdown', counter: reversed.counter, from: ctx.primal(instr.trips), body: reversed.iteration }, ...reversed.after];
}

/** The reverse of one iteration of a loop, and what goes around the loop that repeats it. */
export interface ReversedIteration {
  /** `let d_carried = d_result`: the adjoints of the carried values after the last iteration. */
  before: Stmt[];
  /** Restores the iteration's values (once the tape plan is known), reverses the body, hands the carried adjoints to the iteration before. */
  iteration: Stmt[];
  /** d_init += d_carried. */
  after: Stmt[];
  /** The name of the counter the iteration reads its number from (trips … 1, last first). */
  counter: string;
}

/** Undefined when the loop contributes no adjoint. */
export function reverseIteration(ctx: DiffContext, instr: LoopInstr): ReversedIteration | undefined {
  const carried = instr.carried.filter((c) => ctx.activity.isScalar(c.param) && (ctx.activity.isActive(c.param) || ctx.activity.isActive(c.result)));
  const carries = carried.map((c) => ({ c, name: ctx.adjoints.carriedVariable(ctx.names.name(c.param)) }));
  const counter = ctx.namer.claim('iteration');
  ctx.loopBodies.set(instr.body, { loop: instr, counter });
  const body = reverseBlock(
    ctx,
    instr.body,
    carries.map(({ c, name }) => ({ value: c.next, adjoint: ref(name) })),
  );
  if (body.length === 0 && carries.length === 0) return undefined;
  body.push(...parallelAssign(ctx.namer, carries.map(({ c, name }) => ({ name, value: ctx.adjoints.get(c.param) ?? num(0) }))));
  const before: Stmt[] = carries.map(({ c, name }) => ({ kind: 'declare', declaration: 'let', name, init: ctx.adjoints.get(c.result) ?? num(0) }));
  const after: Stmt[] = [];
  for (const { c, name } of carries) push(after, accumulate(ctx, c.init, ref(name)));
  return { before, iteration: body, after, counter };
}

/**
 * The reverse of `y = g(args)`: replay the call through g's backprop (or the user's rule for g)
 * with the adjoint of y, from the arguments as they were (a container written later is read from
 * its snapshot); it adds into the shadows of container arguments and returns the adjoints of
 * number arguments. A g that recurses is not replayed: its reverse sweep runs on what its forward
 * sweep, called by the forward sweep here, left on the tape (recursive-calls.ts).
 */
function reverseCall(ctx: DiffContext, instr: CallInstr): Stmt[] {
  const pattern = instr.args.map((arg) => ctx.activity.isActive(arg) && !ctx.names.isInline(arg));
  // Nothing flows back through a callee whose result cannot vary (it counts or compares), unless
  // it writes into a container whose adjoint does.
  const summary = ctx.module.summaries(instr.callee);
  const writesActive = instr.args.some((arg, j) => pattern[j] && !ctx.activity.isScalar(arg) && (summary?.writesParam[j] ?? true));
  if (!pattern.some(Boolean) || (summary && !summary.resultCanVary && !writesActive)) return [];
  const callee = ctx.module.callee(instr.callee);
  const comment = `line ${instr.origin.line}: ${instr.origin.text}`;
  const apart = !callee.rule && ctx.module.reversesApart(instr.callee);
  if (apart) ctx.callsApart.set(instr, pattern);
  // replayed from the arguments as they were; a reverse sweep called apart needs no copies (recursive-calls.ts)
  const asTheyWere = (arg: ValueId) => apart || ctx.activity.isScalar(arg) || (!ctx.activity.isWritten(arg) && ctx.mayReadAgain(arg));
  const args = instr.args.map((arg, j) => (asTheyWere(arg) ? ctx.primal(arg) : ctx.primal(instr.snapshots[j]!)));
  const result = instr.result;
  const resultAdjoint: Expr[] =
    result === undefined
      ? []
      : [ctx.activity.isScalar(result) ? (ctx.adjoints.get(result) ?? num(0)) : ctx.activity.isActive(result) ? ctx.shadow(result) : zeroShadow(ctx.typeOf(result), ctx.primal(result))];
  const adjointsName = ctx.namer.claim(`d_${callee.name}`);
  const adjoints = ref(adjointsName);
  const statements: Stmt[] = [];
  if (callee.rule) {
    // the user's rule returns the adjoint of each argument, containers included
    statements.push({ kind: 'declare', declaration: 'const', name: adjointsName, init: { kind: 'call', callee: ctx.module.ruleName(instr.callee), args: [...args, ...resultAdjoint] }, comment });
    instr.args.forEach((arg, j) => {
      if (!pattern[j]) return;
      const adjoint = member(adjoints, callee.paramNames[j]!);
      if (ctx.activity.isScalar(arg)) push(statements, accumulate(ctx, arg, adjoint));
      else statements.push(...accumulateInto(ctx.namer, ctx.typeOf(arg), ctx.shadow(arg), adjoint));
    });
    return statements;
  }
  const shadows = instr.args.filter((arg, j) => pattern[j] && !ctx.activity.isScalar(arg)).map((arg) => ctx.shadow(arg));
  const reverseName = apart ? ctx.module.sweepNames(instr.callee, pattern).reverse : ctx.module.backpropName(instr.callee, pattern);
  const backprop: Expr = { kind: 'call', callee: reverseName, args: [...args, ...shadows, ...resultAdjoint] };
  // it adds into the shadows; what it returns is needed for number arguments only
  const numbers = instr.args.some((arg, j) => pattern[j] && ctx.activity.isScalar(arg));
  statements.push(numbers ? { kind: 'declare', declaration: 'const', name: adjointsName, init: backprop, comment } : { kind: 'expr', expr: backprop, comment });
  instr.args.forEach((arg, j) => {
    if (pattern[j] && ctx.activity.isScalar(arg)) push(statements, accumulate(ctx, arg, member(member(adjoints, 'grad'), callee.paramNames[j]!)));
  });
  return statements;
}
