/** The IR type of a TypeScript type: numbers, booleans and containers of them, or why not. */
import type { Node, Type as TsType } from 'ts-morph';
import { booleanType, INTEGER_ARRAYS, numberType, type ArrayContainer, type Type } from '../../ir/ssa.js';

const TYPED_ARRAYS: Record<string, ArrayContainer> = {
  Float64Array: 'Float64Array',
  Float32Array: 'Float32Array',
  ...Object.fromEntries(INTEGER_ARRAYS.map((name) => [name, name])),
};

export function irType(type: TsType, at: Node): Type | undefined {
  if (type.isNumber() || type.isNumberLiteral()) return numberType;
  if (type.isBoolean() || type.isBooleanLiteral()) return booleanType;
  const symbolName = type.getSymbol()?.getName() ?? '';
  const typedArray = TYPED_ARRAYS[symbolName];
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
    return fields.length > 0 && fields.every((f) => f !== undefined) ? { kind: 'object', fields: fields as Array<{ name: string; type: Type }> } : undefined;
  }
  return undefined;
}
