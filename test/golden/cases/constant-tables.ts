// A module-level table of coefficients (Lanczos' for ln Γ) is read as a constant: copied into the
// companion, with no adjoint of its own.
// check: lgamma(0.7)
// check: lgamma(4.5)

const C = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) by Lanczos' approximation (g = 7, n = 9), for x > 0.5. */
/** @differentiable(forward) */
export function lgamma(x: number): number {
  x -= 1;
  let a = 0.99999999999980993;
  const t = x + 7.5;
  for (let i = 0; i < C.length; i++) a += C[i]! / (x + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
