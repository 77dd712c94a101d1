/**
 * Forward mode (`@differentiable(forward)`): jvp_f(...args, ...tangents) returns f's value and its
 * directional derivative. For each function of forward-case.ts.txt (straight-line code, branches,
 * loops with early exits, arrays with in-place writes, Float64Array and Float32Array, nested
 * arrays, objects and tuples, calls of helpers that return arrays or write into them, recursion,
 * wrt, stopGradient), at several points and directions, the tangent must match
 *   - Richardson central differences of t ↦ f(args + t·v) at t = 0, and
 *   - the reverse-mode gradient along the direction, Σ ∂f/∂x · v (forward and reverse agree),
 * the value must be f's exactly, and jvp must leave its tangent arguments as they were and its
 * arguments as f leaves them.
 */
import { compile } from '@adjoint/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource, type Compiled } from '../support/compile.js';
import { loadModule } from '../support/load.js';
import { directionalDerivative, directionLike, gradientAlong, seeded } from '../support/directional.js';
import { closeTo, leaves, type Argument } from '../support/finite-difference.js';
import { diskHost } from '../support/disk-host.js';

const SOURCE = readFileSync(fileURLToPath(new URL('./forward-case.ts.txt', import.meta.url)), 'utf8');

interface Case {
  name: string;
  params: string[];
  /** The differentiated parameters (all unless wrt). */
  wrt?: string[];
  points: Array<() => Argument[]>;
  /** Relative tolerance against finite differences (1e-6 unless a reason is given). */
  tolerance?: number;
}

const cases: Case[] = [
  { name: 'poly', params: ['x', 'y'], points: [() => [0.7, -1.2], () => [-1.5, 0.3], () => [2, 2]] },
  {
    name: 'piecewise',
    params: ['x', 'y'],
    points: [() => [0.9, -1.7], () => [0.2, -0.6], () => [0.3, 0.4], () => [-1.4, 0.7], () => [1.1, 1.3], () => [-0.3, 2.6]],
  },
  { name: 'loops', params: ['x', 'y', 'n'], wrt: ['x', 'y'], points: [() => [1.3, 0.4, 4], () => [0.6, -0.8, 3], () => [3.2, 0.5, 6], () => [0.2, 0.1, 0]] },
  { name: 'earlyReturn', params: ['x', 'n'], wrt: ['x'], points: [() => [0.3, 5], () => [1.9, 5], () => [1.2, 2]] },
  { name: 'arrays', params: ['v', 'w', 's'], points: [() => [[0.5, -1.2, 2, 0.3], new Float64Array([0.4, -0.9]), 1.3], () => [[1, 2, 3], new Float64Array([0.1, 0.2, 0.3]), -0.7]] },
  { name: 'inPlace', params: ['v', 's'], points: [() => [new Float64Array([0.5, -1.2, 2]), 1.3], () => [new Float64Array([3, 1]), -0.4]] },
  {
    name: 'nested',
    params: ['m', 'p', 'pair'],
    points: [
      () => [[[1, 2], [0.5, -1], [3, 0.2]], { a: 0.7, b: [0.3, -0.4] }, [1.5, -0.5]],
      () => [[[-1, 0.4, 2], [2, 1, -3]], { a: -1.1, b: [2] }, [0.2, 0.9]],
    ],
  },
  // f rounds the shifted elements of a Float32Array to float32 (relative 6e-8, over a step of 1e-3):
  // finite differences are good to ~1e-3 only; the reverse gradient is checked to 1e-10 as always
  { name: 'single', params: ['v', 's'], points: [() => [new Float32Array([0.5, -1.25, 2]), 1.5]], tolerance: 1e-2 },
  { name: 'calls', params: ['x', 'y', 'v'], points: [() => [0.8, -0.6, [1, 2, -0.5]], () => [-1.3, 0.4, [0.3, 0.2]]] },
  { name: 'partial', params: ['x', 'y', 'ws', 'fixed'], wrt: ['y', 'ws'], points: [() => [0.8, -0.6, [1, 2], [0.5]], () => [-1.3, 1.4, [0.3, -0.2, 4], [2, 1]]] },
];

