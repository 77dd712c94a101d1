/**
 * The TypeScript spelling of IR types, as generated code declares them: parameters, variables,
 * tape reads, and the shadows of containers (whose booleans hold adjoints, numbers).
 */
import { typeMemberKey } from './property-names.js';
import type { Type } from './ssa.js';

/** The TypeScript type of a shadow (Float32Array shadows are Float64Arrays). */
export function shadowTypeText(type: Type): string {
  return typeText(type, true);
}

export function typeText(type: Type, shadow = false): string {
  switch (type.kind) {
    case 'number':
      return 'number';
    case 'boolean':
      return shadow ? 'number' : 'boolean';
    case 'array':
      if (type.container !== 'Array') return shadow ? 'Float64Array' : type.container;
      return type.element.kind === 'number' || type.element.kind === 'boolean'
        ? `${typeText(type.element, shadow)}[]`
        : `Array<${typeText(type.element, shadow)}>`;
    case 'tuple':
      return `[${type.elements.map((t) => typeText(t, shadow)).join(', ')}]`;
    case 'object':
      return `{ ${type.fields.map((f) => `${typeMemberKey(f.name)}: ${typeText(f.type, shadow)}`).join('; ')} }`;
  }
}
