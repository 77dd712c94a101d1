/**
 * Making and changing arrays and objects: literals, `new Float64Array(n)`, `new Array(n).fill(v)`,
 * `Array.from(a)`, `a.slice()`, `a.push(v)`.
 */
import { Node, type Expression } from 'ts-morph';
import { booleanType, INTEGER_ARRAYS, numberType, type ArrayContainer, type Type, type ValueId } from '../../ir/ssa.js';
import type { LoweringContext } from './context.js';
import { snippet } from './constructs.js';
import { branch } from './control-flow.js';
import { builtInName } from './built-ins.js';
import { irType } from './types.js';

/** Typed arrays a function may create: of floats, and of integers (indices, which never vary: varied.ts). */
const TYPED_ARRAYS = new Set<string>(['Float64Array', 'Float32Array', ...INTEGER_ARRAYS]);

export function alloc(
  ctx: LoweringContext,
  node: Node,
  type: Type,
  parts: { elements?: ValueId[]; length?: ValueId; fill?: ValueId },
): ValueId {
  const result = ctx.builder.newValue('', type);
  ctx.builder.emit({
    kind: 'alloc',
    result,
    elements: parts.elements ?? [],
    length: parts.length,
    fill: parts.fill,
    origin: ctx.origin(node),
  });
  return result;
}

/**
 * A container of `type` that holds nothing anyone reads: what the result of a function returning
 * arrays or objects holds before its early `return` (the φ merging the paths that have returned
 * with those that have not needs a container on both sides; the `returned` flag guarantees the
 * placeholder is never returned). Numbers inside it are NaN, as an unset variable reads.
 */
export function placeholderOf(ctx: LoweringContext, type: Type, node: Node): ValueId {
  switch (type.kind) {
    case 'number':
      return ctx.builder.constant(Number.NaN);
    case 'boolean':
      return ctx.builder.constant(false);
    case 'array':
      return type.container === 'Array' ? alloc(ctx, node, type, {}) : alloc(ctx, node, type, { length: ctx.builder.constant(0) });
    case 'tuple':
      return alloc(ctx, node, type, { elements: type.elements.map((t) => placeholderOf(ctx, t, node)) });
    case 'object':
      return alloc(ctx, node, type, { elements: type.fields.map((f) => placeholderOf(ctx, f.type, node)) });
  }
}

/** `[a, b, c]`: an array of the elements' type, or a tuple when the elements differ in shape. */
export function lowerArrayLiteral(ctx: LoweringContext, node: import('ts-morph').ArrayLiteralExpression): ValueId {
  const elementNodes = node.getElements();
  const spread = elementNodes.find((e) => Node.isSpreadElement(e) || Node.isOmittedExpression(e));
  // a spread, or a hole (undefined)
  if (spread) return ctx.error(Node.isSpreadElement(spread) ? 'AD1108' : 'AD1114', { source: snippet(node) }, spread);
  const elements = elementNodes.map((e) => ctx.lowerExpression(e));
  const types = elements.map((e) => ctx.builder.typeOf(e));
  const uniform = types.every((t) => JSON.stringify(t) === JSON.stringify(types[0]));
  const type: Type = uniform
    ? { kind: 'array', container: 'Array', element: types[0] ?? emptyArrayElement(node) }
    : { kind: 'tuple', elements: types };
  return alloc(ctx, node, type, { elements });
}

/**
 * The element type of `[]`, from the type the context gives it (`const rows: number[][] = []`
 * holds rows); numbers when the context says nothing.
 */
function emptyArrayElement(node: import('ts-morph').ArrayLiteralExpression): Type {
  const contextual = node.getContextualType();
  const type = contextual && irType(contextual, node);
  return type?.kind === 'array' ? type.element : numberType;
}

/** `{ x: a, y, 'a-b': c, ["__proto__"]: d }`: an object whose fields are the properties, in order. */
export function lowerObjectLiteral(ctx: LoweringContext, node: import('ts-morph').ObjectLiteralExpression): ValueId {
  const fields: Array<{ name: string; type: Type }> = [];
  const elements: ValueId[] = [];
  for (const property of node.getProperties()) {
    let value: ValueId;
    let name: string | undefined;
    if (Node.isPropertyAssignment(property) && (name = fieldName(property.getNameNode())) !== undefined) {
      // `__proto__: v` (or "__proto__": v) sets the object's prototype: it makes no field
      if (name === '__proto__' && !Node.isComputedPropertyName(property.getNameNode()))
        return ctx.error('AD1133', { source: snippet(property) }, property);
      value = ctx.lowerExpression(property.getInitializerOrThrow());
    } else if (Node.isShorthandPropertyAssignment(property)) {
      name = property.getName();
      value = ctx.lowerExpression(property.getNameNode());
    } else {
      const computed = Node.isPropertyAssignment(property) && Node.isComputedPropertyName(property.getNameNode());
      return ctx.error(
        Node.isSpreadAssignment(property) ? 'AD1108' : computed ? 'AD1118' : 'AD1119',
        { source: snippet(property) },
        property,
      );
    }
    fields.push({ name, type: ctx.builder.typeOf(value) });
    elements.push(value);
  }
  return alloc(ctx, node, { kind: 'object', fields }, { elements });
}

/** The field a property name makes: `x`, `'a-b'`, `["a-b"]` (a string known at compile time); undefined for a key computed at run time. */
function fieldName(name: Node): string | undefined {
  if (Node.isIdentifier(name)) return name.getText();
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralValue();
  if (Node.isComputedPropertyName(name)) {
    const key = name.getExpression();
    if (Node.isStringLiteral(key) || Node.isNoSubstitutionTemplateLiteral(key)) return key.getLiteralValue();
  }
  return undefined;
}

