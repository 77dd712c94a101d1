/**
 * The gradient of pendulum (objective.ts) written by hand: the forward pass keeps x and v before
 * every step (16 bytes a step), the backward pass runs the steps in reverse:
 *
 *   x' = x + h·v'  →  dv' += h·dx'
 *   v' = v + h·a   →  da = h·dv'
 *   a = −k·sin x − c·v  →  dk −= sin x·da,  dc −= v·da,  dx −= k·cos x·da,  dv −= c·da
 */
export function pendulumHandGradient(params: Float64Array, steps: number, h: number): { value: number; grad: { params: Float64Array } } {
  const k = params[0]!;
  const c = params[1]!;
  let x = params[2]!;
  let v = params[3]!;
  const saved = new Float64Array(2 * steps);
  for (let i = 0; i < steps; i++) {
    saved[2 * i] = x;
    saved[2 * i + 1] = v;
    const a = -k * Math.sin(x) - c * v;
    v += h * a;
    x += h * v;
  }
  const value = (x - 1) * (x - 1) + v * v;
  let dx = 2 * (x - 1);
  let dv = 2 * v;
  let dk = 0;
  let dc = 0;
  for (let i = steps - 1; i >= 0; i--) {
    const xi = saved[2 * i]!;
    const vi = saved[2 * i + 1]!;
    const dvt = dv + h * dx;
    const da = h * dvt;
    dk -= Math.sin(xi) * da;
    dc -= vi * da;
    dx -= k * Math.cos(xi) * da;
    dv = dvt - c * da;
  }
  return { value, grad: { params: new Float64Array([dk, dc, dx, dv]) } };
}
