// Numeric literals in every notation.
// check: polynomial(0.5)

/** @differentiable */
export function polynomial(x: number): number {
  return 0x10 * x + 0o7 * x ** 2 + 0b11 * x ** 3 + 1e-1 * x + 1_000 * x ** 4 + 0.5e1 + .25 * x + 5. * x + 1e-12 * x + 2E+3 * x + 0X1f;
}
