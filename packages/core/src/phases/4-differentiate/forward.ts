/**
 * The forward sweep: the primal computation, one `const` per useful value, with the shadows of
 * active containers built alongside their primals. A block that can run more than once ends by
 * pushing the values its reverse reads onto the tape. Code the result does not depend on is dropped.
 */
import { add, binary, index, member, method, num, ref } from '../../ir/build.js';
import type { AssignTarget, Expr, Stmt } from '../../ir/code.js';
import { isTypedArray, type AllocInstr, type Block, type CallInstr, type Instr, type LoopInstr, type SliceInstr, type Type, type ValueId } from '../../ir/ssa.js';
import { lookupRule } from '../../rules/index.js';
import { results } from '../../ir/walk.js';
import type { DiffContext } from './context.js';
import { endOfIteration } from './loop-exit.js';
import { parallelAssign } from './parallel-assign.js';
import { copyOf, zeroShadow } from './shadows.js';
import { shadowTypeText, typeText } from '../../ir/type-text.js';
import { popExpr, pushStmt } from './tape.js';
import { forwardCheckpointedLoop } from './checkpoint.js';

export function forwardBlock(ctx: DiffContext, block: Block): Stmt[] {
  return forwardSteps(ctx, block).flat();
}

/** The forward sweep of a block instruction by instruction: steps[i] computes block.instrs[i]. */
export function forwardSteps(ctx: DiffContext, block: Block): Stmt[][] {
  return block.instrs.map((instr) => {
    // what the result needs, and what the reverse sweep reads (a call's snapshot, a push's index)
    const emitted = ctx.activity.isEmitted(instr) || results(instr).some((r) => ctx.read.has(r));
    return emitted ? forwardInstr(ctx, instr) : [];
  });
}

/** The end of a block's forward sweep: push what its reverse reads and cannot recompute. */
export function saveForReverse(ctx: DiffContext, block: Block): Stmt[] {
  if (!ctx.taping) return [];
  return ctx.tapePlan(block).saved.map(({ value, shadow }) => {
    const kind = tapeKind(ctx, value, shadow);
    return pushStmt(ctx.tapes(kind, savedTypeText(ctx, value, shadow)), shadow ? ref(ctx.names.shadowName(value)) : ctx.names.expr(value), kind);
  });
}

/** The start of a block's reverse sweep: pop what its forward sweep pushed, in reverse order, then recompute the rest. */
export function restoreForReverse(ctx: DiffContext, block: Block): Stmt[] {
  const plan = ctx.tapePlan(block);
  const popped = [...plan.saved].reverse().map(({ value, shadow }): Stmt => {
    const name = shadow ? ctx.names.shadowName(value) : ctx.names.name(value);
    const kind = tapeKind(ctx, value, shadow);
    const savedType = savedTypeText(ctx, value, shadow);
    return { kind: 'declare', declaration: 'const', name, init: popExpr(ctx.tapes(kind, savedType), kind, savedType) };
  });
  const counters = plan.counters.map(({ value, expr }): Stmt => declare(ctx.names.name(value), expr));
  const recomputed = plan.recomputed.flatMap(({ instr, primal, shadow }): Stmt[] => {
    if (instr.kind !== 'load') return forwardInstr(ctx, instr);
    const names = ctx.names;
    return [
      ...(primal ? [declare(names.name(instr.result), elementOf(ctx, names.expr(instr.container), instr.index))] : []),
      ...(shadow ? [declare(names.shadowName(instr.result), elementOf(ctx, ref(names.shadowName(instr.container)), instr.index))] : []),
    ];
  });
  // a trip count that the reverse of this block or of one around it computes already is read from there
  const tripCounts = plan.tripCounts.map(({ value, expr, key }): Stmt => {
    const holder = expr.kind === 'ref' ? undefined : ctx.aroundInnerLoops.findTripCount(ctx.enclosingBlocks(block), key);
    return declare(ctx.names.name(value), holder ? ref(holder) : expr);
  });
  // the iteration's running value: the one after it, less what it added
  const running = plan.running.flatMap(({ value, after, advance }): Stmt[] => [
    ...(advance.kind === 'num' && advance.value === 0 ? [] : [{ kind: 'assign', op: '-=', target: ref(after), value: advance } satisfies Stmt]),
    declare(ctx.names.name(value), ref(after)),
  ]);
  const madeFromRunning = plan.madeFromRunning.map(({ value, base, advance }) => declare(ctx.names.name(value), add(ctx.names.expr(base), advance)));
  return [...popped, ...counters, ...recomputed, ...ctx.aroundInnerLoops.in(block), ...tripCounts, ...running, ...madeFromRunning];
}

/**
 * True for a store of a number into a plain array by a computed index: the array may not have that
 * element yet (`out[i] = …` filling `[]`), and gets it. A typed array drops such a store instead.
 */
