/**
 * Property test of the bugs that show only as disagreement between modes (issue 19): random
 * functions of test/support/random-layout-program.ts, which swap, replace, duplicate and push
 * rows of a matrix argument, replace an object argument's array field, write into an array
 * argument, read slices from computed bounds with `??`, pivot, and carry hostile parameter names.
 * Each is marked `forward` (half of them `hessian` too), and at a random point:
 *
 *   - valueAndGrad_f's value is f's exactly, and grad_f is shaped like the arguments as passed in;
 *   - reverse mode matches central differences, entry by entry;
 *   - forward mode agrees with reverse mode (jvp_f's tangent is ∇f·v to rounding) and with
 *     central differences along v;
 *   - for a hessian-marked function, hvp_f along v matches central differences of grad_f (H·v);
 *   - arguments that share storage: `v` passed for `u` as well, and a matrix whose two rows are
 *     one array. When f writes into them, every export throws; when it only reads them, the
 *     partials of the two places add up to finite differences of f with the storage shared.
 *
 * Finite differences are trusted only where estimates at three steps agree (else the point is
 * near a pivot flip or a kink, and that comparison is skipped, at most MAX_SKIPPED of the time).
 * Programs are compiled a batch at a time (hessian-marked ones apart: their companion is
 * differentiated again); a failure names its program. ADJOINT_PROPERTY_SEED and
 * ADJOINT_LAYOUT_RUNS choose others.
 */
import { compile } from '@adjoint/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directionalDerivative, directionLike, gradientAlong, seeded, shifted } from '../support/directional.js';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';
import { loadModule } from '../support/load.js';
import { buildLayoutProgram, layoutProgramArbitrary, type LayoutProgram, type LayoutProgramRecipe } from '../support/random-layout-program.js';

const SEED = Number(process.env.ADJOINT_PROPERTY_SEED ?? 20_261_207);
const RUNS = Number(process.env.ADJOINT_LAYOUT_RUNS ?? 150);
const BATCH = 50;
const TOLERANCE = 1e-5;
const MODES_AGREE = 1e-9;
const AGREEMENT = 1e-6;
const MAX_MAGNITUDE = 1e6;
const MAX_SKIPPED = 0.2;

type Fn = (...args: any[]) => any;

interface Case {
  recipe: LayoutProgramRecipe;
  point: number[];
}

const coordinate = fc.integer({ min: -1000, max: 1000 }).map((k) => (1.5 * k) / 1000);
const caseArbitrary = fc.record({ recipe: layoutProgramArbitrary, point: fc.array(coordinate, { minLength: 24, maxLength: 24 }) });

/** The arguments of a program at a point: M, p, x, v, u (u distinct from v). */
function argumentsOf(program: LayoutProgram, point: number[]): Argument[] {
  let i = 0;
  const next = () => point[i++ % point.length]!;
  const M = Array.from({ length: program.rows }, () => [next(), next()]);
  const p = { w: Array.from({ length: program.weights }, next), b: next() };
  const x = next();
  const v = Array.from({ length: program.vector }, next);
  const u = Array.from({ length: program.vector }, next);
  return [M, p, x, v, u];
}

const STEPS = [1e-3, 0.5e-3, 0.618e-3];

/** Three estimates that agree, or undefined near a kink or a pivot flip. */
function trusted(estimate: (h: number, step: number) => number): number | undefined {
  const estimates = STEPS.map((h, step) => estimate(h, step));
  return estimates.every(Number.isFinite) && estimates.every((e) => closeTo(e, estimates[0]!, AGREEMENT)) ? estimates[1] : undefined;
}

type Outcome = { checked: number; skipped: number };

function check(program: LayoutProgram, source: Record<string, Fn>, companion: Record<string, Fn>, point: number[], outcome: Outcome): void {
  const name = program.name;
  const f = source[name]!;
  const args = () => argumentsOf(program, point);
  const names = ['matrix', 'object', 'number', 'vector', 'other'].map((k) => program.params[k as keyof LayoutProgram['params']]);
  const expected = f(...args());
  const { value, grad } = companion[`valueAndGrad_${name}`]!(...args()) as { value: number; grad: Record<string, Argument> };
  expect(Object.is(value, expected), `value ${value}, f ${expected}`).toBe(true);
  expect(companion[`grad_${name}`]!(...args())).toEqual(grad);
  // shaped like the arguments as passed in
  expect(Object.keys(grad)).toEqual(names);
  names.forEach((param, i) => expect(leaves(grad[param]).map(([path]) => path.join('.')), `shape of grad.${param}`).toEqual(leaves(args()[i]).map(([path]) => path.join('.'))));
  const magnitudes = [expected, ...leaves(grad).map(([, g]) => g)];
  if (!magnitudes.every((m) => Number.isFinite(m) && Math.abs(m) <= MAX_MAGNITUDE)) {
    outcome.skipped++;
    return;
  }
  let skipped = false;
  // reverse mode against central differences
  for (const [path, adjoint] of leaves(grad)) {
    const numeric = trusted((h) => partialAt(f, args(), [names.indexOf(path[0] as string), ...path.slice(1)], h));
    if (numeric === undefined) skipped = true;
    else expect(closeTo(adjoint, numeric, TOLERANCE), `reverse ∂/∂${path.join('.')}: ${adjoint}, finite differences ${numeric}`).toBe(true);
  }
  // forward mode against reverse mode and central differences
  const next = seeded(point.length + Math.round(point[0]! * 1000));
  const directions = args().map((a) => directionLike(a, next));
  const { value: jvpValue, tangent } = companion[`jvp_${name}`]!(...args(), ...directions) as { value: number; tangent: number };
  expect(Object.is(jvpValue, expected), `jvp value ${jvpValue}, f ${expected}`).toBe(true);
  const reverse = gradientAlong(grad, names, directions);
  expect(closeTo(tangent, reverse, MODES_AGREE), `forward ${tangent}, reverse ∇f·v ${reverse}`).toBe(true);
  const along = trusted((h) => directionalDerivative(f, args(), directions, h));
  if (along === undefined) skipped = true;
  else expect(closeTo(tangent, along, TOLERANCE), `forward ${tangent}, finite differences ${along}`).toBe(true);
  // Hessian mode: H·v against central differences of the gradient along v
  if (program.hessian) {
    const hv = leaves(companion[`hvp_${name}`]!(...args(), ...directions)).map(([, h]) => h);
    const gradAt = (t: number) => leaves(companion[`grad_${name}`]!(...shifted(args(), directions, t))).map(([, g]) => g);
    const [plus, minus] = [STEPS.map((h) => gradAt(h)), STEPS.map((h) => gradAt(-h))];
    hv.forEach((entry, k) => {
      const difference = trusted((h, step) => (plus[step]![k]! - minus[step]![k]!) / (2 * h));
      if (difference === undefined) skipped = true;
      else expect(closeTo(entry, difference, 1e-4), `(H·v)[${k}]: ${entry}, differences of the gradient ${difference}`).toBe(true);
    });
  }
  checkSharedStorage(program, companion, f, args, names);
  if (skipped) outcome.skipped++;
  else outcome.checked++;
}

