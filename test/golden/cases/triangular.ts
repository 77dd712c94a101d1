// A triangular loop nest (the product Q·x of a lower triangular matrix stored row after row): the
// inner counter j starts at i + 1 and the running index of the matrix entry at a value carried
// from the outer loop. Both only index arrays, so the reverse sweep computes them again instead of
// taking them from the tape: inside a row from its own counter (start + iterations so far), at the
// start of a row from the index after the loop nest (taped once) less what the row added, its
// length tripCount(i + 1, d) when it ran (4-differentiate/running-values.ts). Nothing is taped per
// iteration (x and lower are never written, so the reverse reads them again). The update in place
// out[j] = out[j] + … leaves d_out[j] unchanged in the reverse: no reset and no addition.
// check: lowerTimes([0.5, -1.2, 0.3, 2, 0.7, -0.4], [0.9, -0.3, 1.4, 0.2], 4)

/** @differentiable(wrt: lower, x) */
export function lowerTimes(lower: number[], x: number[], d: number): number {
  const out = new Array<number>(d).fill(0);
  let index = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      out[j] = out[j]! + lower[index]! * x[i]!;
      index++;
    }
  }
  let s = 0;
  for (const v of out) s += v * v;
  return s;
}
