/**
 * Primitives of array methods lowered to loops (2-lower/array-methods.ts).
 *
 * `reduceStart(x)` is the first value of `a.reduce(f)` without an initial value: x = a[0] (or
 * a[n - 1] for reduceRight), which is undefined only when a is empty. JavaScript's reduce then
 * throws a TypeError; so does the generated code, with the same message, by reducing an empty
 * array (made only on that path): the companion fails where f fails.
 */
import { binary, method, num, ref } from '../ir/build.js';
import type { DifferentiableRule } from './types.js';

export const arrayRules: Record<string, DifferentiableRule> = {
  // d reduceStart(x)/dx = 1: it is x, or throws
  reduceStart: {
    kind: 'differentiable',
    arity: 1,
    // x ?? ([] as number[]).reduce((first) => first): an arrow the second stage reads back (Math.max,
    // passed bare, gets 4 arguments there: AD1143); evaluated only on the path that throws
    primal: ([first]) =>
      binary(
        '??',
        first!,
        method({ kind: 'as', expr: { kind: 'array', elements: [] }, type: 'number[]' }, 'reduce', [
          { kind: 'arrow', params: ['first'], body: ref('first') },
        ]),
      ),
    partial: () => num(1),
  },
};
