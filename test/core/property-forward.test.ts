/**
 * Property test of forward mode: random programs of both generators of
 * test/support/random-program.ts (straight-line code, and control flow with loops, arrays and
 * calls) are marked `@differentiable(forward)` and compiled; for each one, at a random point and
 * along a random direction v (shaped like the differentiated parameters),
 *
 *   - jvp_f returns exactly f's value,
 *   - its tangent equals ∇f·v from reverse mode (valueAndGrad_f): forward and reverse must agree,
 *   - and it matches Richardson central differences of t ↦ f(x + t·v) at t = 0, where those are
 *     trustworthy: estimates at three steps must agree, else the point is near a kink or a branch
 *     flip and the comparison is skipped (at most MAX_SKIPPED of the programs).
 *
 * Random functions with vector outputs (test/support/random-vector-program.ts) are marked forward
 * too: the Jacobian from forward mode, one column per jvp_f along a unit vector, must equal the
 * one from reverse mode (jacobian_f, by rows), entry by entry.
 *
 * Hessian mode: further programs of both generators are marked `forward, hessian` as well (their
 * companion is written to be differentiated again, and is): hvp_f along v must match Richardson
 * central differences of grad_f along v, entry by entry, and jvp_f must still agree with reverse
 * mode. A program whose function pushes onto an argument is rejected there (AD2042) and skipped.
 *
 * Integer parameters are counts and indices: their direction is 0. Programs whose values are huge
 * (|f| or a gradient entry beyond MAX_MAGNITUDE) or not finite are skipped likewise, so that the
 * finite differences mean something. The programs are drawn by fast-check with a fixed seed and
 * compiled a batch at a time (see property.test.ts for the technique); a failure names its program.
 *
 * Reproduce with ADJOINT_PROPERTY_SEED=<seed>; ADJOINT_FORWARD_RUNS sets the number of programs
 * of each generator.
 */
import { compile } from '@adjoint/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directionalDerivative, gradientAlong, shifted } from '../support/directional.js';
import { closeTo, leaves, type Argument } from '../support/finite-difference.js';
import { argumentsOf, forwardCaseOf, type ForwardCase } from '../support/forward-cases.js';
import { loadModule, type ModuleExports } from '../support/load.js';
import { combinePrograms, differentiatedParams, flowProgramArbitrary, printProgram, printPrograms, programArbitrary } from '../support/random-program.js';
import { buildVectorProgram, vectorProgramArbitrary } from '../support/random-vector-program.js';

const SEED = Number(process.env.ADJOINT_PROPERTY_SEED ?? 20_261_129);
const RUNS = Number(process.env.ADJOINT_FORWARD_RUNS ?? 250);
/** Programs of each generator checked in Hessian mode (ADJOINT_HESSIAN_RUNS). */
const HESSIAN_RUNS = Number(process.env.ADJOINT_HESSIAN_RUNS ?? 60);
const BATCH = 125;
const TOLERANCE = 1e-5;
/** Forward and reverse compute the same sums in different orders: they agree to rounding. */
const MODES_AGREE = 1e-9;
const AGREEMENT = 1e-6;
const MAX_MAGNITUDE = 1e6;
const MAX_SKIPPED = 0.15;


/** The direction for each parameter: undefined where it is not differentiated, 0 for an integer. */
function directionsOf(c: ForwardCase): Array<Argument | undefined> {
  const fn = c.program.fn;
  const differentiated = differentiatedParams(fn);
  const zeros = fn.paramTypes?.map(() => 0) ?? [];
  return argumentsOf(fn, c.direction, zeros).map((d, i) => (differentiated.includes(fn.params[i]!) ? d : undefined));
}

type Outcome = 'checked' | 'skipped';

function check(c: ForwardCase, name: string, source: ModuleExports, companion: ModuleExports): Outcome {
  const fn = c.program.fn;
  const f = source[name] as (...args: Argument[]) => number;
  const fresh = () => argumentsOf(fn, c.reals, c.ints);
  const directions = directionsOf(c);
  const tangents = directions.filter((d) => d !== undefined);
  const { value, tangent } = (companion[`jvp_${name}`] as (...args: unknown[]) => { value: number; tangent: number })(...fresh(), ...tangents);
  const expected = f(...fresh());
  expect(Object.is(value, expected), `jvp value ${value}, f ${expected}`).toBe(true);
  const { grad } = (companion[`valueAndGrad_${name}`] as (...args: Argument[]) => { grad: Record<string, Argument> })(...fresh());
  const magnitudes = [expected, ...leaves(grad).map(([, g]) => g)];
  if (!magnitudes.every((m) => Number.isFinite(m) && Math.abs(m) <= MAX_MAGNITUDE)) return 'skipped';
  const reverse = gradientAlong(grad, fn.params, directions);
  expect(closeTo(tangent, reverse, MODES_AGREE), `jvp tangent ${tangent}, reverse ∇f·v ${reverse}`).toBe(true);
  const estimates = [1e-3, 0.5e-3, 0.618e-3].map((h) => directionalDerivative(f, fresh(), directions, h));
  if (!estimates.every(Number.isFinite) || !estimates.every((e) => closeTo(e, estimates[0]!, AGREEMENT))) return 'skipped';
  expect(closeTo(tangent, estimates[1]!, TOLERANCE), `jvp tangent ${tangent}, finite differences ${estimates[1]}`).toBe(true);
  return 'checked';
}

