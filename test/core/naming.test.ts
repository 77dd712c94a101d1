/**
 * Generated names never clash with the user's (naming.ts). Sources deliberately use every pattern
 * Adjoint generates names by, for module-level names of every kind the companion holds:
 *
 *   - helpers that stay calls (they make an array; or, in the Hessian's companion, they recurse), whose copies sit beside the generated functions: named like
 *     the exports (grad_f, valueAndGrad_f, jvp_f, vjp_g, jacobianRow_g, …), the backprops and tangent
 *     functions (backprop_f, tangent_f, tangent_backprop_f), the parts of a split function
 *     (backprop_f_part2), and the second stage of a Hessian (jvp_grad_f, tangent_grad_f);
 *   - helpers that are inlined, module constants that are copied, helpers imported from another
 *     module (copied) and a derivative rule imported from there, named like locals the generated
 *     code declares (d_x, dot_x, k, frame, tape, tripCount, direction, hessian, …);
 *   - a global function (`declare function Tape`) that the companion must call by its name;
 *   - a marked grad_f, whose jvp_grad_f (forward) is also the name of the jvp of f's gradient that
 *     f's Hessian needs.
 *
 * Every companion type-checks under strict options (no TS2393 duplicate function, no TS2451
 * redeclared name, no name read before its declaration) and its gradients, Jacobians and Hessians
 * match finite differences. A global function named like an export cannot be renamed: AD1150.
 */
import { compile, type CompileResult } from '@adjoint/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValueAndGradientAt } from '../support/gradient-check.js';
import { expectVectorOutputMatches } from '../support/jacobian-check.js';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';
import { loadModule, type ModuleExports } from '../support/load.js';
import { typeErrors } from '../support/type-check.js';

/**
 * A helper that stays a call (it makes an array, which inlining does not copy into its callers,
 * 3-optimize/inline.ts), so that its copy sits in the companion under its name or one close to it.
 * (A recursive helper is no longer copied into a companion with shared tapes: its two sweeps are
 * called apart, 4-differentiate/recursive-calls.ts.)
 */
const keptCall = (name: string, c: number) => `function ${name}(u: number, n: number): number {\n  const t = [u, n * u];\n  t.push(Math.sin(u));\n  return t[0]! * ${c} + t[1]! * t[2]!;\n}`;
/** A helper that stays a call because it recurses (in a companion with local tapes, as a Hessian's, it is copied). */
const recursive = (name: string, c: number) => `function ${name}(u: number, n: number): number {\n  return n <= 0 ? u * ${c} : Math.sin(${name}(u, n - 1)) + ${c} * u;\n}`;
/** A helper small enough to be inlined. */
const inlined = (name: string, c: number) => `function ${name}(u: number): number {\n  return u * ${c} + 0.125;\n}`;
const constants = (names: string[]) => names.map((name, i) => `const ${name} = ${(0.25 + i / 16).toFixed(4)};`).join('\n');
/** A sum of calls of the helpers and reads of the constants, to be added to a number `s`. */
const uses = (helpers: string[], inlinedHelpers: string[], consts: string[], s: string) =>
  [...helpers.map((h, i) => `${h}(${s} * ${(0.3 + i / 20).toFixed(2)}, ${1 + (i % 2)})`), ...inlinedHelpers.map((h) => `${h}(${s})`), ...consts.map((c) => `${c} * ${s}`)].join(' +\n    ');

// ---- a companion with shared tapes, split into parts, with forward mode and a vector output ----

const F_HELPERS = ['grad_f', 'valueAndGrad_f', 'jvp_f', 'backprop_f', 'tangent_f', 'f_part2', 'backprop_f_part2', 'backprop_f_part3', 'tangent_f_part2', 'local_f'];
const G_HELPERS = ['vjp_g', 'valueAndVjp_g', 'jacobian_g', 'jacobianRow_g', 'jacobianColumn_g', 'jvp_g', 'backprop_g', 'tangent_g', 'g_part2'];
const SHARED_INLINED = ['d_x', 'dot_x', 'd_y', 'next_s', 'again', 'carried'];
const SHARED_CONSTANTS = ['tape', 'savedArrays', 'Revolve', 'tripCount', 'frame', 'objects', 'k', 'iteration', 'element', 'result', 'd_result', 'value', 'grad', 'trips', 'merged', 'prod'];

