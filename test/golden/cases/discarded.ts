// Values computed and discarded: `void a` (the usual way to silence an unused-variable warning),
// `void` around an assignment, which still happens, and an expression statement whose value is
// unused. Only the assignment reaches the result.
// check: angle(2.5, 1.2)

/** @differentiable(forward) */
export function angle(A: number, C: number): number {
  const a = Math.acos(-C / A);
  void a;
  let s = A * C;
  void (s = s + Math.sin(C));
  Math.acos(s);
  return s;
}
