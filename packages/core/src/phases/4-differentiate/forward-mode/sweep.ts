/**
 * The tangent sweep (forward mode): the primal computation, instruction by instruction, with the
 * tangent of each active value computed right after the value itself,
 *
 *   ṙ = Σᵢ ∂r/∂aᵢ · ȧᵢ          (rules/tangent.ts, from the partials of the rules table)
 *
 * in ONE pass: no tape and no reverse sweep. Control flow is the primal's: a branch assigns the
 * tangents of its φs on each side, a loop carries the tangents of its carried values, and a
 * container's tangent mirrors every allocation, copy, load, store and push of its primal. A call
 * calls the callee's tangent function (module.ts), which returns the value and its tangent, or,
 * for a callee that has only a reverse-mode rule, that rule (rule-calls.ts).
 */
import { index, member, method, num, ref } from '../../../ir/build.js';
import type { AssignTarget, Expr, Stmt } from '../../../ir/code.js';
import type { AllocInstr, Block, CallInstr, IfInstr, Instr, LoopInstr, SliceInstr, Type, ValueId } from '../../../ir/ssa.js';
import { lookupRule } from '../../../rules/index.js';
import { tangentOf } from '../../../rules/tangent.js';
import { endOfIteration } from '../loop-exit.js';
import { parallelAssign } from '../parallel-assign.js';
import { zeroShadow } from '../shadows.js';
import { shadowTypeText, typeText } from '../../../ir/type-text.js';
import type { TangentContext } from './context.js';
import { ruleCallTangent } from './rule-calls.js';

export function tangentBlock(ctx: TangentContext, block: Block): Stmt[] {
  return tangentSteps(ctx, block).flat();
}

/** The tangent sweep of a block instruction by instruction: steps[i] computes block.instrs[i] and its tangent. */
export function tangentSteps(ctx: TangentContext, block: Block): Stmt[][] {
  return block.instrs.map((instr) => (ctx.activity.isEmitted(instr) ? tangentInstr(ctx, instr) : []));
}

const declare = (name: string, init: Expr, comment?: string): Stmt => ({ kind: 'declare', declaration: 'const', name, init, comment });
const commentOf = (origin: { line: number; text: string }) => `line ${origin.line}: ${origin.text}`;

/** A value's tangent, or its zero: 0 for a number, a container of zeros shaped like a container. */
export function tangentOrZero(ctx: TangentContext, value: ValueId): Expr {
  return ctx.tangent(value) ?? zeroShadow(ctx.typeOf(value), ctx.names.expr(value));
}

function elementOf(ctx: TangentContext, container: Expr, at: ValueId | string): AssignTarget {
  return typeof at === 'string' ? member(container, at) : index(container, ctx.names.expr(at));
}

function tangentInstr(ctx: TangentContext, instr: Instr): Stmt[] {
  const names = ctx.names;
  const expr = (v: ValueId) => names.expr(v);
  switch (instr.kind) {
    case 'const':
    case 'global':
    case 'copy': // a snapshot for a reverse sweep: forward mode has none
      return [];
    case 'prim': {
      const rule = lookupRule(instr.op)!;
      const args = instr.args.map(expr);
      const statements = [declare(names.name(instr.result), rule.primal(args))];
      if (ctx.hasTangent(instr.result)) {
        // ṙ = Σᵢ ∂r/∂aᵢ · ȧᵢ over the arguments with a tangent
        const tangent = tangentOf(rule, args, instr.args.map((a) => ctx.tangent(a)), ref(names.name(instr.result))) ?? num(0);
        statements.push(declare(ctx.tangentName(instr.result), tangent, commentOf(instr.origin)));
      }
      return statements;
    }
    case 'length':
      return [declare(names.name(instr.result), member(expr(instr.container), 'length'))];
    case 'load': {
      // e = a[i], ė = ȧ[i] (for a row, the tangent's row: they share storage as the primals do)
      const statements = [declare(names.name(instr.result), elementOf(ctx, expr(instr.container), instr.index))];
      if (ctx.hasTangent(instr.result)) statements.push(declare(ctx.tangentName(instr.result), elementOf(ctx, ref(ctx.tangentName(instr.container)), instr.index), commentOf(instr.origin)));
      return statements;
    }
    case 'store': {
      // a[i] = v, ȧ[i] = v̇ (0 for a value that does not vary: the old tangent is overwritten too)
      const statements: Stmt[] = [{ kind: 'assign', op: '=', target: elementOf(ctx, expr(instr.container), instr.index), value: expr(instr.value) }];
      if (ctx.hasTangent(instr.container)) {
        statements.push({ kind: 'assign', op: '=', target: elementOf(ctx, ref(ctx.tangentName(instr.container)), instr.index), value: tangentOrZero(ctx, instr.value), comment: commentOf(instr.origin) });
      }
      return statements;
    }
    case 'push': {
      const statements: Stmt[] = [{ kind: 'expr', expr: method(expr(instr.container), 'push', [expr(instr.value)]) }];
      if (ctx.hasTangent(instr.container)) statements.push({ kind: 'expr', expr: method(ref(ctx.tangentName(instr.container)), 'push', [tangentOrZero(ctx, instr.value)]), comment: commentOf(instr.origin) });
      return statements;
    }
    case 'alloc':
      return tangentAlloc(ctx, instr);
    case 'slice':
      return tangentSlice(ctx, instr);
    case 'if':
      return tangentIf(ctx, instr);
    case 'loop':
      return tangentLoop(ctx, instr);
    case 'call':
      return tangentCall(ctx, instr);
  }
}

