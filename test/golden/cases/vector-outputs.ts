// Vector outputs: a function returning numbers in an array, tuple or object gets valueAndVjp_f,
// vjp_f and jacobian_f (one row per number of the value, by reverse mode) instead of grad_f.

/** @differentiable */
export function polar(r: number, theta: number): [number, number] {
  return [r * Math.cos(theta), r * Math.sin(theta)];
}

/** The output's length is an argument; `steps` is not differentiated. */
/** @differentiable(wrt: start, k) */
export function trajectory(start: Float64Array, k: number, steps: number): { last: number; path: number[] } {
  const path: number[] = [];
  let x = start[0]!;
  for (let i = 0; i < steps; i++) {
    x = x * k + start[1]!;
    path.push(x);
  }
  return { last: x, path };
}

// check: polar(1.3, 0.7)
// check: trajectory(new Float64Array([0.5, 0.2]), 0.9, 3)
