// Code that does not influence the result is not differentiated: the unused Math.acos(2) is NaN
// but cannot reach the gradient, and `unused` gets gradient 0 (with warning AD2004).
// Math.floor stops the gradient: it is piecewise constant.
// check: robust(0.93, 4.2)
// check: robust(2.43, -1.1)

/** @differentiable */
export function robust(x: number, unused: number): number {
  const nan = Math.acos(2);
  const steps = Math.floor(x * 10);
  let y = x * x;
  const ignored = nan * y;
  y = y + steps;
  return y;
}
