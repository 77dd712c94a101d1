// Non-smooth functions follow the documented conventions: d|x|/dx = sign(x); min and max pass the
// adjoint to the first argument equal to the result.
// check: hinge(0.8, -0.3, 0.1)
// check: hinge(-1.5, 2.2, 0.6)

/** @differentiable */
export function hinge(x: number, y: number, z: number): number {
  return Math.max(0, 1 - x * y) + Math.abs(z) + Math.min(x, y, z);
}
