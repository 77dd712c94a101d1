// The same sum of squares written three ways (issue 16): with reduce, with forEach updating a
// variable of the function, and as the for loop they stand for. Adjoint lowers the callbacks to
// that loop, so the three gradients should cost the same (reduce-vs-for.ts measures it).

/** @differentiable */
export function sumSquaresReduce(xs: Float64Array): number {
  return xs.reduce((s, v) => s + v * v, 0);
}

/** @differentiable */
export function sumSquaresForEach(xs: Float64Array): number {
  let s = 0;
  xs.forEach((v) => {
    s += v * v;
  });
  return s;
}

/** @differentiable */
export function sumSquaresLoop(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]! * xs[i]!;
  return s;
}
