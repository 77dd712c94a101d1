// A helper with a function parameter is copied once for each function passed to it: integrate_f
// for the local f, which reads k (passed as an extra parameter), and integrate_Math_exp. The
// copies call f and Math.exp directly.
// check: area(0.7, 1.5)
// compile options: {"inline": false}

function integrate(f: (t: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  let s = 0;
  for (let i = 0; i < n; i++) s += f(a + (i + 0.5) * h);
  return s * h;
}

/** @differentiable(forward) */
export function area(k: number, b: number): number {
  const f = (t: number) => Math.sin(k * t);
  return integrate(f, 0, b, 4) + integrate(Math.exp, 0, k, 2);
}
