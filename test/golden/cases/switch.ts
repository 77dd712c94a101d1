// switch with fall-through and default: case 1 falls into case 2.
// check: mode(0.7, 0)
// check: mode(0.7, 1)
// check: mode(0.7, 2)
// check: mode(0.7, 5)

/** @differentiable(wrt: x) */
export function mode(x: number, m: number): number {
  let r = 0;
  switch (m) {
    case 0:
      r = x * x;
      break;
    case 1:
      r = Math.sin(x);
    case 2:
      r += 3 * x;
      break;
    default:
      r = Math.exp(x);
  }
  return r;
}