function growsPastItsEnd(ctx: DiffContext, instr: Extract<Instr, { kind: 'store' }>): boolean {
  const type = ctx.typeOf(instr.container);
  return type.kind === 'array' && !isTypedArray(type) && typeof instr.index !== 'string';
}

function savedTypeText(ctx: DiffContext, value: ValueId, shadow: boolean): string {
  const type = ctx.typeOf(value);
  return shadow ? shadowTypeText(type) : typeText(type);
}

function tapeKind(ctx: DiffContext, value: ValueId, shadow: boolean): 'number' | 'boolean' | 'container' {
  const type = ctx.typeOf(value);
  if (shadow || !(type.kind === 'number' || type.kind === 'boolean')) return 'container';
  return type.kind;
}

const declare = (name: string, init: Expr): Stmt => ({ kind: 'declare', declaration: 'const', name, init });

export function forwardInstr(ctx: DiffContext, instr: Instr): Stmt[] {
  const names = ctx.names;
  const expr = (v: ValueId) => names.expr(v);
  switch (instr.kind) {
    case 'const':
    case 'global':
      return [];
    case 'prim':
      return [declare(names.name(instr.result), lookupRule(instr.op)!.primal(instr.args.map(expr)))];
    case 'length':
      return [declare(names.name(instr.result), member(expr(instr.container), 'length'))];
    case 'load': {
      const statements = [declare(names.name(instr.result), elementOf(ctx, expr(instr.container), instr.index))];
      // a row of an active matrix: its shadow is the matrix shadow's row
      if (ctx.hasShadow(instr.result)) {
        statements.push(declare(names.shadowName(instr.result), elementOf(ctx, ref(names.shadowName(instr.container)), instr.index)));
      }
      return statements;
    }
    case 'store': {
      const statements: Stmt[] = [{ kind: 'assign', op: '=', target: elementOf(ctx, expr(instr.container), instr.index), value: expr(instr.value) }];
      if (!ctx.taping || !ctx.activity.isActive(instr.container)) return statements;
      const shadowElement = elementOf(ctx, ref(names.shadowName(instr.container)), instr.index);
      if (!ctx.activity.isScalar(instr.value)) {
        statements.push({ kind: 'assign', op: '=', target: shadowElement, value: ref(names.shadowName(instr.value)) });
      } else if (growsPastItsEnd(ctx, instr)) {
        // a number[] written past its end (or into a hole) gets the element: so does its shadow
        statements.push({ kind: 'assign', op: '=', target: shadowElement, value: binary('??', shadowElement, num(0)) });
      }
      return statements;
    }
    case 'push': {
      const statements: Stmt[] = [{ kind: 'expr', expr: method(expr(instr.container), 'push', [expr(instr.value)]) }];
      if (ctx.taping && ctx.activity.isActive(instr.container)) {
        const shadowElement = ctx.activity.isScalar(instr.value) ? num(0) : ref(names.shadowName(instr.value));
        statements.push({ kind: 'expr', expr: method(ref(names.shadowName(instr.container)), 'push', [shadowElement]) });
      }
      return statements;
    }
    case 'alloc':
      return forwardAlloc(ctx, instr);
    case 'slice':
      return forwardSlice(ctx, instr);
    case 'if':
      return forwardIf(ctx, instr);
    case 'loop':
      // a checkpointed loop runs once without the tape; its reverse sweep recomputes what it needs
      return ctx.taping && ctx.checkpointedLoops.has(instr) ? forwardCheckpointedLoop(ctx, instr) : forwardLoop(ctx, instr);
    case 'copy':
      return [declare(names.name(instr.result), copyOf(ctx.typeOf(instr.container), expr(instr.container)))];
    case 'call': {
      // a call reversed apart runs the callee's forward sweep, which grows the shadows itself (recursive-calls.ts)
      const pattern = ctx.taping ? ctx.callsApart.get(instr) : undefined;
      const shadows = pattern ? instr.args.filter((arg, j) => pattern[j] && !ctx.activity.isScalar(arg)).map((arg) => ref(names.shadowName(arg))) : [];
      const callee = pattern ? ctx.module.sweepNames(instr.callee, pattern).forward : ctx.module.primalName(instr.callee);
      const call: Expr = { kind: 'call', callee, args: [...instr.args.map(expr), ...shadows] };
      const grown = pattern ? [] : shadowsGrownBy(ctx, instr);
      if (instr.result === undefined) return [{ kind: 'expr', expr: call }, ...grown];
      const statements = [declare(names.name(instr.result), call), ...grown];
      // a container returned by the callee gets a shadow of zeros, which the caller's reverse fills
      if (ctx.hasShadow(instr.result)) {
        statements.push(declare(names.shadowName(instr.result), zeroShadow(ctx.typeOf(instr.result), ref(names.name(instr.result)))));
      }
      return statements;
    }
  }
}