let compiled: Compiled;
beforeAll(async () => {
  compiled = await compileSource(SOURCE, 'forward-case.ts');
});

type Fn = (...args: Argument[]) => any;
const source = (name: string) => compiled.source[name] as Fn;
const companion = (name: string) => compiled.companion[name] as Fn;

const rows = cases.flatMap((c) =>
  c.points.flatMap((point, p) => [1, 2].map((seed) => ({ title: `${c.name} at point ${p}, direction ${seed}`, c, point, seed: 97 * seed + p }))),
);

describe('jvp_f against finite differences and against the reverse gradient', () => {
  it.each(rows.map((row) => [row.title, row] as const))('%s', (_, { c, point, seed }) => {
    const differentiated = c.params.map((name) => (c.wrt ?? c.params).includes(name));
    const next = seeded(seed);
    const directions = point().map((arg, i) => (differentiated[i] ? directionLike(arg, next) : undefined));
    const tangents = directions.filter((d) => d !== undefined);
    const tangentsBefore = structuredClone(tangents);

    const args = point();
    const { value, tangent } = companion(`jvp_${c.name}`)(...args, ...tangents);
    expect(tangents, 'jvp leaves its tangent arguments as they were').toEqual(tangentsBefore);
    const expectedArgs = point();
    expect(value).toBe(source(c.name)(...expectedArgs));
    expect(args, 'jvp leaves its arguments as f does').toEqual(expectedArgs);

    const numeric = directionalDerivative(source(c.name), point(), directions);
    expect(closeTo(tangent, numeric, c.tolerance ?? 1e-6), `tangent ${tangent}, finite differences ${numeric}`).toBe(true);
    const { grad } = companion(`valueAndGrad_${c.name}`)(...point());
    const reverse = gradientAlong(grad, c.params, directions);
    expect(closeTo(tangent, reverse, 1e-10), `tangent ${tangent}, reverse gradient along the direction ${reverse}`).toBe(true);
  });
});

const vectorCases: Case[] = [
  { name: 'rotate', params: ['p', 'angle'], points: [() => [{ x: 1.5, y: -0.5 }, 0.7], () => [{ x: -2, y: 0.3 }, -2.1]] },
  { name: 'cumulative', params: ['v', 'scale'], wrt: ['v'], points: [() => [new Float64Array([0.5, -1.2, 2]), 1.3]] },
  { name: 'polar', params: ['r', 't'], points: [() => [1.7, 0.4], () => [0.3, -2.5]] },
];

