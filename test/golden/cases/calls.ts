// Calls: helpers are differentiated too (the user marks only the entry point), each emitted once.
// The forward sweep calls a copy of each helper; the reverse sweep calls its backprop with the
// adjoint of its result, which returns the adjoints of the number arguments and adds those of
// container arguments into their shadows. countBelow returns a count: nothing flows back through it.
// check: pathLength([0, 1, 2.5, 4], [0.1, 0.5, -1, 2], 1.5)
// compile options: {"inline": false} (by default these helpers are inlined: see inlining.ts)

function distance(x0: number, y0: number, x1: number, y1: number): number {
  return Math.hypot(x1 - x0, y1 - y0);
}

function countBelow(values: number[], limit: number): number {
  let n = 0;
  for (const v of values) if (v < limit) n++;
  return n;
}

/** @differentiable(wrt: ys, stretch) */
export function pathLength(xs: number[], ys: number[], stretch: number): number {
  let total = 0;
  for (let i = 1; i < xs.length; i++) total += distance(xs[i - 1]!, ys[i - 1]! * stretch, xs[i]!, ys[i]! * stretch);
  return total + countBelow(ys, 0) * stretch;
}
