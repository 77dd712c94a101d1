// Array methods with callbacks are lowered to the loops they run: the gradient of reduce is the
// gradient of the same for loop, forEach updates the caller's s, map and filter build new arrays,
// and a named module function or Math function works as a callback too.
// check: sumOfSquares([0.5, -1.2, 2])
// check: weighted([0.5, -1.2, 2], [1.5, 0.25, -2])
// check: smoothed(new Float64Array([0.5, -1.2, 2, 0.3]), 0.7)

function square(v: number): number {
  return v * v;
}

/** @differentiable(forward) */
export function sumOfSquares(xs: number[]): number {
  return xs.reduce((s, v) => s + v * v, 0);
}

/** @differentiable(forward) */
export function weighted(xs: number[], w: number[]): number {
  let s = 0;
  xs.forEach((v, i) => {
    s += v * w[i]!;
  });
  return s;
}

/** @differentiable(forward) */
export function smoothed(xs: Float64Array, k: number): number {
  const kept = xs.filter((v) => v > -1).map(Math.tanh);
  return kept.map(square).reduce((a, b) => a + b * k) + (xs.find((v) => v > k) ?? 0);
}
