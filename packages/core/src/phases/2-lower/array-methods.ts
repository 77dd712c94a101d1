/**
 * Array methods that take a callback, lowered to the loops they run, with the callback called in
 * place at each element (function-value-calls.ts): no function is created at run time, and the
 * differentiator sees ordinary loops. On `number[]`, typed arrays, arrays of arrays and arrays of
 * objects, as JavaScript runs them:
 *
 *   n = a.length, read once before the loop; the callback gets (a[i], i, a), a[i] read when its
 *   turn comes (the callback may have written it)
 *   a.forEach(f)             for i in 0..n: f(a[i], i, a)
 *   a.map(f)                 r = new array of a's kind; r[i] = f(a[i], i, a)
 *   a.reduce(f, s)           s = f(s, a[i], i, a) for i in 0..n; without s, s = a[0] and i from 1,
 *                            and an empty a throws the TypeError JavaScript throws (rules/arrays.ts)
 *   a.reduceRight(f, s)      the same from n - 1 down to 0
 *   a.filter(f)              r = []; push a[i] where f(a[i], i, a) is truthy (a typed array of a's kind for a typed a)
 *   a.some(f), a.every(f)    stop at the first truthy (falsy) f(a[i], i, a)
 *   a.findIndex(f)           the first i where f is truthy, else -1; findLastIndex from the end
 *   a.find(f)                a[that i], else a[n], which is undefined as find's result is; findLast alike
 *   a.flatMap(f)             r = []; push f's result, or each of its elements when it is an array
 *   Array.from({ length: n }, f)   r[i] = f(undefined, i); Array.from(a, f): r[i] = f(a[i], i)
 *   Float64Array.from(…, f), Float32Array.from(…, f)   the same into a typed array
 *
 * Holes cannot occur in the arrays a differentiable function handles, so the `k in O` tests of the
 * specification always pass.
 */
import { Node, type CallExpression, type Expression } from 'ts-morph';
import { booleanType, type ArrayContainer, type Type, type ValueId } from '../../ir/ssa.js';
import { alloc, copyAs } from './containers.js';
import { snippet } from './constructs.js';
import type { LoweringContext } from './context.js';
import { branch, loop } from './control-flow.js';
import { functionEscapes, functionValueOf, type FunctionArgument } from './function-values.js';
import { callFunctionValue } from './function-value-calls.js';
import type { Binding, FunctionValue } from './scope.js';
import { irType } from './types.js';

const CALLBACK_METHODS = new Set([
  'forEach',
  'map',
  'reduce',
  'reduceRight',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
]);
const ARRAY_CONSTRUCTORS: Record<string, ArrayContainer> = { Array: 'Array', Float64Array: 'Float64Array', Float32Array: 'Float32Array' };

/** Lowers a call of an array method with a callback; undefined when the call is not one. */
export function lowerArrayMethod(ctx: LoweringContext, node: CallExpression): ValueId | undefined {
  const callee = node.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.hasQuestionDotToken()) return undefined;
  const method = callee.getName();
  const args = node.getArguments() as Expression[];
  const receiver = callee.getExpression();
  const constructor =
    Node.isIdentifier(receiver) && !ctx.scope.lookup(receiver.getText()) ? ARRAY_CONSTRUCTORS[receiver.getText()] : undefined;
  if (constructor && method === 'from' && args.length === 2) return lowerFrom(ctx, node, constructor, args[0]!, args[1]!);
  if (!CALLBACK_METHODS.has(method) || args.length === 0) return undefined;
  const array = ctx.lowerExpression(receiver);
  const type = ctx.builder.typeOf(array);
  if (type.kind !== 'array') return ctx.error('AD1123', { source: snippet(callee) }, callee);
  const fn = functionValueOf(ctx, args[0]!);
  if (!fn) return functionEscapes(ctx, args[0]!);
  const reducing = method === 'reduce' || method === 'reduceRight';
  if (!reducing && args.length > 1) return ctx.error('AD1141', { source: snippet(args[1]!), method }, args[1]!);
  const call = { ctx, node, fn, array };
  switch (method) {
    case 'forEach':
      eachIndex(ctx, node, ctx.builder.length(array), (i) => void callback(call, i));
      return ctx.builder.constant(Number.NaN);
    case 'map':
      return map(call, type);
    case 'reduce':
    case 'reduceRight':
      return reduce(call, method === 'reduceRight', args[1]);
    case 'filter':
      return filter(call, type);
    case 'some':
    case 'every':
      return someOrEvery(call, method === 'every');
    case 'findIndex':
    case 'findLastIndex':
      return findIndex(call, method === 'findLastIndex');
    case 'find':
    case 'findLast':
      return find(call, method === 'findLast');
    default:
      return flatMap(call);
  }
}