function tangentAlloc(ctx: TangentContext, instr: AllocInstr): Stmt[] {
  const type = ctx.typeOf(instr.result);
  const names = ctx.names;
  const tangentOfElement = (v: ValueId) => tangentOrZero(ctx, v);
  let init: Expr;
  let tangent: Expr;
  if (type.kind === 'object') {
    init = { kind: 'object', properties: type.fields.map((f, i) => ({ key: f.name, value: names.expr(instr.elements[i]!) })) };
    tangent = { kind: 'object', properties: type.fields.map((f, i) => ({ key: f.name, value: tangentOfElement(instr.elements[i]!) })) };
  } else if (instr.length === undefined) {
    init = { kind: 'array', elements: instr.elements.map((v) => names.expr(v)) };
    tangent = { kind: 'array', elements: instr.elements.map(tangentOfElement) };
  } else if (type.kind === 'array' && type.container !== 'Array') {
    // new Float64Array(n) holds zeros, and so does its tangent
    init = { kind: 'new', callee: type.container, args: [names.expr(instr.length)] };
    tangent = { kind: 'new', callee: 'Float64Array', args: [names.expr(instr.length)] };
  } else {
    // new Array(n).fill(v): every element is v, every tangent v̇
    const array: Expr = { kind: 'new', callee: 'Array', args: [names.expr(instr.length)] };
    init = method(array, 'fill', [names.expr(instr.fill!)]);
    tangent = method(array, 'fill', [tangentOfElement(instr.fill!)]);
  }
  // `[]` and tuples need their types written: TypeScript cannot infer them from the literal
  const typed = (instr.length === undefined && instr.elements.length === 0) || type.kind === 'tuple';
  const statements: Stmt[] = [{ kind: 'declare', declaration: 'const', name: names.name(instr.result), init, type: typed ? typeText(type) : undefined }];
  if (ctx.hasTangent(instr.result)) {
    statements.push({ kind: 'declare', declaration: 'const', name: ctx.tangentName(instr.result), init: tangent, type: typed ? shadowTypeText(type) : undefined, comment: commentOf(instr.origin) });
  }
  return statements;
}

/** `slice`, `Array.from`, `new Float64Array(array)` of `source` (of type `from`) into an array of type `to`. */
function copyExpr(source: Expr, from: Type, to: Extract<Type, { kind: 'array' }>, bounds: Expr[]): Expr {
  if (from.kind === 'array' && from.container === to.container) return method(source, 'slice', bounds);
  if (to.container === 'Array') return method(ref('Array'), 'from', [source]);
  return { kind: 'new', callee: to.container, args: [source] };
}

/** Typed arrays' tangents are Float64Arrays, whatever the primal's precision. */
function tangentArrayType(type: Type): Type {
  return type.kind === 'array' && type.container !== 'Array' ? { ...type, container: 'Float64Array' } : type;
}

function tangentSlice(ctx: TangentContext, instr: SliceInstr): Stmt[] {
  const names = ctx.names;
  const from = ctx.typeOf(instr.container);
  const to = ctx.typeOf(instr.result) as Extract<Type, { kind: 'array' }>;
  const bounds = [instr.start, instr.end].filter((v) => v !== undefined).map((v) => names.expr(v));
  const statements = [declare(names.name(instr.result), copyExpr(names.expr(instr.container), from, to, bounds))];
  if (ctx.hasTangent(instr.result)) {
    // the copy's tangent is the same copy of the source's tangent (zeros when the source does not vary)
    const tangent = ctx.hasTangent(instr.container)
      ? copyExpr(ref(ctx.tangentName(instr.container)), tangentArrayType(from), tangentArrayType(to) as Extract<Type, { kind: 'array' }>, bounds)
      : zeroShadow(to, ref(names.name(instr.result)));
    statements.push(declare(ctx.tangentName(instr.result), tangent, commentOf(instr.origin)));
  }
  return statements;
}

