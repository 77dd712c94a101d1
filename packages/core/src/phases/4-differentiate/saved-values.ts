/** How a value saved for the reverse sweep goes on the tape: which tape, and its TypeScript type when it comes back. */
import type { ValueId } from '../../ir/ssa.js';
import { shadowTypeText, typeText } from '../../ir/type-text.js';
import type { FunctionFacts } from './facts.js';
import type { TapeKind } from './tape.js';

export function savedTypeText(facts: FunctionFacts, value: ValueId, shadow: boolean): string {
  const type = facts.typeOf(value);
  return shadow ? shadowTypeText(type) : typeText(type);
}

export function tapeKind(facts: FunctionFacts, value: ValueId, shadow: boolean): TapeKind {
  const type = facts.typeOf(value);
  if (shadow || !(type.kind === 'number' || type.kind === 'boolean')) return 'container';
  // a trip count, an index: no adjoint, and so no tangent when the companion is differentiated again
  if (type.kind === 'number' && !facts.activity.isActive(value)) return 'inactive';
  return type.kind;
}
