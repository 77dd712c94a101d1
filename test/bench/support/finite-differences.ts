/** Central finite differences on a flat input vector, perturbed in place and restored. */

/**
 * ∂f/∂x[i] by central differences with one step of Richardson extrapolation:
 *   D(h) = (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h,   D = (4·D(h/2) − D(h)) / 3   (error O(h⁴)).
 * The step is relative to the entry's size.
 */
export function richardsonPartial(fAt: (x: Float64Array) => number, x: Float64Array, i: number, h = 1e-3): number {
  const x0 = x[i]!;
  const step = h * Math.max(1, Math.abs(x0));
  const central = (s: number) => {
    x[i] = x0 + s;
    const plus = fAt(x);
    x[i] = x0 - s;
    const minus = fAt(x);
    x[i] = x0;
    return (plus - minus) / (2 * s);
  };
  return (4 * central(step / 2) - central(step)) / 3;
}

/** The whole gradient by plain central differences, 2N evaluations: the finite-difference peer that is timed. */
export function centralGradient(fAt: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i]!;
    const step = h * Math.max(1, Math.abs(x0));
    x[i] = x0 + step;
    const plus = fAt(x);
    x[i] = x0 - step;
    const minus = fAt(x);
    x[i] = x0;
    out[i] = (plus - minus) / (2 * step);
  }
  return out;
}

/** `count` indices spread over [0, n): the first, the last, and evenly spaced ones between. */
export function spreadIndices(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < count; k++) out.add(Math.round((k * (n - 1)) / (count - 1)));
  return [...out];
}