/**
 * After a call that may push onto an active array argument, the argument's shadow grows to the
 * same length with zeros (the callee's primal copy pushes onto the array only): the reverse sweep
 * reads the shadow at the new elements' indices.
 */
function shadowsGrownBy(ctx: DiffContext, instr: CallInstr): Stmt[] {
  const summary = ctx.module.summaries(instr.callee);
  // an array passed twice grows if the callee may push onto it through either parameter
  const grown = new Set(instr.args.filter((_, j) => summary?.growsParam[j] ?? true));
  return [...grown].flatMap((arg): Stmt[] => {
    const type = ctx.typeOf(arg);
    if (type.kind !== 'array' || !ctx.hasShadow(arg)) return [];
    const primal = ctx.names.expr(arg);
    const shadow = ref(ctx.names.shadowName(arg));
    // for (;;) { if (d_a.length >= a.length) break; d_a.push(zero of a[d_a.length]); }
    return [
      {
        kind: 'forever',
        body: [
          { kind: 'if', test: { kind: 'binary', op: '>=', left: member(shadow, 'length'), right: member(primal, 'length') }, then: [{ kind: 'break' }], else: [] },
          { kind: 'expr', expr: method(shadow, 'push', [zeroElement(type.element, index(primal, member(shadow, 'length')))]), comment: `${instr.origin.text} may push onto it: its shadow grows alike` },
        ],
      },
    ];
  });
}

function zeroElement(type: Type, element: Expr): Expr {
  return type.kind === 'number' || type.kind === 'boolean' ? num(0) : zeroShadow(type, element);
}

function elementOf(ctx: DiffContext, container: Expr, at: ValueId | string): AssignTarget {
  return typeof at === 'string' ? member(container, at) : index(container, ctx.names.expr(at));
}

function forwardAlloc(ctx: DiffContext, instr: AllocInstr): Stmt[] {
  const type = ctx.typeOf(instr.result);
  const names = ctx.names;
  const active = ctx.taping && ctx.activity.isActive(instr.result);
  const elementShadow = (v: ValueId) => (ctx.activity.isScalar(v) ? num(0) : ref(names.shadowName(v)));
  let init: Expr;
  let shadow: Expr;
  if (type.kind === 'object') {
    init = { kind: 'object', properties: type.fields.map((f, i) => ({ key: f.name, value: names.expr(instr.elements[i]!) })) };
    shadow = { kind: 'object', properties: type.fields.map((f, i) => ({ key: f.name, value: elementShadow(instr.elements[i]!) })) };
  } else if (instr.length === undefined) {
    init = { kind: 'array', elements: instr.elements.map((v) => names.expr(v)) };
    shadow = { kind: 'array', elements: instr.elements.map(elementShadow) };
  } else if (type.kind === 'array' && type.container !== 'Array') {
    init = { kind: 'new', callee: type.container, args: [names.expr(instr.length)] };
    shadow = { kind: 'new', callee: 'Float64Array', args: [names.expr(instr.length)] };
  } else {
    const array: Expr = { kind: 'new', callee: 'Array', args: [names.expr(instr.length)] };
    init = method(array, 'fill', [names.expr(instr.fill!)]);
    shadow = method(array, 'fill', [elementShadow(instr.fill!)]);
  }
  // `[]` needs its type written: TypeScript cannot infer it from an empty literal
  // (and so does a tuple, which it would take for an array)
  const empty = (instr.length === undefined && instr.elements.length === 0) || type.kind === 'tuple';
  const typed = (name: string, value: Expr, text: string): Stmt => ({ kind: 'declare', declaration: 'const', name, init: value, type: empty ? text : undefined });
  const statements = [typed(names.name(instr.result), init, typeText(type))];
  if (active) statements.push(typed(names.shadowName(instr.result), shadow, shadowTypeText(type)));
  return statements;
}

function forwardSlice(ctx: DiffContext, instr: SliceInstr): Stmt[] {
  const names = ctx.names;
  const source = names.expr(instr.container);
  const from = ctx.typeOf(instr.container);
  const to = ctx.typeOf(instr.result) as Extract<Type, { kind: 'array' }>;
  const bounds = [instr.start, instr.end].filter((v) => v !== undefined).map((v) => names.expr(v));
  let init: Expr;
  if (from.kind === 'array' && from.container === to.container) init = method(source, 'slice', bounds);
  else if (to.container === 'Array') init = method(ref('Array'), 'from', [source]);
  else init = { kind: 'new', callee: to.container, args: [source] };
  const statements = [declare(names.name(instr.result), init)];
  if (ctx.taping && ctx.activity.isActive(instr.result)) {
    const result = ref(names.name(instr.result));
    // numbers are copied, so their shadow starts at zero; rows are shared, and so are their shadows
    const shadow =
      to.element.kind === 'number'
        ? zeroShadow(to, result)
        : method(ref(names.shadowName(instr.container)), 'slice', [names.expr(instr.offset), { kind: 'binary', op: '+', left: names.expr(instr.offset), right: member(result, 'length') }]);
    statements.push(declare(names.shadowName(instr.result), shadow));
  }
  return statements;
}

