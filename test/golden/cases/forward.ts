// Forward mode: @differentiable(forward) adds jvp_f(...args, ...tangents), which returns f's value
// and its directional derivative from ONE pass: each active value v is followed by its tangent
// dot_v = Σ ∂v/∂a · dot_a. Loops carry tangents beside their values, branches merge them like the
// values, an array's tangent is an array updated in place as it is, and a call goes through the
// callee's tangent function, which returns { value, tangent }. No tape, no reverse sweep.
// check: springEnergy(new Float64Array([0, 1.1, 1.9, 3.2]), 2.5, 1)
// check: springEnergy(new Float64Array([0, 0.4, 0.7]), 0.5, 3)

function stretch(a: number, b: number, rest: number): number {
  const d = b - a - rest;
  return d * d;
}

/** @differentiable(forward, wrt: x, k) */
export function springEnergy(x: Float64Array, k: number, rest: number): number {
  const forces = new Float64Array(x.length);
  let energy = 0;
  for (let i = 1; i < x.length; i++) {
    const e = k * stretch(x[i - 1]!, x[i]!, rest);
    forces[i] = e > 1 ? Math.sqrt(e) : e;
    energy += e;
  }
  return energy + 0.5 * forces[x.length - 1]!;
}
