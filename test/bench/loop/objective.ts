/**
 * A damped pendulum integrated by semi-implicit Euler for `steps` steps (10⁶ in the benchmark):
 *
 *   a = −k·sin(x) − c·v,   v ← v + h·a,   x ← x + h·v
 *
 * and the squared distance of the final state (x, v) from a target. The gradient with respect to
 * params = [k, c, x0, v0] needs the whole trajectory in reverse order, so the tape holds what the
 * reverse sweep reads of every step: at least x (for cos x) and v (for ∂/∂c), 16 bytes a step.
 */

/** @differentiable(wrt: params) */
export function pendulum(params: Float64Array, steps: number, h: number): number {
  const k = params[0]!;
  const c = params[1]!;
  let x = params[2]!;
  let v = params[3]!;
  for (let i = 0; i < steps; i++) {
    const a = -k * Math.sin(x) - c * v;
    v += h * a;
    x += h * v;
  }
  return (x - 1) * (x - 1) + v * v;
}
