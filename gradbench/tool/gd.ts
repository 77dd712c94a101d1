/**
 * GradBench's gradient descent (cpp/gradbench/gd.hpp), used by the particle and saddle evals:
 * from x, step against the gradient with a step η that starts at 1e-5, doubles after 10 accepted
 * steps in a row and halves after a rejected one; stop when the gradient or the step is below 1e-5.
 */

export interface Objective {
  objective: (x: Float64Array) => number;
  gradient: (x: Float64Array) => Float64Array;
}

function magnitude(v: Float64Array): number {
  let acc = 0;
  for (const x of v) acc += x * x;
  return Math.sqrt(acc);
}

function distance(u: Float64Array, v: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < u.length; i++) acc += (u[i]! - v[i]!) * (u[i]! - v[i]!);
  return Math.sqrt(acc);
}

export function multivariateArgmin(f: Objective, start: ArrayLike<number>): Float64Array {
  let x = Float64Array.from(start);
  let fx = f.objective(x);
  let gx = f.gradient(x);
  let i = 0;
  let eta = 1e-5;
  for (;;) {
    if (magnitude(gx) <= 1e-5) return x;
    if (i === 10) {
      eta *= 2;
      i = 0;
    } else {
      const xPrime = x.map((xj, j) => xj - eta * gx[j]!);
      if (distance(x, xPrime) <= 1e-5) return x;
      const fxPrime = f.objective(xPrime);
      if (fxPrime < fx) {
        x = xPrime;
        fx = fxPrime;
        gx = f.gradient(x);
        i++;
      } else {
        eta /= 2;
        i = 0;
      }
    }
  }
}

/** The argmax, as the argmin of −f. */
export function multivariateArgmax(f: Objective, start: ArrayLike<number>): Float64Array {
  return multivariateArgmin({ objective: (x) => -f.objective(x), gradient: (x) => f.gradient(x).map((g) => -g) }, start);
}