describe('jvp_f of a function returning numbers in a container: the tangent is shaped like the result', () => {
  const vectorRows = vectorCases.flatMap((c) => c.points.map((point, p) => ({ title: `${c.name} at point ${p}`, c, point, seed: 31 + p })));
  it.each(vectorRows.map((row) => [row.title, row] as const))('%s', (_, { c, point, seed }) => {
    const differentiated = c.params.map((name) => (c.wrt ?? c.params).includes(name));
    const next = seeded(seed);
    const directions = point().map((arg, i) => (differentiated[i] ? directionLike(arg, next) : undefined));
    const { value, tangent } = companion(`jvp_${c.name}`)(...point(), ...directions.filter((d) => d !== undefined));
    const expected = source(c.name)(...point());
    expect(value).toEqual(expected);
    // the same shape: an array for an array, a Float64Array for a Float64Array, the same fields
    expect(tangent.constructor).toBe(expected.constructor);
    const tangentLeaves = leaves(tangent);
    expect(tangentLeaves.map(([path]) => path)).toEqual(leaves(expected).map(([path]) => path));
    for (const [path, t] of tangentLeaves) {
      const component = (...args: Argument[]) => path.reduce((holder: any, key) => holder[key], source(c.name)(...args)) as number;
      const numeric = directionalDerivative(component, point(), directions);
      expect(closeTo(t, numeric, 1e-6), `tangent[${path.join('.')}] ${t}, finite differences ${numeric}`).toBe(true);
    }
    // forward and reverse mode agree: the tangent is J·v, J from jacobian_f (reverse mode, by rows;
    // columns are the differentiated inputs' numbers in parameter order)
    const jacobian = companion(`jacobian_${c.name}`)(...point()) as number[][];
    const v = directions.flatMap((d) => (d === undefined ? [] : leaves(d).map(([, x]) => x)));
    tangentLeaves.forEach(([path, t], row) => {
      const product = jacobian[row]!.reduce((sum, entry, column) => sum + entry * v[column]!, 0);
      expect(closeTo(t, product, 1e-12), `tangent[${path.join('.')}] ${t}, (J·v) ${product}`).toBe(true);
    });
  });

  it('rotate: the tangent is the rotation of the tangent point plus the derivative of the rotation, hand-derived', () => {
    const [x, y, a, dx, dy, da] = [1.5, -0.5, 0.7, 0.2, -0.9, 0.4];
    const { tangent } = companion('jvp_rotate')({ x, y }, a, { x: dx, y: dy }, da);
    const [c, s] = [Math.cos(a), Math.sin(a)];
    const expected = [c * dx - s * dy - da * (s * x + c * y), s * dx + c * dy + da * (c * x - s * y), 0];
    tangent.forEach((t: number, i: number) => expect(closeTo(t, expected[i]!, 1e-14), `component ${i}: ${t}, expected ${expected[i]}`).toBe(true));
  });
});