const helpersModule = `${keptCall('valueAndGrad_h', 0.5)}

export function smoothClip(u: number): number {
  return u / Math.sqrt(1 + u * u);
}

/** d/du u/√(1+u²) = (1+u²)^(-3/2) */
/** @adjointOf smoothClip */
export function backprop_h(u: number, dResult: number): { u: number } {
  return { u: dResult / ((1 + u * u) * Math.sqrt(1 + u * u)) };
}

export function tangent_h(u: number): number {
  const t = [u, 2 * u];
  t.push(u);
  return t[0]! * t[1]! - Math.cos(t[2]!);
}
export { valueAndGrad_h };
`;

const sharedSource = `import { valueAndGrad_h, smoothClip, tangent_h } from './clash-helpers';

/** Provided by the host (the test sets it on globalThis): its name stays in the companion. */
declare function Tape(u: number): number;

/** d/du sin(u) = cos(u) */
/** @adjointOf Tape */
export function tapeAdjoint(u: number, dResult: number): { u: number } {
  return { u: dResult * Math.cos(u) };
}

${constants(SHARED_CONSTANTS)}

${[...F_HELPERS, ...G_HELPERS].map((h, i) => keptCall(h, 0.1 + i / 50)).join('\n\n')}

${SHARED_INLINED.map((h, i) => inlined(h, 0.2 + i / 10)).join('\n\n')}

/** @differentiable(forward) */
export function f(x: number, y: number[]): number {
  let s = x * 0.5 + Tape(x) * 0.25;
  s = 0.1 * (${uses(F_HELPERS, SHARED_INLINED, SHARED_CONSTANTS, 's')});
  for (let i = 0; i < y.length; i++) s = Math.sin(s * k + y[i]! * element) + d_x(s) * 0.5;
  for (let i = 0; i < y.length; i++) for (let j = i; j < y.length; j++) s += 0.1 * y[i]! * y[j]! * Math.cos(s);
  // @checkpoint(snapshots: 2)
  for (let j = 0; j < 6; j++) s = Math.cos(s) * frame + objects * s + 0.01 * y[j % y.length]!;
  return s + valueAndGrad_h(x, 2) + smoothClip(s * y[0]!) + tangent_h(s);
}

/** @differentiable(forward) */
export function g(w: number[]): number[] {
  const s = 0.1 * (${uses(G_HELPERS, ['dot_x'], ['trips', 'merged'], 'w[0]!')});
  return [s * w[1]!, Math.sin(s + w[2]!), tangent_h(w[0]!) * grad];
}
`;

// ---- a companion with second-order exports (its view, with local tapes, differentiated again) ----

const HESSIAN_HELPERS = ['jvp_valueAndGrad_f', 'jvp_valueAndGrad_f_2', 'valueGradAndHvp_f', 'adjointOfGrad_f', 'dGrad', 'jvp_grad_f_2', 'jvp_grad_f', 'tangent_grad_f', 'tangent_backprop_f', 'tangent_valueAndGrad_f', 'backprop_f', 'backprop_grad_f', 'hvp_f', 'hessian_f', 'hessianRow_f', 'tangent_jvp_grad_f', 'valueAndGrad_f'];
const HESSIAN_CONSTANTS = ['v_x', 'v_y', 'direction', 'hessian', 'tape', 'tapeTop', 'Revolve', 'tripCount', 'd_x', 'dot_x', 'column'];

const hessianSource = `${constants(HESSIAN_CONSTANTS)}

${HESSIAN_HELPERS.map((h, i) => recursive(h, 0.1 + i / 40)).join('\n\n')}

/** @differentiable(hessian) */
export function f(x: number, y: number[]): number {
  let s = x * y[0]!;
  s = 0.1 * (${uses(HESSIAN_HELPERS, [], HESSIAN_CONSTANTS, 's')});
  for (let i = 0; i < y.length; i++) s = Math.sin(s + y[i]! * x) + 0.5 * s * y[i]!;
  return s * s;
}

/** Its forward mode exports jvp_grad_f: the jvp of f's gradient that f's Hessian calls is named apart. */
/** @differentiable(forward, hessian) */
export function grad_f(x: number, y: number): number {
  return jvp_grad_f(x * y, 2) + Math.exp(0.3 * x) * y * y;
}
`;