async function checkAll(cases: ForwardCase[]): Promise<{ checked: number; skipped: number }> {
  let checked = 0;
  let skipped = 0;
  for (let start = 0; start < cases.length; start += BATCH) {
    const batch = cases.slice(start, start + BATCH);
    const programs = combinePrograms(batch.map((c) => c.program));
    const { text } = printPrograms(programs);
    const result = await compile([{ path: 'random.ts', text }], { format: false });
    const errors = result.diagnostics.filter((d) => d.category === 'error');
    expect(errors.map((d) => `${d.code} ${d.location?.line}: ${d.message}`), 'the batch compiles').toEqual([]);
    const source = loadModule(printPrograms(programs).text, 'random.ts');
    const companion = loadModule(result.outputs[0]!.text, 'random.grad.ts');
    batch.forEach((c, i) => {
      const name = programs[i]!.fn.name;
      try {
        if (check({ ...c, program: programs[i]! }, name, source, companion) === 'checked') checked++;
        else skipped++;
      } catch (error) {
        throw new Error(`${(error as Error).message}\nin\n${printProgram(c.program)}at reals ${c.reals.join(', ')}; ints ${c.ints.join(', ')}; direction ${c.direction.join(', ')}`);
      }
    });
  }
  return { checked, skipped };
}

describe('forward mode on random programs: jvp·v against finite differences and against reverse mode', () => {
  it.each([
    ['straight-line programs', forwardCaseOf(programArbitrary()), SEED],
    ['programs with control flow, arrays and calls', forwardCaseOf(flowProgramArbitrary()), SEED + 1],
  ] as const)('%s', async (_, arbitrary, seed) => {
    const cases = fc.sample(arbitrary, { seed, numRuns: RUNS });
    const { checked, skipped } = await checkAll(cases);
    expect(checked + skipped).toBe(RUNS);
    expect(skipped, `${skipped} of ${RUNS} programs skipped`).toBeLessThanOrEqual(MAX_SKIPPED * RUNS);
  }, 600_000);
});

/**
 * H·v from hvp_f against central differences of grad_f along v (trusted where the estimates at
 * three steps agree), for a program that `check` has checked in forward mode.
 */
function checkHessian(c: ForwardCase, name: string, companion: ModuleExports): Outcome {
  const fn = c.program.fn;
  const fresh = () => argumentsOf(fn, c.reals, c.ints);
  const directions = directionsOf(c);
  const grad = (t: number) => leaves((companion[`grad_${name}`] as (...args: Argument[]) => unknown)(...shifted(fresh(), directions, t))).map(([, g]) => g);
  const hv = leaves((companion[`hvp_${name}`] as (...args: unknown[]) => unknown)(...fresh(), ...directions.filter((d) => d !== undefined)));
  expect(hv.map(([path]) => path.join('.')), 'H·v is shaped like the gradient').toEqual(leaves((companion[`grad_${name}`] as (...args: Argument[]) => unknown)(...fresh())).map(([path]) => path.join('.')));
  // Richardson central differences (error O(h⁴)) at three steps
  const central = (h: number) => {
    const [plus, minus] = [grad(h), grad(-h)];
    return plus.map((g, k) => (g - minus[k]!) / (2 * h));
  };
  const richardson = [1e-3, 0.5e-3, 0.618e-3].map((h) => {
    const [whole, half] = [central(h), central(h / 2)];
    return whole.map((c, k) => (4 * half[k]! - c) / 3);
  });
  let outcome: Outcome = 'checked';
  hv.forEach(([path, entry], k) => {
    const estimates = richardson.map((r) => r[k]!);
    if (!estimates.every(Number.isFinite) || !estimates.every((e) => closeTo(e, estimates[0]!, AGREEMENT))) {
      outcome = 'skipped';
      return;
    }
    expect(closeTo(entry, estimates[1]!, 1e-4), `(H·v).${path.join('.')}: ${entry}, differences of the gradient ${estimates[1]}`).toBe(true);
  });
  return outcome;
}

