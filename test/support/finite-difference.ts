/**
 * Central finite differences with one step of Richardson extrapolation:
 *   D(h) = (f(x+h) - f(x-h)) / 2h,   D = (4·D(h/2) - D(h)) / 3,  error O(h⁴).
 */
type NumberFunction = (...args: number[]) => number;

export function partialDerivative(f: NumberFunction, args: number[], index: number, h = 1e-3): number {
  const central = (step: number) => {
    const plus = [...args];
    const minus = [...args];
    plus[index]! += step;
    minus[index]! -= step;
    return (f(...plus) - f(...minus)) / (2 * step);
  };
  return (4 * central(h / 2) - central(h)) / 3;
}

export function numericGradient(f: NumberFunction, args: number[], h?: number): number[] {
  return args.map((_, i) => partialDerivative(f, args, i, h));
}

/** Relative closeness, with an absolute floor for values near zero; NaN and ±∞ only match themselves. */
export function closeTo(actual: number, expected: number, tolerance = 1e-6): boolean {
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Object.is(actual, expected);
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(actual), Math.abs(expected));
}
