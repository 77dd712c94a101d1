// Arrays: gradients shaped like the parameters (number[] → number[], Float64Array → Float64Array).
// A load adds to the shadow d_a; a store takes the adjoint out of it and zeroes it, so a write
// that overwrites a value the reverse still needs is handled: the loaded values are on the tape.
// check: weightedSum([0.5, -1.2, 2], new Float64Array([1.5, 0.3, -0.7]))
// check: smooth(new Float64Array([0.3, 0.9, -0.5, 1.1]), 0.25)
// check: gather(new Float64Array([0.1, 0.7, -0.4]), [2, 0, 2])

/** @differentiable */
export function weightedSum(values: number[], weights: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * weights[i]!;
  return s;
}

/** @differentiable */
export function smooth(signal: Float64Array, alpha: number): number {
  const v = new Float64Array(signal);
  for (let i = 1; i < v.length; i++) v[i] = alpha * v[i - 1]! + (1 - alpha) * v[i]!;
  let energy = 0;
  for (const e of v) energy += e * e;
  return energy;
}

/** Repeated indices accumulate: x[2] is read twice. */
/** @differentiable(wrt: x) */
export function gather(x: Float64Array, index: number[]): number {
  let s = 0;
  for (const i of index) s += Math.sin(x[i]!);
  return s;
}