/** `v` passed for `u` too, and a matrix holding one row twice: an Error when f writes into them, else partials that add up. */
function checkSharedStorage(program: LayoutProgram, companion: Record<string, Fn>, f: Fn, args: () => Argument[], names: string[]): void {
  const name = program.name;
  const sharedVector = (): Argument[] => {
    const a = args();
    a[4] = a[3]!;
    return a;
  };
  const sharedRow = (): Argument[] => {
    const a = args();
    (a[0] as number[][])[1] = (a[0] as number[][])[0]!;
    return a;
  };
  for (const [shared, writes, first, second] of [
    [sharedVector, program.writesVector, names[3]!, names[4]!],
    [sharedRow, program.writesMatrix, `${names[0]}[0]`, `${names[0]}[1]`],
  ] as const) {
    if (writes) {
      const message = `${name} writes into its arguments, and ${first} and ${second} are the same array`;
      expect(() => companion[`grad_${name}`]!(...shared()), `grad with ${first} shared`).toThrow(message);
      expect(() => companion[`jvp_${name}`]!(...shared(), ...shared().map((a) => directionLike(a, () => 0))), `jvp with ${first} shared`).toThrow(message);
      if (program.hessian) expect(() => companion[`hessian_${name}`]!(...shared()), `hessian with ${first} shared`).toThrow(message);
      continue;
    }
    // read only: each place gets its own partial, and the two add up to the derivative of f with the storage shared
    const grad = companion[`grad_${name}`]!(...shared()) as Record<string, any>;
    const [a, b] = shared === sharedVector ? [grad[names[3]!] as number[], grad[names[4]!] as number[]] : [(grad[names[0]!] as number[][])[0]!, (grad[names[0]!] as number[][])[1]!];
    a.forEach((partial, k) => {
      const path = shared === sharedVector ? [3, k] : [0, 0, k];
      const total = trusted((h) => partialAt(f, shared(), path, h));
      if (total !== undefined) expect(closeTo(partial + b[k]!, total, TOLERANCE), `∂/∂${first}[${k}] with ${first} and ${second} shared: ${partial} + ${b[k]}, finite differences ${total}`).toBe(true);
    });
  }
}

async function checkBatch(cases: Case[], offset: number, outcome: Outcome): Promise<void> {
  const programs = cases.map((c, i) => buildLayoutProgram(c.recipe, offset + i));
  const text = programs.map((p) => p.text).join('\n');
  const result = await compile([{ path: 'layout.ts', text }], { format: false });
  const errors = result.diagnostics.filter((d) => d.category === 'error');
  expect(errors.map((d) => `${d.code} ${d.location?.line}: ${d.message}`), 'the batch compiles').toEqual([]);
  const source = loadModule(text, 'layout.ts') as Record<string, Fn>;
  const companion = loadModule(result.outputs[0]!.text, 'layout.grad.ts') as Record<string, Fn>;
  programs.forEach((program, i) => {
    try {
      check(program, source, companion, cases[i]!.point, outcome);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nin\n${program.text}at ${JSON.stringify(argumentsOf(program, cases[i]!.point))}`);
    }
  });
}

describe('random functions that change their arguments\' layout, slice from computed bounds and have hostile names', () => {
  it('reverse, forward and Hessian mode agree with each other and with finite differences; shared storage throws or adds up', { timeout: 1_200_000 }, async () => {
    const started = Date.now();
    const cases = fc.sample(caseArbitrary, { seed: SEED, numRuns: RUNS });
    const outcome: Outcome = { checked: 0, skipped: 0 };
    // hessian-marked functions are compiled apart: their companion is written to be differentiated again
    for (const hessian of [false, true]) {
      const group = cases.filter((c) => c.recipe.hessian === hessian);
      for (let start = 0; start < group.length; start += BATCH) await checkBatch(group.slice(start, start + BATCH), hessian ? RUNS + start : start, outcome);
    }
    console.log(`[property: layout] seed ${SEED}: ${RUNS} programs (${cases.filter((c) => c.recipe.hessian).length} hessian), ${outcome.checked} checked, ${outcome.skipped} with a comparison skipped; ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(outcome.checked + outcome.skipped).toBe(RUNS);
    expect(outcome.skipped, `${outcome.skipped} of ${RUNS} skipped`).toBeLessThanOrEqual(MAX_SKIPPED * RUNS);
  });
});
