/**
 * The determinant by expansion along the first row, on minors made with `filter`: how one writes
 * it in TypeScript without cmpad's linked lists. Adjoint refuses the callbacks today (AD1102).
 */

function minor(A: number[][], column: number): number[][] {
  return A.slice(1).map((row) => row.filter((_, j) => j !== column));
}

function det(A: number[][]): number {
  if (A.length === 1) return A[0]![0]!;
  let sum = 0;
  for (let j = 0; j < A.length; j++) {
    const sign = j % 2 === 0 ? 1 : -1;
    sum += sign * A[0]![j]! * det(minor(A, j));
  }
  return sum;
}

/** @differentiable(wrt: A) */
export function primal(A: Float64Array, ell: number): number {
  const rows: number[][] = [];
  for (let i = 0; i < ell; i++) {
    const row: number[] = [];
    for (let j = 0; j < ell; j++) row.push(A[i * ell + j]!);
    rows.push(row);
  }
  return det(rows);
}