interface Compiled {
  result: CompileResult;
  texts: Record<string, string>;
  modules: Record<string, ModuleExports>;
}

/** Compiles the files together; loads every source and companion (companions after the sources they import). */
async function compileAll(files: Record<string, string>, maxPartSize?: number): Promise<Compiled> {
  const result = await compile(Object.entries(files).map(([path, text]) => ({ path, text })), { maxPartSize, format: false });
  const texts: Record<string, string> = { ...files };
  for (const output of result.outputs) texts[output.companionPath] = output.text;
  const modules: Record<string, ModuleExports> = {};
  const specifier = (path: string) => `./${path.replace(/\.ts$/, '')}`;
  const load = (path: string) => (modules[specifier(path)] = loadModule(texts[path]!, path, modules));
  Object.keys(files).filter((p) => p.includes('helpers')).forEach(load);
  Object.keys(files).filter((p) => !p.includes('helpers')).forEach(load);
  result.outputs.forEach((o) => load(o.companionPath));
  return { result, texts, modules };
}

const errorsOf = (result: CompileResult) => result.diagnostics.filter((d) => d.category === 'error').map((d) => `${d.code} ${d.location?.file}:${d.location?.line} ${d.message}`);
/** The names the companion declares at module level, each once. */
const declaredNames = (text: string) => [...text.matchAll(/^(?:export )?(?:function|const|class) (\w+)/gm)].map((m) => m[1]!);
const duplicates = (names: string[]) => names.filter((name, i) => names.indexOf(name) !== i);