/** A call of an array method: the call, its callback and the array it runs over. */
interface MethodCall {
  ctx: LoweringContext;
  node: CallExpression;
  fn: FunctionValue;
  array: ValueId;
}

/** The callback at index i: f(a[i], i, a), with `before` arguments first (reduce's accumulator). */
function callback({ ctx, node, fn, array }: MethodCall, i: ValueId, ...before: ValueId[]): ValueId {
  const element = ctx.builder.load(array, i, ctx.origin(node));
  return callFunctionValue(ctx, fn, [...before, element, i, array], node);
}

/** The type TypeScript gives the call's result, as the IR holds it. */
function resultTypeOf(ctx: LoweringContext, node: CallExpression): Type | undefined {
  const type = irType(node.getType(), node);
  if (!type) ctx.error('AD1014', { function: snippet(node), type: `'${node.getType().getText(node)}'` }, node);
  return type;
}

/**
 * A new array holding `count` values (when known), filled by `fill(result)`: a typed array of
 * `container`'s kind is made at its length and written by index, an Array grows by push.
 */
function newArray(ctx: LoweringContext, node: Node, type: Type & { kind: 'array' }, count: ValueId | undefined): ValueId {
  if (type.container === 'Array' || count === undefined) return alloc(ctx, node, { ...type, container: 'Array' }, {});
  return alloc(ctx, node, type, { length: count, fill: ctx.builder.constant(0) });
}

/** r[i] = value: a store into a typed array made at its length, a push onto an Array (whose length is i). */
function put(ctx: LoweringContext, node: Node, result: ValueId, i: ValueId, value: ValueId): void {
  if (ctx.builder.typeOf(result).kind === 'array' && (ctx.builder.typeOf(result) as { container: ArrayContainer }).container !== 'Array') {
    ctx.builder.emit({ kind: 'store', container: result, index: i, value, origin: ctx.origin(node) });
  } else {
    push(ctx, node, result, value);
  }
}

function push(ctx: LoweringContext, node: Node, container: ValueId, value: ValueId): void {
  ctx.builder.emit({ kind: 'push', container, value, index: ctx.builder.length(container), origin: ctx.origin(node) });
}

function map(call: MethodCall, source: Type & { kind: 'array' }): ValueId {
  const { ctx, node, array } = call;
  const type = resultTypeOf(ctx, node);
  if (type?.kind !== 'array') return ctx.builder.constant(Number.NaN);
  const n = ctx.builder.length(array);
  // a typed array maps to a typed array of its own kind, an Array to an Array
  const result = newArray(ctx, node, { ...type, container: source.container }, n);
  eachIndex(ctx, node, n, (i) => put(ctx, node, result, i, callback(call, i)));
  return result;
}

function reduce(call: MethodCall, fromEnd: boolean, initial: Expression | undefined): ValueId {
  const { ctx, node, array } = call;
  const origin = ctx.origin(node);
  const n = ctx.builder.length(array);
  const minusOne = (v: ValueId) => ctx.builder.prim('-', [v, ctx.builder.constant(1)], origin);
  const accumulator: Binding = { name: parameterName(call.fn, 0, 'accumulator'), mutable: true };
  // the first index the loop visits: 0 (n - 1 from the end), one further without an initial value
  let from = fromEnd ? minusOne(n) : ctx.builder.constant(0);
  if (initial) {
    ctx.assign(accumulator, ctx.lowerExpression(initial));
  } else {
    // the first element (the last, from the end); reduceStart throws reduce's TypeError when there is none
    const start = ctx.builder.load(array, from, origin);
    ctx.assign(accumulator, ctx.builder.typeOf(start).kind === 'number' ? ctx.builder.prim('reduceStart', [start], origin) : start);
    from = fromEnd ? minusOne(from) : ctx.builder.constant(1);
  }
  eachIndex(ctx, node, n, (i) => ctx.assign(accumulator, callback(call, i, ctx.env.get(accumulator)!)), { downward: fromEnd, from });
  const result = ctx.env.get(accumulator)!;
  ctx.env.forget([accumulator]);
  return result;
}

