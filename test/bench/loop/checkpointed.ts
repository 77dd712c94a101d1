/**
 * The pendulum of objective.ts, its loop marked `// @checkpoint`: the gradient stores the loop's
 * state (x, v and the counter) at the checkpoints of the revolve schedule, each iteration run again
 * at most 3 times, instead of taping every step. The same code otherwise, so the two companions
 * time the same arithmetic.
 */

/** @differentiable(wrt: params) */
export function pendulum(params: Float64Array, steps: number, h: number): number {
  const k = params[0]!;
  const c = params[1]!;
  let x = params[2]!;
  let v = params[3]!;
  // @checkpoint
  for (let i = 0; i < steps; i++) {
    const a = -k * Math.sin(x) - c * v;
    v += h * a;
    x += h * v;
  }
  return (x - 1) * (x - 1) + v * v;
}
