// Branches: if / else if / else, ?:, && and ||. The gradient is that of the branch taken; a branch
// inside straight-line code costs one test in the reverse sweep, nothing on the tape.
// check: piecewise(1.3, 0.4)
// check: piecewise(-0.7, 1.6)
// check: piecewise(-0.5, 0.3)
// check: clamp(0.4, -1, 1)
// check: clamp(2.5, -1, 1)

/** @differentiable */
export function piecewise(x: number, y: number): number {
  let z = x * y;
  if (x > 0) {
    z = z * x;
  } else if (y > 1) {
    z = Math.sin(z);
  } else {
    z += y;
  }
  return x > y ? z * 2 : z + y;
}

/** @differentiable */
export function clamp(x: number, low: number, high: number): number {
  const inside = x >= low && x <= high;
  return inside ? x : x < low ? low : high;
}
