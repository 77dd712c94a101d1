// A read that does not change inside a loop moves before it. `scratch` is this function's own array,
// rewritten for each row, so the reverse sweep cannot read it again; but the loops over i and j
// read it n² times without writing it, so they read a copy taken before them instead
// (3-optimize/snapshot-reads.ts): the tape keeps that copy, n numbers per row, and the reverse sweep
// reads it again. `scratch[i]`, read once per i before the inner loop, is computed again there
// from `a` and `b`, as the loop over i stored it (3-optimize/forward-stores.ts). `acc[r]` is read
// at an index that does not change either, but the loop writes `acc`: that read stays in the loop.
// The loops over i and j run n times each time they run: their trip count is computed once, at
// the start of the reverse sweep, not once per row (4-differentiate/trip-count.ts).
// check: rowProducts([0.5, -1.2, 0.3], [0.9, -0.3, 1.4, 0.2, 0.7, -0.6], 2)

/** @differentiable(wrt: a, b) */
export function rowProducts(a: number[], b: number[], rows: number): number {
  const n = a.length;
  const scratch = new Array<number>(n).fill(0);
  const acc = new Array<number>(rows).fill(0);
  let s = 0;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) scratch[i] = a[i]! * b[r * n + i]!;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        s += scratch[i]! * Math.sin(scratch[j]! + b[j]!);
        acc[r] = acc[r]! + scratch[i]! * scratch[j]!;
      }
    }
  }
  return s + acc[0]! * acc[1]!;
}