describe('Hessian mode on random programs: hvp_f against differences of grad_f, jvp_f against reverse mode', () => {
  it.each([
    ['straight-line programs', forwardCaseOf(programArbitrary()), SEED + 3],
    ['programs with control flow, arrays and calls', forwardCaseOf(flowProgramArbitrary()), SEED + 4],
  ] as const)('%s', async (_, arbitrary, seed) => {
    const cases = fc.sample(arbitrary, { seed, numRuns: HESSIAN_RUNS }).map((c) => ({ ...c, program: { ...c.program, fn: { ...c.program.fn, hessian: true } } }));
    const programs = combinePrograms(cases.map((c) => c.program));
    const { text } = printPrograms(programs);
    const result = await compile([{ path: 'random.ts', text }], { format: false });
    const errors = result.diagnostics.filter((d) => d.category === 'error');
    // the only error allowed: a push onto an argument, which a function differentiated again cannot make
    expect(errors.filter((d) => d.code !== 'AD2042').map((d) => `${d.code} ${d.location?.line}: ${d.message}`), 'the programs compile').toEqual([]);
    const source = loadModule(text, 'random.ts');
    const companion = loadModule(result.outputs[0]!.text, 'random.grad.ts');
    const generated = new Set(result.outputs[0]!.functions);
    let [checked, skipped, rejected] = [0, 0, 0];
    cases.forEach((c, i) => {
      const name = programs[i]!.fn.name;
      if (!generated.has(name)) return void rejected++;
      try {
        const forward = check({ ...c, program: programs[i]! }, name, source, companion);
        const hessian = forward === 'checked' ? checkHessian({ ...c, program: programs[i]! }, name, companion) : 'skipped';
        if (hessian === 'checked') checked++;
        else skipped++;
      } catch (error) {
        throw new Error(`${(error as Error).message}\nin\n${printProgram(c.program)}at reals ${c.reals.join(', ')}; ints ${c.ints.join(', ')}; direction ${c.direction.join(', ')}`);
      }
    });
    console.log(`[property: hessian] seed ${seed}: ${HESSIAN_RUNS} programs, ${checked} checked, ${skipped} skipped, ${rejected} rejected (AD2042)`);
    expect(checked + skipped + rejected).toBe(HESSIAN_RUNS);
    expect(skipped + rejected, `${skipped} skipped and ${rejected} rejected of ${HESSIAN_RUNS}`).toBeLessThanOrEqual(MAX_SKIPPED * HESSIAN_RUNS);
  }, 900_000);
});

describe('forward mode on random functions with vector outputs', () => {
  it('the Jacobian from jvp_f, column by column, equals jacobian_f (reverse mode, row by row)', { timeout: 600_000 }, async () => {
    const coordinateOf = fc.integer({ min: -1000, max: 1000 }).map((k) => (1.5 * k) / 1000);
    const cases = fc.sample(fc.record({ recipe: vectorProgramArbitrary, point: fc.array(coordinateOf, { minLength: 5, maxLength: 5 }) }), { seed: SEED + 2, numRuns: 100 });
    const sources = cases.map((c, k) => buildVectorProgram(c.recipe, k).replace('/** @differentiable */', '/** @differentiable(forward) */'));
    const text = sources.join('\n');
    const { outputs, diagnostics } = await compile([{ path: 'vectors.ts', text }], { format: false });
    expect(diagnostics.filter((d) => d.category === 'error').map((d) => `${d.code} ${d.location?.line}: ${d.message}`)).toEqual([]);
    const source = loadModule(text, 'vectors.ts');
    const companion = loadModule(outputs[0]!.text, 'vectors.grad.ts');
    cases.forEach((c, k) => {
      const args = (): Argument[] => {
        const a = c.point.slice(2, 2 + c.recipe.parameterLength);
        return [c.point[0]!, c.point[1]!, c.recipe.parameterType === 'Float64Array' ? new Float64Array(a) : a];
      };
      const where = `f${k} at ${JSON.stringify(c.point)} of\n${sources[k]}`;
      const jacobian = (companion[`jacobian_f${k}`] as (...a: Argument[]) => number[][])(...args());
      const length = (args()[2] as number[]).length;
      // columns: x, y, then the elements of a (the Jacobian's column order)
      for (let column = 0; column < 2 + length; column++) {
        const unit = (i: number) => (i === column ? 1 : 0);
        const da = Array.from({ length }, (_, i) => unit(2 + i));
        const { value, tangent } = (companion[`jvp_f${k}`] as (...a: unknown[]) => { value: unknown; tangent: unknown })(
          ...args(),
          unit(0),
          unit(1),
          c.recipe.parameterType === 'Float64Array' ? new Float64Array(da) : da,
        );
        if (column === 0) expect(leaves(value), `jvp value, ${where}`).toEqual(leaves((source[`f${k}`] as (...a: Argument[]) => unknown)(...args())));
        const entries = leaves(tangent).map(([, t]) => t);
        expect(entries.length, where).toBe(jacobian.length);
        entries.forEach((t, row) => expect(closeTo(t, jacobian[row]![column]!, 1e-9), `J[${row}][${column}]: forward ${t}, reverse ${jacobian[row]![column]}, ${where}`).toBe(true));
      }
    });
  });
});
