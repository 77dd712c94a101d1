/**
 * GradBench's `ode` eval (cpp/gradbench/evals/ode.hpp, after cmpad's an_ode): s steps of
 * fourth-order Runge–Kutta from t = 0 to t = 2 on
 *
 *   y₀' = x₀,  yᵢ' = xᵢ·yᵢ₋₁ (i > 0),  y(0) = 0.
 *
 * The gradient the eval asks for is that of the last element of y(2) with respect to x.
 */

function odeFun(n: number, x: Float64Array, y: Float64Array, z: Float64Array): void {
  z[0] = x[0]!;
  for (let i = 1; i < n; i++) {
    z[i] = x[i]! * y[i - 1]!;
  }
}

/** @differentiable(wrt: xi) */
export function primal(xi: Float64Array, s: number): Float64Array {
  const n = xi.length;
  const tf = 2;
  const h = tf / s;
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const yTmp = new Float64Array(n);
  const yf = new Float64Array(n);

  for (let iStep = 0; iStep < s; iStep++) {
    odeFun(n, xi, yf, k1);

    for (let i = 0; i < n; i++) {
      yTmp[i] = yf[i]! + (h * k1[i]!) / 2;
    }
    odeFun(n, xi, yTmp, k2);

    for (let i = 0; i < n; i++) {
      yTmp[i] = yf[i]! + (h * k2[i]!) / 2;
    }
    odeFun(n, xi, yTmp, k3);

    for (let i = 0; i < n; i++) {
      yTmp[i] = yf[i]! + h * k3[i]!;
    }
    odeFun(n, xi, yTmp, k4);

    for (let i = 0; i < n; i++) {
      yf[i] = yf[i]! + (h * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!)) / 6;
    }
  }
  return yf;
}
