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

/**
 * Arguments of a differentiable function: numbers and containers of numbers, nested, and the
 * values passed beside them that are never differentiated (flags, arrays of integer indices).
 */
export type Argument = number | boolean | number[] | Float64Array | Float32Array | Int32Array | Argument[] | { [key: string]: Argument };
type Path = Array<string | number>;

/** Richardson central differences for the number at `path` inside the arguments (path[0] is the argument's index). */
export function partialAt<Args extends Argument[]>(f: (...args: Args) => number, args: Args, path: Path, h = 1e-3): number {
  const at = (step: number) => {
    const copy = structuredClone(args);
    let holder: any = copy;
    for (const key of path.slice(0, -1)) holder = holder[key];
    holder[path.at(-1)!] += step;
    return f(...copy);
  };
  const central = (step: number) => (at(step) - at(-step)) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

/** Every number inside a value, with its path. */
export function leaves(value: unknown, path: Path = []): Array<[Path, number]> {
  if (typeof value === 'number') return [[path, value]];
  if (ArrayBuffer.isView(value)) return Array.from(value as Float64Array, (v, i): [Path, number] => [[...path, i], v]);
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  return Object.entries(value as object).flatMap(([k, v]) => leaves(v, [...path, k]));
}
