/**
 * Arrays, typed arrays, tuples and objects: gradients shaped like the parameters, checked entry by
 * entry against finite differences.
 */
import { describe, expect, it } from 'vitest';
import { compileSource, fn } from '../support/compile.js';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';

const source = `
/** @differentiable */
export function dot(a: number[], b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** @differentiable */
export function readonlyNorm(a: readonly number[]): number {
  let s = 0;
  for (const x of a) s += x * x;
  return Math.sqrt(s);
}

/** @differentiable */
export function inPlace(a: number[], w: number): number {
  const v = a.slice();
  for (let i = 0; i < v.length; i++) {
    v[i] *= w;
    v[i] += v[i]! * v[i]!;
  }
  let s = 0;
  for (const e of v) s += e;
  return s;
}

/** @differentiable(wrt: x) */
export function gather(x: Float64Array, index: number[]): number {
  // repeated indices accumulate
  let s = 0;
  for (let k = 0; k < index.length; k++) s += Math.sin(x[index[k]!]!) * (k + 1);
  return s;
}

/** @differentiable */
export function matrix(m: number[][], v: number[]): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) {
    const row = m[i]!;
    let dot = 0;
    for (let j = 0; j < row.length; j++) dot += row[j]! * v[j]!;
    s += Math.tanh(dot);
  }
  return s;
}

/** @differentiable */
export function tuple(p: [number, number], q: readonly [number, number, number]): number {
  const [x, y] = p;
  return x * q[0] + y * q[1] - q[2] * x * y;
}

interface Body {
  position: { x: number; y: number };
  mass: number;
}

/** @differentiable */
export function objects(body: Body, g: number): number {
  const { position, mass } = body;
  const energy = { kinetic: 0.5 * mass * position.x * position.x, potential: mass * g * position.y };
  energy.kinetic *= 1.5;
  return energy.kinetic + energy.potential;
}

/** @differentiable */
export function builders(x: number, y: number): number {
  const a = [x, y, x * y];
  const b = new Array(3).fill(x);
  const c = new Float64Array(4);
  const d: number[] = [];
  for (let i = 0; i < 4; i++) {
    c[i] = a[i % 3]! + b[i % 3]! * i;
    d.push(c[i]! * y);
  }
  const e = Array.from(d);
  e[0] = e[0]! * e[1]!;
  let s = 0;
  for (const value of e) s += value;
  return s + c[3]!;
}

/** @differentiable */
export function overwrite(a: Float64Array): number {
  // each write overwrites a value the reverse sweep still needs
  const v = new Float64Array(a);
  for (let pass = 0; pass < 3; pass++) {
    for (let i = 1; i < v.length; i++) v[i] = Math.sin(v[i]! * v[i - 1]!);
  }
  return v[v.length - 1]!;
}

/** @differentiable */
export function writesArgument(a: number[]): number {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * a[i]!;
  return a[0]! + a[1]!;
}

/** @differentiable */
export function float32(a: Float32Array): number {
  return a[0]! * a[1]!;
}

/** @differentiable */
export function slices(a: number[]): number {
  const tail = a.slice(-2);
  const middle = a.slice(1, 3);
  return tail[0]! * middle[1]! + tail[1]!;
}
`;

const cases: Array<[string, () => Argument[], string[]]> = [
  ['dot', () => [[0.5, -1.2, 2], new Float64Array([1.5, 0.3, -0.7])], ['a', 'b']],
  ['readonlyNorm', () => [[0.5, -1.2, 2]], ['a']],
  ['inPlace', () => [[0.5, -1.2, 2, 0.1], 1.3], ['a', 'w']],
  ['gather', () => [new Float64Array([0.1, 0.7, -0.4, 1.2]), [2, 0, 2, 3, 2]], ['x']],
  ['matrix', () => [[[0.1, 0.2], [-0.3, 0.5], [0.7, -0.1]], [0.4, -0.9]], ['m', 'v']],
  ['tuple', () => [[0.3, -1.1], [2, 0.5, 1.5]], ['p', 'q']],
  ['objects', () => [{ position: { x: 0.3, y: 1.2 }, mass: 2.5 }, 9.81], ['body', 'g']],
  ['builders', () => [0.7, -1.3], ['x', 'y']],
  ['overwrite', () => [new Float64Array([0.3, 0.9, -0.5, 1.1])], ['a']],
  ['writesArgument', () => [[0.3, -0.8, 2]], ['a']],
  ['float32', () => [new Float32Array([0.5, -1.5])], ['a']],
  ['slices', () => [[0.3, -0.8, 2, 1.4]], ['a']],
];

describe.each(cases)('%s', (name, makeArgs, params) => {
  it('matches finite differences in every entry, shaped like the parameters', async () => {
    const compiled = await compileSource(source, 'arrays.ts');
    const f = fn(compiled.source, name) as unknown as (...args: Argument[]) => number;
    const grad = (fn(compiled.companion, `grad_${name}`) as unknown as (...args: Argument[]) => Record<string, Argument>)(...makeArgs());
    const { value } = (fn(compiled.companion, `valueAndGrad_${name}`) as unknown as (...args: Argument[]) => { value: number })(...makeArgs());
    expect(value).toBe(f(...makeArgs()));
    expect(Object.keys(grad)).toEqual(params);
    params.forEach((param, i) => {
      const [g, arg] = [grad[param]!, makeArgs()[i]!];
      // shaped like the parameter: the same kind of container, the same length
      expect(Array.isArray(g), param).toBe(Array.isArray(arg));
      expect(ArrayBuffer.isView(g) && g.constructor.name, param).toBe(ArrayBuffer.isView(arg) && arg.constructor.name);
      if (Array.isArray(arg) || ArrayBuffer.isView(arg)) expect((g as number[]).length, param).toBe((arg as number[]).length);
    });
    // Float32Array arguments round every perturbed value to single precision: the finite
    // differences then carry errors of about 1e-4.
    const tolerance = makeArgs().some((a) => a instanceof Float32Array) ? 1e-3 : 1e-5;
    for (const [path, adjoint] of leaves(grad)) {
      const argIndex = params.indexOf(path[0] as string);
      const numeric = partialAt(f, makeArgs(), [argIndex, ...path.slice(1)]);
      expect(closeTo(adjoint, numeric, tolerance), `${name}: ∂/∂${path.join('.')}: adjoint ${adjoint}, finite differences ${numeric}`).toBe(true);
    }
  });
});
