/** The IR type of a TypeScript type: numbers, booleans and containers of them, or why not. */
import { ts, type Node, type Type as TsType } from 'ts-morph';
import { isLibFile } from '../1-parse/shared-lib-files.js';
import { booleanType, INTEGER_ARRAYS, numberType, type ArrayContainer, type Type } from '../../ir/ssa.js';
import { typeText } from '../../ir/type-text.js';

const TYPED_ARRAYS: Record<string, ArrayContainer> = {
  Float64Array: 'Float64Array',
  Float32Array: 'Float32Array',
  ...Object.fromEntries(INTEGER_ARRAYS.map((name) => [name, name])),
};

export function irType(type: TsType, at: Node): Type | undefined {
  if (type.isNumber() || type.isNumberLiteral()) return numberType;
  // a union of numbers (`2 | 4`: a counter narrowed by `case 2: case 4:`, read in a callback)
  if (type.isUnion() && type.getUnionTypes().every((t) => t.isNumber() || t.isNumberLiteral())) return numberType;
  if (type.isBoolean() || type.isBooleanLiteral()) return booleanType;
  // Array and the typed arrays by their symbols, when those are the built-ins (not a user's type of that name)
  const symbol = type.getSymbol();
  const symbolName = symbol && symbol.getDeclarations().every((d) => isLibFile(d.getSourceFile())) ? symbol.getName() : '';
  const typedArray = Object.hasOwn(TYPED_ARRAYS, symbolName) ? TYPED_ARRAYS[symbolName] : undefined;
  if (typedArray) return { kind: 'array', container: typedArray, element: numberType };
  if (type.isTuple()) {
    const elements = type.getTupleElements().map((t) => irType(t, at));
    return elements.every((e) => e !== undefined) ? { kind: 'tuple', elements: elements as Type[] } : undefined;
  }
  if (symbolName === 'Array' || symbolName === 'ReadonlyArray') {
    const argument = type.getTypeArguments()[0];
    const element = argument && irType(argument, at);
    return element && element.kind !== 'boolean' ? { kind: 'array', container: 'Array', element } : undefined;
  }
  if (type.isObject() && !type.getCallSignatures().length) {
    const fields = type.getProperties().map((property) => {
      const fieldType = irType(property.getTypeAtLocation(at), at);
      return fieldType && !property.isOptional() ? { name: property.getName(), type: fieldType } : undefined;
    });
    return fields.length > 0 && fields.every((f) => f !== undefined)
      ? { kind: 'object', fields: fields as Array<{ name: string; type: Type }> }
      : undefined;
  }
  return undefined;
}

/** Primitive types no number can be in: strings, booleans, bigints, symbols, null, undefined, void. */
const NUMBERLESS_PRIMITIVES =
  ts.TypeFlags.StringLike |
  ts.TypeFlags.BooleanLike |
  ts.TypeFlags.BigIntLike |
  ts.TypeFlags.ESSymbolLike |
  ts.TypeFlags.Null |
  ts.TypeFlags.Undefined |
  ts.TypeFlags.Void |
  ts.TypeFlags.Never;

/**
 * True when no value of the type can be or hold a number (`string`, `'a' | 'b'`, `string | null`),
 * so that no gradient can flow through it whatever the caller passes; `any`, `unknown`, objects
 * and functions might hold one, and are false.
 */
export function cannotHoldNumber(type: TsType): boolean {
  if (type.isUnion()) return type.getUnionTypes().every(cannotHoldNumber);
  return (type.getFlags() & NUMBERLESS_PRIMITIVES) !== 0;
}

const BUILT_IN_TYPE_WORDS = new Set([
  'number',
  'boolean',
  'readonly',
  'Array',
  'ReadonlyArray',
  'Float64Array',
  'Float32Array',
  ...INTEGER_ARRAYS,
]);
/** Built-in type words a passed-through parameter may be written with as well. */
const OPAQUE_TYPE_WORDS = new Set(['string', 'unknown', 'any', 'null', 'undefined', 'bigint', 'symbol', 'object']);

/** The identifiers of a type's text, outside object literals. */
function words(text: string): string[] {
  return text.replace(/\{[^}]*\}/g, '').match(/[A-Za-z_$][\w$]*/g) ?? [];
}

/**
 * A parameter's type as the source writes it, when that text means the same in the companion;
 * a type that names the source's own interfaces or aliases is written out structurally instead.
 */
export function selfContainedTypeText(sourceText: string, type: Type): string {
  return words(sourceText).every((w) => BUILT_IN_TYPE_WORDS.has(w)) && !sourceText.includes('{') ? sourceText : typeText(type);
}

/** The type of a passed-through parameter as the source writes it, when the companion can write it so; else `unknown`. */
export function opaqueTypeText(sourceText: string): string {
  return words(sourceText).every((w) => BUILT_IN_TYPE_WORDS.has(w) || OPAQUE_TYPE_WORDS.has(w)) ? sourceText : 'unknown';
}
