/**
 * Vector outputs: a marked function returning numbers in an array, typed array, tuple or object
 * gets valueAndVjp_f, vjp_f and jacobian_f instead of grad_f. Every Jacobian entry and every vjp
 * is checked against finite differences (and the vjp against uᵀ·J); the order of rows and columns
 * is pinned by Jacobians derived by hand.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource, fn, type Compiled } from '../support/compile.js';
import { closeTo, type Argument } from '../support/finite-difference.js';
import { expectVectorOutputMatches } from '../support/jacobian-check.js';

const source = readFileSync(fileURLToPath(new URL('vector-outputs-case.ts.txt', import.meta.url)), 'utf8');
const compiled = (): Promise<Compiled> => compileSource(source, 'vectors.ts');
const exported = async (name: string) => fn((await compiled()).companion, name) as unknown as (...args: unknown[]) => any;

describe('vector outputs against finite differences', () => {
  const cases: Array<[string, () => Argument[]]> = [
    ['polar', () => [1.3, 0.7]],
    ['layout', () => [0.9, [0.4, -1.2], { p: 0.3, q: [0.8] }]],
    ['clipped', () => [[0.5, -0.3, -1.5, 1.2, 2.5, 0.7], 1.4]],
    ['clipped', () => [[-2, 0.4], -0.6]],
    ['smooth', () => [new Float64Array([0.3, -0.8, 1.1, 0.4]), 0.35]],
    ['tail', () => [[1.5, -0.4, 2.2, 0.9]]],
    ['scaleInPlace', () => [[0.6, -1.1, 0.8], 1.7]],
    ['identity', () => [[0.6, -1.1, 0.8]]],
    ['secondRow', () => [[[0.1, 0.2], [0.7, -0.3], [1.5, 2]], 1.9]],
    ['writtenAfter', () => [1.3, -0.6]],
    ['outer', () => [[0.5, -1.5], [2, 0.25, -0.75]]],
    ['powers', () => [1.1, 5]],
    ['frame', () => [[[1, 0.5], [-0.3, 0.8], [0.2, -1.4]], 0.6]],
    ['single', () => [new Float32Array([0.5, -1.25, 0.75])]],
    ['doubled', () => [[]]],
    ['ordered', () => [0.8, 1]],
    ['ordered', () => [0.8, -6]],
    ['ordered', () => [0.8, -1]],
    ['firstAbove', () => [[0.2, 1.5, 3], 1.1]],
    ['firstAbove', () => [[0.2, 0.5], 1.1]],
    ['scaleFirst', () => [[0.7, -0.2, 1.3], 1.6]],
    ['spread', () => [0.4, -1.3]],
  ];
  it.each(cases)('%s', async (name, args) => {
    // Float32Array arithmetic rounds f itself to single precision: finite differences are rougher
    const options = name === 'single' ? { tolerance: 1e-3, step: 1e-2 } : name === 'ordered' ? { inDeclaredOrder: ({ low, high }: any) => ({ low, high }) } : {};
    expectVectorOutputMatches(await compiled(), name, args, options);
  });
});

describe('with forward mode, jacobian_f takes columns by jvp when the inputs are fewer', () => {
  // the same functions marked @differentiable(forward): jacobian_f may take J a column at a time
  const forwardSource = source.replace(/@differentiable(\(wrt: [^)]*\))? \*\//g, (_, wrt?: string) => `@differentiable(${wrt ? `forward, ${wrt.slice(1, -1)}` : 'forward'}) */`);
  const forward = (): Promise<Compiled> => compileSource(forwardSource, 'vectors-forward.ts');
  const cases: Array<[string, () => Argument[]]> = [
    ['polar', () => [1.3, 0.7]], // 2 outputs, 2 inputs: rows
    ['layout', () => [0.9, [0.4, -1.2], { p: 0.3, q: [0.8] }]], // 7 outputs, 5 inputs: columns
    ['clipped', () => [[0.5, -0.3, -1.5, 1.2, 2.5, 0.7], 1.4]], // 4 outputs, 7 inputs: rows
    ['smooth', () => [new Float64Array([0.3, -0.8, 1.1, 0.4]), 0.35]], // 4, 5: rows
    ['scaleInPlace', () => [[0.6, -1.1, 0.8], 1.7]], // 3, 4: rows, writing into the argument
    ['writtenAfter', () => [1.3, -0.6]], // 4, 2: columns
    ['outer', () => [[0.5, -1.5], [2, 0.25, -0.75]]], // 6, 5: columns
    ['powers', () => [1.1, 5]], // 5, 1: columns
    ['frame', () => [[[1, 0.5], [-0.3, 0.8], [0.2, -1.4]], 0.6]], // 8, 7: columns, through helpers
    ['secondRow', () => [[[0.1, 0.2], [0.7, -0.3], [1.5, 2]], 1.9]], // 2, 7: rows
    ['ordered', () => [0.8, 1]], // 3, 1: columns
    ['doubled', () => [[]]], // 0, 0: rows (none)
    ['spread', () => [0.4, -1.3]], // 3, 2: columns, known from the types
  ];
  it.each(cases)('%s: every entry matches finite differences and the Jacobian by reverse mode', async (name, args) => {
    const options = name === 'ordered' ? { inDeclaredOrder: ({ low, high }: any) => ({ low, high }) } : {};
    const withForward = await forward();
    expectVectorOutputMatches(withForward, name, args, options);
    const byForward = fn(withForward.companion, `jacobian_${name}`)(...(args() as never[])) as unknown as number[][];
    const byReverse = fn((await compiled()).companion, `jacobian_${name}`)(...(args() as never[])) as unknown as number[][];
    expect(byForward.map((row) => row.length)).toEqual(byReverse.map((row) => row.length));
    byForward.forEach((row, r) => row.forEach((entry, c) => expect(closeTo(entry, byReverse[r]![c]!, 1e-12), `J[${r}][${c}]: forward ${entry}, reverse ${byReverse[r]![c]}`).toBe(true)));
  });

  it('chooses when the types fix both counts, and in the generated code when they do not', async () => {
    const { text } = await forward();
    const body = (name: string) => text.slice(text.indexOf(`export function jacobian_${name}(`), text.indexOf('\n}\n', text.indexOf(`export function jacobian_${name}(`)));
    // spread: [number, number, number] of two numbers; outer: arrays of any length
    expect(body('spread')).toMatch(/Columns by forward mode/);
    expect(body('spread')).not.toMatch(/Rows by reverse mode|outputs/);
    expect(body('outer')).toMatch(/if \(outputs <= inputs\) \{\n\s*\/\/ Rows by reverse mode/);
    expect(body('outer')).toMatch(/\} else \{\n\s*\/\/ Columns by forward mode/);
  });
});

describe('the layout of the Jacobian, derived by hand', () => {
  it('polar: rows x, y; columns r, θ', async () => {
    const [r, t] = [1.3, 0.7];
    // x = r cos θ, y = r sin θ
    expect((await exported('jacobian_polar'))(r, t)).toEqual([
      [Math.cos(t), -r * Math.sin(t)],
      [Math.sin(t), r * Math.cos(t)],
    ]);
  });

  it('layout: output fields in declaration order, inputs in parameter order, elements in index order', async () => {
    const [a, v0, v1, p, q0] = [0.9, 0.4, -1.2, 0.3, 0.8];
    const jacobian = (await exported('jacobian_layout'))(a, [v0, v1], { p, q: [q0] });
    // columns:      a        v[0]    v[1]       o.p   o.q[0]
    expect(jacobian).toEqual([
      [v0, a, 0, 1, 0], //              s = a·v0 + p
      [0, 0, 2 * v1, 0, 0], //          t[0] = v1²
      [q0, 0, 0, 0, a], //              t[1] = a·q0
      [1, 0, 0, 0, 0], //               m[0][0] = a
      [0, p, 0, v0, 0], //              m[0][1] = v0·p
      [0, 0, 0, 0, Math.exp(q0)], //    m[1][0] = exp(q0)
      [v1, 0, a, 0, 0], //              m[1][1] = a·v1
    ]);
  });

  it('ordered: object fields in the order the type declares them, whatever the order of the literal', async () => {
    const x = 2;
    // columns: x; rows: low = x², high[0] = 2x, high[1] = x
    expect((await exported('jacobian_ordered'))(x, 1)).toEqual([[2 * x], [2], [1]]);
    // low = sin x, high[0] = 3x
    expect((await exported('jacobian_ordered'))(x, -1)).toEqual([[Math.cos(x)], [3]]);
    expect((await exported('jacobian_ordered'))(x, -6)).toEqual([[0]]);
  });

  it('scaleFirst: the output is an argument not differentiated; its column of s only', async () => {
    const s = 1.6;
    // v[0]·s, v[1] + sin s, v[2]
    expect((await exported('jacobian_scaleFirst'))([0.7, -0.2, 1.3], s)).toEqual([[0.7], [Math.cos(s)], [0]]);
  });

  it('identity: J = I, and the vjp of the identity is the output adjoint', async () => {
    expect((await exported('jacobian_identity'))([0.6, -1.1, 0.8])).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect((await exported('vjp_identity'))([0.6, -1.1, 0.8], [3, -2, 5])).toEqual({ v: [3, -2, 5] });
  });

  it('powers: a row per element, as many as the argument says; the size is not a column', async () => {
    const x = 1.1;
    // p[i] = xⁱ, dp[i]/dx = i·xⁱ⁻¹
    const jacobian = (await exported('jacobian_powers'))(x, 4) as number[][];
    expect(jacobian.map((row) => row.length)).toEqual([1, 1, 1, 1]);
    [0, 1, 2 * x, 3 * x * x].forEach((expected, i) => expect(jacobian[i]![0]).toBeCloseTo(expected, 14));
    expect((await exported('jacobian_powers'))(x, 0)).toEqual([]);
  });
});

describe('the exports of a function with a vector output', () => {
  it('are valueAndVjp_f, vjp_f and jacobian_f, not grad_f', async () => {
    const { companion, result } = await compiled();
    for (const name of ['polar', 'layout', 'frame']) {
      expect(Object.keys(companion)).toEqual(expect.arrayContaining([`valueAndVjp_${name}`, `vjp_${name}`, `jacobian_${name}`]));
      expect(companion[`grad_${name}`]).toBeUndefined();
      expect(companion[`valueAndGrad_${name}`]).toBeUndefined();
    }
    // a scalar function calling one of them still gets grad_f
    expect(typeof companion.grad_radius2).toBe('function');
    expect(result.diagnostics).toEqual([]);
  });

  it('vjp_f is shaped like grad_f: one property per differentiated parameter, shaped like it', async () => {
    const grad = (await exported('vjp_single'))(new Float32Array([0.5, -1.25]), [1, new Float64Array([2, 3])]);
    expect(Object.keys(grad)).toEqual(['x']);
    expect(grad.x).toBeInstanceOf(Float32Array);
    // value = [x0 + x1, x²]: uᵀJ = [1 + 2·2·x0, 1 + 3·2·x1]
    expect(Array.from(grad.x)).toEqual([1 + 2 * 2 * 0.5, 1 + 3 * 2 * -1.25]);
    expect(Object.keys((await exported('vjp_powers'))(1.1, 3, [1, 1, 1]))).toEqual(['x']);
  });

  it('vjp_f does not change the output adjoint', async () => {
    const u = { a: [1, 2, 3], n: 4 };
    (await exported('vjp_writtenAfter'))(1.3, -0.6, u);
    expect(u).toEqual({ a: [1, 2, 3], n: 4 });
  });

  it('valueAndVjp_f writes into its arguments as f does; jacobian_f works on copies', async () => {
    const v = [0.6, -1.1, 0.8];
    const { value } = (await exported('valueAndVjp_scaleInPlace'))(v, 2, [1, 1, 1]);
    expect(value).toBe(v);
    const written = [0.6, -1.1, 0.8];
    fn((await compiled()).source, 'scaleInPlace')(written as never, 2);
    expect(v).toEqual(written);
    const w = [0.6, -1.1, 0.8];
    (await exported('jacobian_scaleInPlace'))(w, 2);
    expect(w).toEqual([0.6, -1.1, 0.8]);
    expect((await compiled()).text).toMatch(/Each row \(or column\) is computed on copies of the arguments/);
  });

  it('a scalar function calling a function with a vector output matches the formula: d(r²)/dr = 2r', async () => {
    const grad = (await exported('grad_radius2'))(1.3, 0.7);
    expect(grad.r).toBeCloseTo(2 * 1.3, 14);
    expect(grad.theta).toBeCloseTo(0, 14);
  });
});

describe('jacobian_f when a parameter takes another name in the companion', () => {
  // `tape` is the companion's own tape: the exports call the parameter tape_2, but the gradient
  // and its rows still name it `tape`, as f's signature does
  const clash = `
/** @differentiable */
export function spin(tape: number, theta: Float64Array): [number, number] {
  let s = 0;
  for (let i = 0; i < theta.length; i++) s = Math.sin(s + theta[i]! * tape);
  return [tape * Math.cos(s), tape * Math.sin(s)];
}
`;

  it('its rows match finite differences, the renamed number parameter included', async () => {
    const compiled = await compileSource(clash, 'clash.ts');
    expect(compiled.text).toMatch(/export function jacobian_spin\(tape_\d+: number/);
    expectVectorOutputMatches(compiled, 'spin', () => [0.7, new Float64Array([0.3, -1.1, 0.9])]);
  });
});