/** `let` declarations of a φ result, assigned on both sides of its branch, and of its tangent. */
function declareMerged(ctx: TangentContext, value: ValueId): Stmt[] {
  const type = ctx.typeOf(value);
  const statements: Stmt[] = [{ kind: 'declare', declaration: 'let', name: ctx.names.name(value), type: typeText(type) }];
  if (ctx.hasTangent(value)) statements.push({ kind: 'declare', declaration: 'let', name: ctx.tangentName(value), type: shadowTypeText(type) });
  return statements;
}

/** Assignments of the values flowing into mutable variables (φ results, carried values) and of their tangents. */
function assignMerged(ctx: TangentContext, pairs: Array<{ target: ValueId; value: ValueId }>): Stmt[] {
  const assignments = pairs.flatMap(({ target, value }) => {
    const primal = { name: ctx.names.name(target), value: ctx.names.expr(value) };
    return ctx.hasTangent(target) ? [primal, { name: ctx.tangentName(target), value: tangentOrZero(ctx, value) }] : [primal];
  });
  return parallelAssign(ctx.namer, assignments);
}

function tangentIf(ctx: TangentContext, instr: IfInstr): Stmt[] {
  const phis = instr.phis.filter((phi) => ctx.activity.isUseful(phi.result) || ctx.activity.isActive(phi.result));
  const side = (block: Block, pick: 'then' | 'else') => [...tangentBlock(ctx, block), ...assignMerged(ctx, phis.map((phi) => ({ target: phi.result, value: phi[pick] })))];
  return [...phis.flatMap((phi) => declareMerged(ctx, phi.result)), { kind: 'if', test: ctx.names.expr(instr.cond), then: side(instr.then, 'then'), else: side(instr.else, 'else') }];
}

/** let carried = init, ċarried = i̇nit; for (;;) { body; carried = next, ċarried = ṅext; if (!again) break; } */
function tangentLoop(ctx: TangentContext, instr: LoopInstr): Stmt[] {
  const names = ctx.names;
  // a carried value nothing reads (a counter the condition does not test) is not carried
  const carried = instr.carried.filter((c) => [c.param, c.result, c.next].some((v) => ctx.activity.isUseful(v)) || ctx.activity.isActive(c.param));
  const statements: Stmt[] = [];
  for (const c of carried) {
    statements.push({ kind: 'declare', declaration: 'let', name: names.name(c.param), type: typeText(ctx.typeOf(c.param)), init: names.expr(c.init) });
    if (ctx.hasTangent(c.param)) statements.push({ kind: 'declare', declaration: 'let', name: ctx.tangentName(c.param), type: shadowTypeText(ctx.typeOf(c.param)), init: tangentOrZero(ctx, c.init) });
  }
  const body: Stmt[] = [
    ...tangentBlock(ctx, instr.body),
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

/**
 * y = g(args): the callee's tangent function, given the tangents of the arguments that vary,
 * returns y and ẏ (and writes the tangents of what g writes into its container arguments' tangents).
 * Nothing is differentiated through a call whose result cannot vary and that writes nothing varied.
 */
function tangentCall(ctx: TangentContext, instr: CallInstr): Stmt[] {
  const names = ctx.names;
  const pattern = instr.args.map((arg) => ctx.hasTangent(arg));
  const summary = ctx.module.summaries(instr.callee);
  const writesVaried = instr.args.some((arg, j) => pattern[j] && !ctx.activity.isScalar(arg) && (summary?.writesParam[j] ?? true));
  const result = instr.result;
  const resultVaries = result !== undefined && ctx.hasTangent(result);
  const args = instr.args.map((a) => names.expr(a));
  const comment = commentOf(instr.origin);
  if (!pattern.some(Boolean) || !(resultVaries || writesVaried)) {
    const call: Expr = { kind: 'call', callee: ctx.module.primalName(instr.callee), args };
    if (result === undefined) return [{ kind: 'expr', expr: call }];
    const statements = [declare(names.name(result), call)];
    // a container that varies only through later writes starts with a tangent of zeros
    if (resultVaries) statements.push(declare(ctx.tangentName(result), zeroShadow(ctx.typeOf(result), ref(names.name(result)))));
    return statements;
  }
  const callee = ctx.module.callee(instr.callee);
  if (callee.rule) return ruleCallTangent(ctx, instr, pattern);
  const tangents = instr.args.flatMap((arg, j) => (pattern[j] ? [ref(ctx.tangentName(arg))] : []));
  const call: Expr = { kind: 'call', callee: ctx.module.tangentName(instr.callee, pattern), args: [...args, ...tangents] };
  if (result === undefined) return [{ kind: 'expr', expr: call, comment }];
  if (!resultVaries) return [declare(names.name(result), member(call, 'value'), comment)];
  const pair = ctx.namer.claim(`${callee.name}_jvp`);
  return [
    declare(pair, call, comment),
    declare(names.name(result), member(ref(pair), 'value')),
    declare(ctx.tangentName(result), member(ref(pair), 'tangent')),
  ];
}
