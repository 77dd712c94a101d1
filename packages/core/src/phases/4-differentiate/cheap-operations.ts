/**
 * The operations as cheap to compute again as to save on the tape and read back: arithmetic,
 * abs, sign, min, max, comparisons and logic. The tape plan recomputes such values instead of
 * saving them (tape-plan.ts); a loop of independent iterations made of them is run again instead
 * of taped (rerun-loop.ts).
 */
const CHEAP = new Set([
  '+',
  '-',
  '*',
  '/',
  'neg',
  'Math.abs',
  'Math.sign',
  'Math.min',
  'Math.max',
  '<',
  '<=',
  '>',
  '>=',
  '===',
  '!==',
  '==',
  '!=',
  'or',
  'and',
  '!',
]);

export function isCheap(op: string): boolean {
  return CHEAP.has(op);
}