describe('a companion with shared tapes, parts, forward mode and a vector output', () => {
  const files = { 'clash.ts': sharedSource, 'clash-helpers.ts': helpersModule };
  let compiled: Compiled;
  beforeAll(async () => {
    (globalThis as Record<string, unknown>).Tape = Math.sin;
    // parts of at most 60: the backprops and tangent functions are split
    compiled = await compileAll(files, 60);
  });
  afterAll(() => delete (globalThis as Record<string, unknown>).Tape);

  it('compiles without errors to a companion that declares each name once and type-checks', () => {
    expect(errorsOf(compiled.result)).toEqual([]);
    const companion = compiled.texts['clash.grad.ts']!;
    expect(duplicates(declaredNames(companion))).toEqual([]);
    // the exports keep the names of the contract; the copies of the helpers named like them, and
    // the generated functions and classes named like a helper or a constant, are named apart
    const declared = declaredNames(companion);
    for (const name of ['grad_f', 'valueAndGrad_f', 'jvp_f', 'vjp_g', 'valueAndVjp_g', 'jacobian_g', 'jvp_g']) expect(companion, name).toMatch(new RegExp(`^export function ${name}\\(`, 'm'));
    for (const name of ['backprop_f', 'tangent_f', 'backprop_f_part2', 'jacobianRow_g', 'jacobianColumn_g', 'tangent_g', 'Revolve', 'tripCount']) {
      expect(declared.filter((d) => d === name || new RegExp(`^${name}_\\d+$`).test(d)).length, name).toBeGreaterThan(1);
    }
    // the global Tape is called by its name; the tape class is named apart
    expect(companion).toMatch(/\bTape\(/);
    expect(companion).not.toMatch(/^class Tape\b/m);
    const checked = typeErrors({ ...compiled.texts, 'clash.ts': `${sharedSource}\ndeclare global { function Tape(u: number): number; }\n`.replace('declare function Tape(u: number): number;', '') });
    expect(checked.filter((e) => e.startsWith('clash.grad.ts'))).toEqual([]);
  });

  it('f: the gradient matches finite differences, and jvp_f agrees with it', () => {
    const args = () => [0.3, [0.4, -0.2, 0.7, 0.1]] as Argument[];
    const view = { result: compiled.result, text: compiled.texts['clash.grad.ts']!, source: compiled.modules['./clash']!, companion: compiled.modules['./clash.grad']! };
    expectValueAndGradientAt(view, 'f', args);
    const { grad } = (view.companion.valueAndGrad_f as (...a: Argument[]) => { grad: { x: number; y: number[] } })(...args());
    const direction = [0.5, [1, -1, 0.25, 2]] as const;
    const { tangent } = (view.companion.jvp_f as (...a: unknown[]) => { tangent: number })(...args(), ...direction);
    const dot = grad.x * direction[0] + grad.y.reduce((sum, d, i) => sum + d * direction[1][i]!, 0);
    expect(closeTo(tangent, dot, 1e-9), `${tangent} vs ${dot}`).toBe(true);
  });

  it('g: its Jacobian and vector-Jacobian products match finite differences', () => {
    const view = { result: compiled.result, text: compiled.texts['clash.grad.ts']!, source: compiled.modules['./clash']!, companion: compiled.modules['./clash.grad']! };
    expectVectorOutputMatches(view, 'g', () => [[0.4, -0.3, 0.9]]);
  });
});

describe('a companion with second-order exports', () => {
  const files = { 'clash-hessian.ts': hessianSource };
  let compiled: Compiled;
  beforeAll(async () => {
    compiled = await compileAll(files);
  });

  it('compiles without errors to a companion that declares each name once and type-checks', () => {
    expect(errorsOf(compiled.result)).toEqual([]);
    const companion = compiled.texts['clash-hessian.grad.ts']!;
    expect(duplicates(declaredNames(companion))).toEqual([]);
    // grad_f's forward export keeps its contract name; f's Hessian calls its own jvp of valueAndGrad_f
    expect(companion).toMatch(/^export function jvp_grad_f\(/m);
    const hvp = /^export function hvp_f\([^]*?^}/m.exec(companion)![0];
    const called = /return (jvp_valueAndGrad_f(?:_\d+)?)\(/.exec(hvp)?.[1];
    expect(called, hvp).toBeDefined();
    expect(companion).toMatch(new RegExp(`^function ${called}\\(`, 'm'));
    expect(typeErrors(compiled.texts).filter((e) => e.startsWith('clash-hessian.grad.ts'))).toEqual([]);
  });

  it("f's and grad_f's gradients and Hessians match finite differences", () => {
    const source = compiled.modules['./clash-hessian']!;
    const companion = compiled.modules['./clash-hessian.grad']!;
    const view = { result: compiled.result, text: compiled.texts['clash-hessian.grad.ts']!, source, companion };
    const points: Record<string, () => Argument[]> = { f: () => [0.3, [0.4, -0.2, 0.7]], grad_f: () => [0.3, -0.6] };
    for (const [name, args] of Object.entries(points)) {
      expectValueAndGradientAt(view, name, args);
      // H[r][c] = ∂(∂f/∂input_r)/∂input_c, each row against differences of the generated gradient
      const hessian = (companion[`hessian_${name}`] as (...a: Argument[]) => number[][])(...args());
      const gradient = companion[`grad_${name}`] as (...a: Argument[]) => Argument;
      const inputs = leaves(args()).map(([path]) => path);
      hessian.forEach((row, r) => {
        const rowOf = (...a: Argument[]) => leaves(gradient(...a))[r]![1];
        row.forEach((entry, c) => {
          const numeric = partialAt(rowOf, args(), inputs[c]! as number[]);
          expect(closeTo(entry, numeric, 1e-6), `H_${name}[${r}][${c}]: ${entry} vs ${numeric}`).toBe(true);
        });
      });
    }
    // grad_f's own jvp (its forward export) along a direction: the dot product with its gradient
    const { grad } = (companion.valueAndGrad_grad_f as (...a: number[]) => { grad: { x: number; y: number } })(0.3, -0.6);
    const { tangent } = (companion.jvp_grad_f as (...a: number[]) => { tangent: number })(0.3, -0.6, 1, 0.5);
    expect(closeTo(tangent, grad.x + 0.5 * grad.y, 1e-9)).toBe(true);
  });
});

describe('a global function named like a generated export', () => {
  it('is AD1150: the companion could neither rename it nor its export', async () => {
    const source = [
      'declare function grad_f(x: number): number;',
      '/** @adjointOf grad_f */',
      'export function gradFAdjoint(x: number, dResult: number): { x: number } {',
      '  return { x: dResult * 2 * x };',
      '}',
      '/** @differentiable */',
      'export function f(x: number, y: number): number {',
      '  return grad_f(x) * y;',
      '}',
    ].join('\n');
    const result = await compile([{ path: 'global.ts', text: source }]);
    expect(result.outputs).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.location?.line, d.location?.column])).toEqual([['AD1150', 8, 10]]);
    expect(result.diagnostics[0]!.message).toContain("the global function 'grad_f'");
  });
});