function filter(call: MethodCall, source: Type & { kind: 'array' }): ValueId {
  const { ctx, node, array } = call;
  const kept = alloc(ctx, node, { ...source, container: 'Array' }, {});
  eachIndex(ctx, node, ctx.builder.length(array), (i) => {
    const element = ctx.builder.load(array, i, ctx.origin(node));
    const keep = callFunctionValue(ctx, call.fn, [element, i, array], node);
    branch(
      ctx,
      keep,
      () => push(ctx, node, kept, element),
      () => undefined,
      node,
    );
  });
  // a typed array filters into a typed array of its kind
  return source.container === 'Array' ? kept : copyAs(ctx, node, kept, source);
}

/** some: true at the first truthy callback; every: false at the first falsy one. */
function someOrEvery(call: MethodCall, every: boolean): ValueId {
  const { ctx, node, array } = call;
  const decided: Binding = ctx.declareFlag(every ? 'failed' : 'found');
  eachIndex(
    ctx,
    node,
    ctx.builder.length(array),
    (i) => {
      const test = callback(call, i);
      const setFlag = () => ctx.setFlag(decided);
      branch(ctx, test, every ? () => undefined : setFlag, every ? setFlag : () => undefined, node);
    },
    { until: () => ctx.env.get(decided)! },
  );
  const flag = ctx.env.get(decided)!;
  ctx.env.forget([decided]);
  return every ? ctx.builder.prim('!', [flag], ctx.origin(node), booleanType) : flag;
}

/**
 * The index of the first element (from the end: the last) for which the callback is truthy, or
 * `missing` when there is none.
 */
function firstMatch(call: MethodCall, fromEnd: boolean, missing: ValueId): ValueId {
  const { ctx, node, array } = call;
  const origin = ctx.origin(node);
  const n = ctx.builder.length(array);
  const at: Binding = { name: 'at', mutable: true };
  ctx.assign(at, missing);
  const step = (i: ValueId) => {
    const test = callback(call, i);
    branch(
      ctx,
      test,
      () => ctx.assign(at, i),
      () => undefined,
      node,
    );
  };
  const until = () => ctx.builder.prim('!==', [ctx.env.get(at)!, missing], origin, booleanType);
  const last = fromEnd ? ctx.builder.prim('-', [n, ctx.builder.constant(1)], origin) : undefined;
  eachIndex(ctx, node, n, step, { until, downward: fromEnd, from: last });
  const result = ctx.env.get(at)!;
  ctx.env.forget([at]);
  return result;
}

function findIndex(call: MethodCall, fromEnd: boolean): ValueId {
  return firstMatch(call, fromEnd, call.ctx.builder.constant(-1));
}

/** The element found, read again at its index; without one, a[n]: undefined, as find's result is then. */
function find(call: MethodCall, fromEnd: boolean): ValueId {
  const { ctx, node, array } = call;
  const at = firstMatch(call, fromEnd, ctx.builder.length(array));
  return ctx.builder.load(array, at, ctx.origin(node));
}

/** Each result of the callback is pushed, or its elements are when it is an Array (flatMap flattens one level, and not typed arrays). */
function flatMap(call: MethodCall): ValueId {
  const { ctx, node, array } = call;
  const type = resultTypeOf(ctx, node);
  if (type?.kind !== 'array') return ctx.builder.constant(Number.NaN);
  const result = alloc(ctx, node, { ...type, container: 'Array' }, {});
  eachIndex(ctx, node, ctx.builder.length(array), (i) => {
    const mapped = callback(call, i);
    const mappedType = ctx.builder.typeOf(mapped);
    if (mappedType.kind === 'array' && mappedType.container === 'Array') {
      eachIndex(ctx, node, ctx.builder.length(mapped), (j) => push(ctx, node, result, ctx.builder.load(mapped, j, ctx.origin(node))));
    } else if (mappedType.kind === 'tuple') {
      mappedType.elements.forEach((_, j) => push(ctx, node, result, ctx.builder.load(mapped, ctx.builder.constant(j), ctx.origin(node))));
    } else {
      push(ctx, node, result, mapped);
    }
  });
  return result;
}