describe('calls of functions imported from another module', () => {
  it('differentiates the imported helper in forward mode too, with the same tangent as reverse mode and finite differences', async () => {
    const helpers = 'export function smoothStep(x: number, width: number): number {\n  const t = Math.min(1, Math.max(0, x / width));\n  return t * t * (3 - 2 * t);\n}\n';
    const main =
      "import { smoothStep } from './helpers';\n/** @differentiable(forward) */\nexport function blend(a: number, b: number, x: number): number {\n  const s = smoothStep(x, 2);\n  return a * (1 - s) + b * s;\n}\n";
    const result = await compile([
      { path: 'main.ts', text: main },
      { path: 'helpers.ts', text: helpers },
    ]);
    expect(result.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
    const output = result.outputs.find((o) => o.sourcePath === 'main.ts')!;
    expect(output.text).toMatch(/function tangent_smoothStep\(/);
    const f = loadModule(main, 'main.ts', { './helpers': loadModule(helpers, 'helpers.ts') }).blend as (...args: number[]) => number;
    const generated = loadModule(output.text, output.companionPath);
    const jvp = generated.jvp_blend as (...args: number[]) => { value: number; tangent: number };
    const grad = generated.grad_blend as (...args: number[]) => Record<string, number>;
    for (const point of [
      [0.5, 2, 0.7],
      [-1, 3, 1.4],
    ]) {
      const v = [0.3, -1.1, 0.8];
      const { value, tangent } = jvp(...point, ...v);
      expect(value).toBe(f(...point));
      const numeric = directionalDerivative(f as (...args: Argument[]) => number, point, v);
      expect(closeTo(tangent, numeric, 1e-6), `tangent ${tangent}, finite differences ${numeric}`).toBe(true);
      expect(closeTo(tangent, gradientAlong(grad(...point), ['a', 'b', 'x'], v), 1e-12)).toBe(true);
    }
  });
});

describe('calls of functions that have only a reverse-mode rule (@adjointOf)', () => {
  it('take the tangent of a number result from the rule: ẏ = Σⱼ ⟨∂y/∂aⱼ, ȧⱼ⟩, container arguments included', async () => {
    const dir = fileURLToPath(new URL('rules-case/', import.meta.url));
    const read = (name: string) => readFileSync(`${dir}${name}`, 'utf8');
    const text = read('loss.ts').replace('@differentiable(wrt: logits, scale)', '@differentiable(forward, wrt: logits, scale)');
    const { outputs, diagnostics } = await compile([{ path: `${dir}loss.ts`, text }], { host: diskHost });
    expect(diagnostics).toEqual([]);
    const companionText = outputs[0]!.text;
    // the rules are called with the adjoint 1 of the result
    expect(companionText).toMatch(/logSumExpAdjoint\(scaled, 1\)/);
    expect(companionText).toMatch(/hostSoftplusAdjoint\(scale, 1\)/);
    (globalThis as Record<string, unknown>).hostSoftplus = (x: number) => Math.log1p(Math.exp(x));
    const stable = loadModule(read('stable.ts'), 'stable.ts');
    const loss = loadModule(read('loss.ts'), 'loss.ts', { './stable': stable });
    const generated = loadModule(companionText, 'loss.grad.ts', { './stable': stable, './loss': loss });
    const f = loss.crossEntropy as (...a: Argument[]) => number;
    const args = (): Argument[] => [[0.3, -1.2, 2.1], 1, 0.8];
    const directions = [[0.5, -0.7, 0.2], undefined, -1.3];
    const { value, tangent } = (generated.jvp_crossEntropy as (...a: unknown[]) => { value: number; tangent: number })(...args(), [0.5, -0.7, 0.2], -1.3);
    expect(value).toBe(f(...args()));
    const numeric = directionalDerivative(f, args(), directions);
    expect(closeTo(tangent, numeric, 1e-6), `tangent ${tangent}, finite differences ${numeric}`).toBe(true);
    const { grad } = (generated.valueAndGrad_crossEntropy as (...a: Argument[]) => { grad: Record<string, Argument> })(...args());
    expect(closeTo(tangent, gradientAlong(grad, ['logits', 'label', 'scale'], directions), 1e-12)).toBe(true);
  });
});

describe('stopGradient', () => {
  it.each([-1.5, 0, 0.7, 2])('jvp of stopGradient(x²)·x + x at x = %s is (x² + 1)·ẋ, as the reverse gradient', (x) => {
    const { value, tangent } = companion('jvp_stopped')(x, 0.6);
    expect(value).toBe(source('stopped')(x));
    expect(closeTo(tangent, (x * x + 1) * 0.6, 1e-14)).toBe(true);
    expect(closeTo(tangent, companion('grad_stopped')(x).x * 0.6, 1e-14)).toBe(true);
  });
});

describe('jvp_f is linear in the tangents', () => {
  it('jvp along a·u + b·v is a·(jvp along u) + b·(jvp along v)', () => {
    const jvp = companion('jvp_poly');
    const along = (dx: number, dy: number) => jvp(0.7, -1.2, dx, dy).tangent as number;
    const [a, b] = [2, -0.5];
    const [u, v] = [
      [0.3, 1.1],
      [-0.5, 0.4],
    ] as const;
    expect(closeTo(along(a * u[0] + b * v[0], a * u[1] + b * v[1]), a * along(...u) + b * along(...v), 1e-12)).toBe(true);
    expect(along(0, 0)).toBe(0);
  });
});

describe('the generated code', () => {
  it('has one jvp export per function marked forward, and tangent functions for the callees (not inlined)', async () => {
    // small helpers are inlined by default: without inlining, every call goes through tangent_g
    const calls = await compileSource(SOURCE, 'forward-case.ts', { inline: false });
    for (const c of cases) expect(calls.text).toContain(`export function jvp_${c.name}(`);
    for (const callee of ['square', 'norm', 'unit', 'accumulate', 'power', 'isEven', 'isOdd']) expect(calls.text).toMatch(new RegExp(`function tangent_${callee}\\(`));
    // count(v) cannot vary: it is called as it is, without a tangent
    expect(calls.text).not.toContain('function tangent_count(');
    // forward mode keeps no tape: the tangent functions never push or pop
    const tangentFunctions = calls.text.split(/\n(?=\/\*\*)/).filter((chunk) => /function (tangent_|jvp_)/.test(chunk));
    expect(tangentFunctions.length).toBeGreaterThan(cases.length);
    for (const chunk of tangentFunctions) expect(chunk).not.toMatch(/tape\.(push|pop)|savedArrays/);
  });
});
