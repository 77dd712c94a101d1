// Recursion, direct and mutual, with the depth known only at run time. A call of a function that
// recurses is not replayed by the caller's reverse sweep: forward_g leaves g's values on the tape,
// reverse_g reads them, so no level runs its subtree again.
// check: continuedFraction(1.3, 6)
// check: zigzag(0.4, 5)

/** x + 1/(x + 1/(x + …)), `depth` levels deep. */
/** @differentiable(wrt: x) */
export function continuedFraction(x: number, depth: number): number {
  return depth <= 0 ? x : x + 1 / continuedFraction(x, depth - 1);
}

function zig(x: number, n: number): number {
  return n === 0 ? x : zag(Math.sin(x) + x, n - 1);
}

function zag(x: number, n: number): number {
  return n === 0 ? x * x : zig(0.5 * x, n - 1);
}

/** @differentiable(wrt: x) */
export function zigzag(x: number, n: number): number {
  return zig(x, n);
}
