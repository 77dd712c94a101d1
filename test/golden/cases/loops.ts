// Loops with trip counts known only at run time. The forward sweep counts the iterations and
// saves what the reverse reads; the reverse runs the body's adjoint as many times, last first,
// handing the adjoint of the carried value `p` from one iteration to the one before.
// check: power(1.3, 5)
// check: power(-0.8, 3)
// check: sqrtNewton(2)
// check: sqrtNewton(7.5)

/** @differentiable(wrt: x) */
export function power(x: number, n: number): number {
  let p = 1;
  for (let i = 0; i < n; i++) {
    p *= x;
  }
  return p;
}

/** Newton's method for √a, run until it converges: the trip count depends on a. */
/** @differentiable */
export function sqrtNewton(a: number): number {
  let x = a;
  while (Math.abs(x * x - a) > 1e-12 * a) {
    x = 0.5 * (x + a / x);
  }
  return x;
}
