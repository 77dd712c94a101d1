/**
 * GradBench's `det` eval (cpp/gradbench/evals/det.hpp, after cmpad's det_by_minor): the
 * determinant of an ℓ × ℓ matrix (row-major) by expansion along the first row of each minor.
 *
 * r[i] is the row after row i of the current minor and c[i] the column after column i; r[n] and
 * c[n] are the first ones. Removing a row or a column relinks the list instead of moving data, and
 * each level puts back what it removed before it returns.
 */

function detOfMinor(A: Float64Array, n: number, m: number, r: number[], c: number[]): number {
  const R0 = r[n]!;
  let Cj = c[n]!;

  if (m === 1) {
    return A[R0 * n + Cj]!;
  }

  // Determinant of the minor M.
  let detM = 0;
  // Sign of the factor for the next sub-minor.
  let sign = 1;
  // Remove row R0 of M from all the sub-minors of M.
  r[n] = r[R0]!;
  // C(j−1): index in c of the previous column of M.
  let Cj1 = n;

  for (let j = 0; j < m; j++) {
    // M[0, j] = A[R0, Cj]
    const M0j = A[R0 * n + Cj]!;
    // Remove column Cj to form the sub-minor S of M.
    c[Cj1] = c[Cj]!;
    // The determinant of S, M without its row 0 and column j.
    const detS = detOfMinor(A, n, m - 1, r, c);
    // Put column Cj back.
    c[Cj1] = Cj;

    if (sign > 0) {
      detM = detM + M0j * detS;
    } else {
      detM = detM - M0j * detS;
    }

    // Advance to the next column of M.
    Cj1 = Cj;
    Cj = c[Cj]!;
    sign = -sign;
  }

  // Put row R0 back.
  r[n] = R0;
  return detM;
}

/** @differentiable(wrt: A) */
export function primal(A: Float64Array, ell: number): number {
  const r: number[] = new Array(ell + 1).fill(0);
  const c: number[] = new Array(ell + 1).fill(0);
  for (let i = 0; i < ell; i++) {
    r[i] = i + 1;
    c[i] = i + 1;
  }
  return detOfMinor(A, ell, ell, r, c);
}
