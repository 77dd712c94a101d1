/**
 * The end of one iteration of a loop in generated code: the carried variables take their values
 * for the next iteration, then the loop stops unless `again`. When `again` is itself a carried
 * value (`while (k--)` tests k before the decrement, and k is carried), it is read into a constant
 * before the assignments overwrite its variable: otherwise the test would see the next value, and
 * the loop would run one iteration too few.
 */
import { ref } from '../../ir/build.js';
import type { Stmt } from '../../ir/code.js';
import type { ValueId } from '../../ir/ssa.js';
import type { Namer } from '../../naming.js';
import type { PrimalNames } from './names.js';

export function endOfIteration(namer: Namer, names: PrimalNames, again: ValueId, carriedParams: ValueId[], assignments: Stmt[]): Stmt[] {
  const overwritten = carriedParams.includes(again);
  const kept = overwritten ? namer.claim('again') : undefined;
  const test = kept === undefined ? names.expr(again) : ref(kept);
  return [
    ...(kept === undefined ? [] : [{ kind: 'declare', declaration: 'const', name: kept, init: names.expr(again) } as const]),
    ...assignments,
    { kind: 'if', test: { kind: 'unary', op: '!', operand: test }, then: [{ kind: 'break' }], else: [] },
  ];
}
