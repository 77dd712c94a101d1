/**
 * What the exported functions of a marked function say about its differentiated parameters: the
 * TypeScript type of a gradient (one property per parameter, shaped like it), and the list of
 * their names for doc comments.
 */
import type { SsaFunction } from '../../ir/ssa.js';
import { typeText } from '../../ir/type-text.js';

/** `{ x: number; ws: number[] }`: a boolean field of a parameter gets a number, as its adjoint is one. */
export function gradientTypeText(fn: SsaFunction): string {
  const fields = fn.params
    .filter((p) => p.differentiable)
    .map((p) => `${p.name}: ${typeText(fn.values[p.value]!.type).replace(/\bboolean\b/g, 'number')}`);
  return `{ ${fields.join('; ')} }`;
}

/** "`x`, `ws`", or "no parameter". */
export function differentiatedList(fn: SsaFunction): string {
  return (
    fn.params
      .filter((p) => p.differentiable)
      .map((p) => `\`${p.name}\``)
      .join(', ') || 'no parameter'
  );
}