/** `new Float64Array(n)` (zeros), `new Float64Array(array)` (a copy); `new Int32Array(…)` alike. */
export function lowerNew(ctx: LoweringContext, node: import('ts-morph').NewExpression): ValueId {
  const constructor = builtInName(node.getExpression()) ?? '';
  const args = node.getArguments() as Expression[];
  if (!TYPED_ARRAYS.has(constructor) || args.length !== 1) {
    return ctx.error('AD1117', { source: snippet(node) }, node);
  }
  const container = constructor as ArrayContainer;
  const argument = ctx.lowerExpression(args[0]!);
  const type: Type = { kind: 'array', container, element: numberType };
  if (ctx.builder.typeOf(argument).kind === 'number') return alloc(ctx, node, type, { length: argument, fill: ctx.builder.constant(0) });
  return slice(ctx, node, argument, type);
}

/**
 * A copy of `container` from `start` to `end`. The offset where the copy starts is resolved as
 * JavaScript does: s = ToIntegerOrInfinity(start) (truncated, NaN → 0), then
 * offset = s < 0 ? max(length + s, 0) : min(s, length). (`end` needs no resolving: the forward
 * sweep calls `slice` itself, and the reverse sweep walks the copy's length.)
 */
function slice(ctx: LoweringContext, node: Node, container: ValueId, type: Type, start?: ValueId, end?: ValueId): ValueId {
  const origin = ctx.origin(node);
  let offset = ctx.builder.constant(0);
  if (start !== undefined) {
    const whole = toIntegerOrInfinity(ctx, node, start);
    const length = ctx.builder.length(container);
    const fromEnd = ctx.builder.prim('Math.max', [ctx.builder.prim('+', [length, whole], origin), offset], origin);
    const fromStart = ctx.builder.prim('Math.min', [whole, length], origin);
    const negative = ctx.builder.prim('<', [whole, ctx.builder.constant(0)], origin, booleanType);
    offset = branch(
      ctx,
      negative,
      () => fromEnd,
      () => fromStart,
      node,
    )!;
  }
  const result = ctx.builder.newValue('', type);
  const copied = ctx.builder.newValue('', numberType);
  ctx.builder.emit({ kind: 'slice', result, container, start, end, offset, copied, origin });
  ctx.builder.emit({ kind: 'length', result: copied, container: result });
  return result;
}

/** A copy of a whole array as an array of `type`'s kind (`new Float64Array(list)`). */
export function copyAs(ctx: LoweringContext, node: Node, container: ValueId, type: Type): ValueId {
  return slice(ctx, node, container, type);
}

/**
 * JavaScript's ToIntegerOrInfinity, which `slice` applies to its arguments: NaN is 0, any other
 * number is truncated towards zero (±Infinity stay). Computed here for a constant.
 */
function toIntegerOrInfinity(ctx: LoweringContext, node: Node, value: ValueId): ValueId {
  const constant = ctx.builder.constantValue(value);
  if (typeof constant === 'number') {
    // (+ 0 makes the -0 of a truncated -0.5 a 0)
    const whole = Number.isNaN(constant) ? 0 : Math.trunc(constant) + 0;
    return Object.is(whole, constant) ? value : ctx.builder.constant(whole);
  }
  const origin = ctx.origin(node);
  const truncated = ctx.builder.prim('Math.trunc', [value], origin);
  // NaN is the one number that is not equal to itself
  const isNumber = ctx.builder.prim('===', [truncated, truncated], origin, booleanType);
  return branch(
    ctx,
    isNumber,
    () => truncated,
    () => ctx.builder.constant(0),
    node,
  )!;
}

/** Calls on arrays; undefined when the call is not one of them. */
export function lowerArrayCall(ctx: LoweringContext, node: import('ts-morph').CallExpression): ValueId | undefined {
  const callee = node.getExpression();
  const args = node.getArguments() as Expression[];
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.getName();
  const receiver = callee.getExpression();

  // new Array(n).fill(v)
  if (
    method === 'fill' &&
    Node.isNewExpression(receiver) &&
    builtInName(receiver.getExpression()) === 'Array' &&
    receiver.getArguments().length === 1 &&
    args.length === 1
  ) {
    const length = ctx.lowerExpression(receiver.getArguments()[0] as Expression);
    const fill = ctx.lowerExpression(args[0]!);
    return alloc(ctx, node, { kind: 'array', container: 'Array', element: ctx.builder.typeOf(fill) }, { length, fill });
  }
  // Array.from(array)
  if (builtInName(callee) === 'Array.from' && args.length === 1) {
    const source = ctx.lowerExpression(args[0]!);
    const type = ctx.builder.typeOf(source);
    if (type.kind !== 'array') return ctx.error('AD1117', { source: snippet(node) }, args[0]!);
    return slice(ctx, node, source, { ...type, container: 'Array' });
  }
  if (method !== 'slice' && method !== 'push') return undefined;
  const container = ctx.lowerExpression(receiver);
  const type = ctx.builder.typeOf(container);
  if (type.kind !== 'array') return undefined;
  if (method === 'slice') {
    const [start, end] = args.map((a) => ctx.lowerExpression(a));
    return slice(ctx, node, container, type, start, end);
  }
  const constant = ctx.builder.constantOf(container);
  if (constant !== undefined) return ctx.error('AD1145', { function: snippet(node), constant }, node);
  for (const argument of args) {
    const value = ctx.lowerExpression(argument);
    ctx.builder.emit({ kind: 'push', container, value, index: ctx.builder.length(container), origin: ctx.origin(node) });
  }
  return ctx.builder.length(container);
}
