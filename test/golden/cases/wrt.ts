// @differentiable(wrt: ...) restricts the gradient to some parameters.
// check: scaled(2, 0.3, 1.7)

/** @differentiable(wrt: x, bias) */
export function scaled(scale: number, x: number, bias: number): number {
  return scale * Math.tanh(x) + bias * bias;
}
