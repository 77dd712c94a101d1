/**
 * Property test of classes (issue 16): random programs with control flow, arrays, calls and
 * callbacks (test/support/random-program.ts) are compiled twice in one module, as the generator
 * writes them and with their marked function as a method of a class, every other differentiated
 * parameter of numbers a field of `this` that the method reads first (random-class-program.ts).
 * Both are marked `forward`. For each program, at a random point and along a random direction:
 *
 *   - the method's valueAndGrad gives exactly the function's value,
 *   - its gradient equals the function's, a field's adjoint under `this`,
 *   - its jvp gives the function's value and tangent.
 *
 * The function's gradient and jvp are checked against finite differences by property.test.ts,
 * property-control-flow.test.ts and property-forward.test.ts; this test checks that a method, its
 * instance and the fields it reads are differentiated as the parameters they stand for.
 *
 * Reproduce with ADJOINT_PROPERTY_SEED=<seed>; ADJOINT_CLASS_RUNS sets the number of programs.
 */
import { compile } from '@adjoint/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeTo, leaves, type Argument } from '../support/finite-difference.js';
import { argumentsOf, forwardCaseOf, type ForwardCase } from '../support/forward-cases.js';
import { loadModule, type ModuleExports } from '../support/load.js';
import { methodAsFunction } from '../support/methods.js';
import { classFormOf, methodArguments, type ClassForm } from '../support/random-class-program.js';
import { combinePrograms, differentiatedParams, flowProgramArbitrary, printProgram, printPrograms, usesFunctions } from '../support/random-program.js';

const SEED = Number(process.env.ADJOINT_PROPERTY_SEED ?? 20_261_207);
const RUNS = Number(process.env.ADJOINT_CLASS_RUNS ?? 120);
const BATCH = 60;
/** The method and the function compute the same sums; the adjoints of a field may add up in another order. */
const SAME = 1e-9;

const cases = forwardCaseOf(flowProgramArbitrary());

type Exported = (...args: unknown[]) => any;

function check(c: ForwardCase, form: ClassForm, source: ModuleExports, companion: ModuleExports): void {
  const fn = c.program.fn;
  const name = fn.name;
  const method = `${form.className}_${name}`;
  const fresh = () => argumentsOf(fn, c.reals, c.ints);
  const differentiated = differentiatedParams(fn);

  const functionResult = (companion[`valueAndGrad_${name}`] as Exported)(...fresh()) as { value: number; grad: Record<string, Argument> };
  const methodResult = (companion[`valueAndGrad_${method}`] as Exported)(...methodArguments(form, fresh())) as { value: number; grad: Record<string, Argument> };
  const f = methodAsFunction(source, form.className, name);
  expect(Object.is(methodResult.value, f(...methodArguments(form, fresh()))), 'the method computes what the source method does').toBe(true);
  expect(Object.is(methodResult.value, functionResult.value), `value: method ${methodResult.value}, function ${functionResult.value}`).toBe(true);
  const fields = (methodResult.grad.this ?? {}) as Record<string, Argument>;
  expect(Object.keys(fields).sort(), 'the gradient of the instance has its fields').toEqual([...form.fieldNames].sort());
  for (const param of differentiated) {
    const expected = leaves(functionResult.grad[param]);
    const actual = leaves(form.fieldNames.includes(param) ? fields[param] : methodResult.grad[param]);
    expect(actual.map(([path]) => path.join('.')), `∂/∂${param} is shaped alike`).toEqual(expected.map(([path]) => path.join('.')));
    actual.forEach(([path, a], k) => expect(closeTo(a, expected[k]![1], SAME), `∂/∂${[param, ...path].join('.')}: method ${a}, function ${expected[k]![1]}`).toBe(true));
  }

  const zeros = fn.paramTypes?.map(() => 0) ?? [];
  const directions = argumentsOf(fn, c.direction, zeros);
  const functionTangents = directions.filter((_, i) => differentiated.includes(fn.params[i]!));
  const [instanceTangent, ...others] = methodArguments(form, directions);
  const methodTangents = [...(form.fields.length > 0 ? [instanceTangent] : []), ...others.filter((_, k) => differentiated.includes(fn.params.filter((__, i) => !form.fields.includes(i))[k]!))];
  const functionJvp = (companion[`jvp_${name}`] as Exported)(...fresh(), ...functionTangents) as { value: number; tangent: number };
  const methodJvp = (companion[`jvp_${method}`] as Exported)(...methodArguments(form, fresh()), ...methodTangents) as { value: number; tangent: number };
  expect(Object.is(methodJvp.value, functionJvp.value), `jvp value: method ${methodJvp.value}, function ${functionJvp.value}`).toBe(true);
  expect(closeTo(methodJvp.tangent, functionJvp.tangent, SAME), `jvp tangent: method ${methodJvp.tangent}, function ${functionJvp.tangent}`).toBe(true);
}

describe('random programs as methods of a class: the same gradient and jvp as the function', () => {
  it('programs with control flow, arrays, calls and callbacks', async () => {
    const sample = fc.sample(cases, { seed: SEED, numRuns: RUNS });
    let withFields = 0;
    for (let start = 0; start < sample.length; start += BATCH) {
      const batch = sample.slice(start, start + BATCH);
      const programs = combinePrograms(batch.map((c) => c.program));
      const forms = programs.map((p) => classFormOf(p.fn));
      const text = `${printPrograms(programs).text}\n${forms.map((form) => form.text).join('\n\n')}\n`;
      const result = await compile([{ path: 'random.ts', text }], { format: false });
      const errors = result.diagnostics.filter((d) => d.category === 'error');
      expect(errors.map((d) => `${d.code} ${d.location?.line}: ${d.message}`), 'the batch compiles').toEqual([]);
      const source = loadModule(text, 'random.ts');
      const companion = loadModule(result.outputs[0]!.text, 'random.grad.ts');
      batch.forEach((c, i) => {
        if (forms[i]!.fields.length > 0) withFields++;
        try {
          check({ ...c, program: programs[i]! }, forms[i]!, source, companion);
        } catch (error) {
          throw new Error(`${(error as Error).message}\nin\n${printProgram(c.program)}\n${forms[i]!.text}\nat reals ${c.reals.join(', ')}; ints ${c.ints.join(', ')}; direction ${c.direction.join(', ')}`);
        }
      });
    }
    // most programs have a field; a quarter or more use callbacks or local functions
    expect(withFields, `${withFields} of ${RUNS} programs have fields`).toBeGreaterThan(RUNS / 2);
    expect(sample.filter((c) => usesFunctions(c.program)).length).toBeGreaterThan(RUNS / 4);
  }, 600_000);
});
