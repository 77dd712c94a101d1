// Users may name their variables like generated names: locals `d_x`, `_d_x`, `t1` and `grad_a`,
// and a parameter named like the generated export. Nothing clashes.
// check: a(1.1, 0.4)

/** @differentiable */
export function a(x: number, valueAndGrad_a: number): number {
  const d_x = x * valueAndGrad_a;
  const _d_x = d_x + x;
  const t1 = Math.sin(_d_x);
  const grad_a = t1 * d_x;
  return grad_a;
}