/** `let` declarations for values assigned in both sides of a branch or around a loop. */
function declareMutable(ctx: DiffContext, value: ValueId, init?: Expr, shadowInit?: Expr): Stmt[] {
  const type = ctx.typeOf(value);
  const statements: Stmt[] = [{ kind: 'declare', declaration: 'let', name: ctx.names.name(value), type: typeText(type), init }];
  if (ctx.hasShadow(value)) {
    statements.push({ kind: 'declare', declaration: 'let', name: ctx.names.shadowName(value), type: shadowTypeText(type), init: shadowInit });
  }
  return statements;
}

/** Assignments of the values flowing into mutable variables (φ results, carried values). */
function assignMerged(ctx: DiffContext, pairs: Array<{ target: ValueId; value: ValueId }>): Stmt[] {
  const assignments = pairs.flatMap(({ target, value }) => {
    const primal = { name: ctx.names.name(target), value: ctx.names.expr(value) };
    if (!ctx.hasShadow(target)) return [primal];
    return [primal, { name: ctx.names.shadowName(target), value: ref(ctx.names.shadowName(value)) }];
  });
  return parallelAssign(ctx.namer, assignments);
}

function forwardIf(ctx: DiffContext, instr: Extract<Instr, { kind: 'if' }>): Stmt[] {
  const phis = instr.phis.filter((phi) => ctx.activity.isUseful(phi.result) || ctx.activity.isActive(phi.result));
  const side = (block: Block, pick: 'then' | 'else') => [
    ...forwardBlock(ctx, block),
    ...saveForReverse(ctx, block),
    ...assignMerged(ctx, phis.map((phi) => ({ target: phi.result, value: phi[pick] }))),
  ];
  return [
    ...phis.flatMap((phi) => declareMutable(ctx, phi.result)),
    { kind: 'if', test: ctx.names.expr(instr.cond), then: side(instr.then, 'then'), else: side(instr.else, 'else') },
  ];
}

/** The carried values the forward sweep keeps: a carried value nothing reads (a counter the condition does not test) is not carried. */
export function keptCarried(ctx: DiffContext, instr: LoopInstr): LoopInstr['carried'] {
  return instr.carried.filter((c) => [c.param, c.result, c.next].some((v) => ctx.activity.isUseful(v) || ctx.read.has(v)) || ctx.activity.isActive(c.param));
}

/**
 * True when the reverse sweep computes the loop's trip count from its bounds (trip-count.ts) instead
 * of reading it from the tape. The plan read here is the one the reverse sweep used: every block but
 * the function's body is planned at its restore site before the forward sweep is written, and the
 * body's plan is empty (its values are in scope in the reverse sweep, untaped).
 */
function tripsComputed(ctx: DiffContext, loop: LoopInstr): boolean {
  const block = ctx.analysis.definedIn.get(loop.trips);
  return block !== undefined && ctx.tapePlan(block).tripCounts.some((t) => t.value === loop.trips);
}

/**
 * let carried = init; for (;;) { body; trips++; save; carried = next; if (!again) break; }
 * The trip count is kept only when the reverse sweep replays the loop (or `countTrips` asks for it).
 */
export function forwardLoop(ctx: DiffContext, instr: LoopInstr, countTrips = ctx.taping && ctx.read.has(instr.trips) && !tripsComputed(ctx, instr)): Stmt[] {
  const names = ctx.names;
  const statements: Stmt[] = [];
  const carried = keptCarried(ctx, instr);
  for (const c of carried) {
    const shadowInit = ctx.activity.isScalar(c.init) ? undefined : ref(names.shadowName(c.init));
    statements.push(...declareMutable(ctx, c.param, names.expr(c.init), shadowInit));
  }
  const counted = countTrips;
  const trips = names.name(instr.trips);
  if (counted) statements.push({ kind: 'declare', declaration: 'let', name: trips, init: num(0) });
  const body: Stmt[] = [
    ...forwardBlock(ctx, instr.body),
    ...(counted ? [{ kind: 'assign', op: '+=', target: ref(trips), value: num(1) } as const] : []),
    ...saveForReverse(ctx, instr.body),
    ...endOfIteration(
      ctx.namer,
      names,
      instr.again,
      carried.map((c) => c.param),
      assignMerged(ctx, carried.map((c) => ({ target: c.param, value: c.next }))),
    ),
  ];
  statements.push({ kind: 'forever', body });
  return statements;
}
