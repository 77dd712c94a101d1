/**
 * A random program with a point and a direction to differentiate it at, for the property tests that
 * check forward mode beside reverse (property-forward.test.ts, property-classes.test.ts).
 */
import fc from 'fast-check';
import type { Argument } from './finite-difference.js';
import type { FunctionDef, Program } from './random-program.js';

export interface ForwardCase {
  program: Program;
  /** Values for the number parameters and array elements, in order. */
  reals: number[];
  /** Values for the integer parameters (0…5). */
  ints: number[];
  /** The direction's values, in the same order as `reals`. */
  direction: number[];
}

const coordinate = fc.noBias(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }).map((k) => (2.5 * k) / 2 ** 30));

/** Cases of the programs `program` makes, their marked function marked `forward` as well. */
export const forwardCaseOf = (program: fc.Arbitrary<Program>): fc.Arbitrary<ForwardCase> =>
  fc.record({
    program: program.map((p) => ({ ...p, fn: { ...p.fn, forward: true } })),
    reals: fc.array(coordinate, { minLength: 20, maxLength: 20 }),
    ints: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 4, maxLength: 4 }),
    direction: fc.array(coordinate, { minLength: 20, maxLength: 20 }),
  });

/** Arguments by parameter type from a list of reals (the point, or the direction) and the integers. */
export function argumentsOf(fn: FunctionDef, reals: number[], ints: number[]): Argument[] {
  let real = 0;
  let int = 0;
  return fn.params.map((_, i): Argument => {
    const type = fn.paramTypes?.[i] ?? 'number';
    if (type === 'number') return reals[real++]!;
    if (type === 'int') return ints[int++]!;
    const values = reals.slice(real, (real += fn.paramLengths![i]!));
    return type === 'Float64Array' ? new Float64Array(values) : values;
  });
}