/** `Array.from({ length: n }, f)` and `Array.from(a, f)` (and the typed arrays' `from`): r[i] = f(a[i] or undefined, i). */
function lowerFrom(ctx: LoweringContext, node: CallExpression, container: ArrayContainer, source: Expression, mapper: Expression): ValueId {
  const fn = functionValueOf(ctx, mapper);
  if (!fn) return functionEscapes(ctx, mapper);
  const lengthOnly = Node.isObjectLiteralExpression(source) ? source.getProperties() : undefined;
  let array: ValueId | undefined;
  let n: ValueId;
  if (lengthOnly) {
    const property = lengthOnly[0];
    if (lengthOnly.length !== 1 || !Node.isPropertyAssignment(property) || property.getName() !== 'length')
      return ctx.error('AD1117', { source: snippet(source) }, source);
    n = ctx.lowerExpression(property.getInitializerOrThrow());
  } else {
    array = ctx.lowerExpression(source);
    if (ctx.builder.typeOf(array).kind !== 'array') return ctx.error('AD1117', { source: snippet(source) }, source);
    n = ctx.builder.length(array);
  }
  const type = resultTypeOf(ctx, node);
  if (type?.kind !== 'array') return ctx.builder.constant(Number.NaN);
  const result = newArray(ctx, node, { ...type, container }, n);
  eachIndex(ctx, node, n, (i) => {
    const element: FunctionArgument = array === undefined ? undefined : ctx.builder.load(array, i, ctx.origin(node));
    put(ctx, node, result, i, callFunctionValue(ctx, fn, [element, i], node));
  });
  return result;
}

/** The name of a local callback's parameter (for the variables of the generated code), or `fallback`. */
function parameterName(fn: FunctionValue, index: number, fallback: string): string {
  const param = fn.kind === 'local' ? fn.node.getParameters()[index] : undefined;
  const name = param?.getNameNode();
  return name && Node.isIdentifier(name) ? name.getText() : fallback;
}

/**
 * `for (let i = from; i < n; i++) body(i)` (the loop a `for` statement lowers to, so that the
 * differentiator recognises it as counted), or with `downward`, `for (let i = from; i >= 0; i--)`;
 * either leaves early once `until()` is true after an iteration. The array method's loop is a
 * loop jump target: a loop inside the callback is not outermost (for checkpointing).
 */
function eachIndex(
  ctx: LoweringContext,
  node: CallExpression,
  n: ValueId,
  body: (i: ValueId) => void,
  options: { from?: ValueId; downward?: boolean; until?: () => ValueId } = {},
): void {
  const origin = ctx.origin(node);
  const from = options.from ?? ctx.builder.constant(0);
  const test = (i: ValueId) =>
    options.downward
      ? ctx.builder.prim('>=', [i, ctx.builder.constant(0)], origin, booleanType)
      : ctx.builder.prim('<', [i, n], origin, booleanType);
  // the index lives inside the branch around the loop only: nothing after the loop reads it
  const index: Binding = { name: 'i', mutable: true };
  const iterate = () => {
    ctx.assign(index, from);
    loop(ctx, () => {
      ctx.jumpTargets.push({ kind: 'loop', node });
      body(ctx.env.get(index)!);
      ctx.jumpTargets.pop();
      ctx.assign(index, ctx.builder.prim(options.downward ? '-' : '+', [ctx.env.get(index)!, ctx.builder.constant(1)], origin));
      const next = () => test(ctx.env.get(index)!);
      return options.until ? branch(ctx, options.until(), () => ctx.builder.constant(false), next, node)! : next();
    });
    ctx.env.forget([index]);
  };
  branch(ctx, test(from), iterate, () => undefined, node);
}
