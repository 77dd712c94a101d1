/**
 * Checks the exports of a function with a vector output against finite differences of the source
 * function:
 *   jacobian_f   entry by entry: J[r][c] = ∂(r-th number of f)/∂(c-th number of the inputs)
 *   vjp_f        for an output adjoint u: uᵀ·J = ∂(Σᵣ uᵣ·fᵣ)/∂(each input number)
 *   valueAndVjp  its value is f's, its gradient is vjp_f's
 * Rows are the output's numbers in `leaves` order (index order, fields in declaration order),
 * columns the numbers of the differentiated parameters in parameter order, the same way.
 */
import { expect } from 'vitest';
import { fn, type Compiled } from './compile.js';
import { closeTo, leaves, partialAt, type Argument } from './finite-difference.js';

type Path = Array<string | number>;
type VectorFunction = (...args: Argument[]) => Argument;

export interface VectorCheckOptions {
  tolerance?: number;
  step?: number;
  /**
   * The output with its object fields in the order its type declares them (the Jacobian's row
   * order), for a function that returns literals with the fields in another order.
   */
  inDeclaredOrder?: (value: any) => Argument;
}

/** Every check above, at the arguments `args()` gives (called afresh for each evaluation). */
export function expectVectorOutputMatches(compiled: Compiled, name: string, args: () => Argument[], options: VectorCheckOptions = {}): void {
  const { tolerance = 1e-6, step = 1e-3, inDeclaredOrder = (value) => value } = options;
  const source = fn(compiled.source, name) as unknown as VectorFunction;
  const f = (...a: Argument[]) => inDeclaredOrder(source(...a));
  const companion = (exported: string) => fn(compiled.companion, exported) as unknown as (...a: unknown[]) => any;
  const paramNames = parameterNames(source);
  const value = f(...args());
  const rows = leaves(value).map(([path]) => path);

  // the columns: the numbers of the differentiated parameters, named by vjp's gradient
  const zeroAdjoint = mapLeaves(value, () => 0);
  const columns = leaves(companion(`vjp_${name}`)(...args(), zeroAdjoint)).map(([path]) => [paramNames.indexOf(path[0] as string), ...path.slice(1)]);
  columns.forEach((column) => expect(column[0], `gradient key of ${name}`).toBeGreaterThanOrEqual(0));

  const before = args();
  const jacobian = companion(`jacobian_${name}`)(...before) as number[][];
  expect(before, `jacobian_${name} leaves its arguments unchanged`).toEqual(args());
  expect(jacobian.length, `rows of jacobian_${name}`).toBe(rows.length);
  rows.forEach((row, r) => {
    expect(jacobian[r]!.length, `columns of row ${r}`).toBe(columns.length);
    const fr = (...a: Argument[]) => numberAt(f(...a), row);
    columns.forEach((column, c) => {
      const numeric = partialAt(fr, args(), column, step);
      const entry = jacobian[r]![c]!;
      expect(closeTo(entry, numeric, tolerance), `J[${r}][${c}] = ∂${name}${pathText(row)}/∂${paramNames[column[0] as number]}${pathText(column.slice(1))}: ${entry}, finite differences ${numeric}`).toBe(true);
    });
  });

  // vjp with an output adjoint of distinct numbers: against the finite difference of u·f
  let k = 0;
  const u = mapLeaves(value, () => 0.5 + 0.37 * k++ * (k % 2 === 0 ? 1 : -1));
  const uRow = leaves(u).map(([, v]) => v);
  const { value: vjpValue, grad } = companion(`valueAndVjp_${name}`)(...args(), u);
  expect(vjpValue).toStrictEqual(source(...args()));
  expect(companion(`vjp_${name}`)(...args(), u)).toEqual(grad);
  const dot = (...a: Argument[]) => leaves(f(...a)).reduce((sum, [, v], i) => sum + uRow[i]! * v, 0);
  const gradLeaves = leaves(grad);
  expect(gradLeaves.length).toBe(columns.length);
  gradLeaves.forEach(([path, adjoint], c) => {
    const numeric = partialAt(dot, args(), columns[c]!, step);
    expect(closeTo(adjoint, numeric, tolerance), `(uᵀJ)${pathText(path)}: ${adjoint}, finite differences ${numeric}`).toBe(true);
    // and uᵀ·J from the Jacobian's column c
    const fromJacobian = jacobian.reduce((sum, row, r) => sum + uRow[r]! * row[c]!, 0);
    expect(closeTo(adjoint, fromJacobian, Math.max(1e-9, tolerance * 1e-3)), `(uᵀJ)${pathText(path)}: ${adjoint}, from the Jacobian ${fromJacobian}`).toBe(true);
  });
}

/** The value with every number replaced by `next()`, in `leaves` order (typed arrays stay typed). */
export function mapLeaves(value: Argument, next: () => number): Argument {
  if (typeof value === 'number') return next();
  if (value instanceof Float32Array) return Float32Array.from(value, () => next());
  if (ArrayBuffer.isView(value)) return Float64Array.from(value as Float64Array, () => next());
  if (Array.isArray(value)) return value.map((v) => mapLeaves(v, next)) as Argument;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, mapLeaves(v, next)]));
}

function numberAt(value: Argument, path: Path): number {
  let holder: any = value;
  for (const key of path) holder = holder[key];
  return holder as number;
}

const pathText = (path: Path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');

/** The parameter names of a compiled function, read from its JavaScript source. */
function parameterNames(f: (...args: never[]) => unknown): string[] {
  const match = /^[^(]*\(([^)]*)\)/.exec(f.toString());
  return (match?.[1] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}
