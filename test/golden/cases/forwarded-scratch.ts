// A scratch array filled by one loop and read by later loops over the same indices is not read at
// all (3-optimize/forward-stores.ts): `xc[i]` is computed again from `x` and `mean` where the loops
// over i read it (in the triangular one, before its inner loop), `xc` and its loop are left out of
// the gradient, and the reverse sweep computes the difference again instead of taping it. `qx` is
// read back in the loop that writes it (`qx[j] += …`): it stays an array, and the squared norm's
// operands are what the tape keeps, with the triangle's running index once per point (after its
// loop: the reverse takes each row's length off it). The loops over i and j run d times per point:
// their trip count is computed once, at the start of the reverse sweep.
// check: centredNorms([0.3, -1.2, 0.8, 0.5, 1.1, -0.4], [0.1, 0.4, -0.6], [0.7, -0.4, 0.25], 3)

/** @differentiable(wrt: mean, ltri) */
export function centredNorms(x: number[], mean: number[], ltri: number[], d: number): number {
  const xc = new Float64Array(d);
  const qx = new Float64Array(d);
  let s = 0;
  for (let p = 0; p < x.length / d; p++) {
    for (let i = 0; i < d; i++) xc[i] = x[p * d + i]! - mean[i]!;
    for (let i = 0; i < d; i++) qx[i] = 2 * xc[i]!;
    let idx = 0;
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        qx[j] = qx[j]! + ltri[idx]! * xc[i]!;
        idx++;
      }
    }
    for (let i = 0; i < d; i++) s += qx[i]! * qx[i]!;
  }
  return s;
}
