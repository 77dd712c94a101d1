/**
 * Property test of checkpointing: the random programs of property-control-flow.test.ts (branches,
 * loops with break, continue and return, nested loops, arrays read and written, helpers, recursion)
 * are compiled with every outermost loop checkpointed (the option `checkpointLoops`) and without,
 * and the two gradients must agree to rounding, with f's value, and the same effect on the
 * arguments. The taped gradients of these programs are checked against finite differences by
 * property-control-flow.test.ts; here the checkpointed ones are checked against them.
 *
 * Programs whose loops cannot be checkpointed (they carry an array, or push onto one made before
 * the loop: AD2031, AD2032) are left out, after checking that this is what the compiler says.
 * ADJOINT_PROPERTY_SEED and ADJOINT_PROPERTY_RUNS choose other cases.
 */
import { compileSync, type Diagnostic } from '@adjoint/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { closeTo, leaves, type Argument } from '../support/finite-difference.js';
import { loadModule, type ModuleExports } from '../support/load.js';
import { combinePrograms, flowProgramArbitrary, printPrograms, type FunctionDef, type Program } from '../support/random-program.js';

const SEED = Number(process.env.ADJOINT_PROPERTY_SEED ?? 20_261_128);
const RUNS = Number(process.env.ADJOINT_PROPERTY_RUNS ?? 300);

interface Case {
  program: Program;
  reals: number[];
  ints: number[];
}

const coordinate = fc.integer({ min: -(2 ** 30), max: 2 ** 30 }).map((k) => (2.5 * k) / 2 ** 30);
const cases = fc.sample(
  fc.record({
    program: flowProgramArbitrary(),
    reals: fc.array(coordinate, { minLength: 20, maxLength: 20 }),
    ints: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 4, maxLength: 4 }),
  }),
  { seed: SEED, numRuns: RUNS },
) as Case[];

/** Fresh arguments (f may write into its arrays): as in property-control-flow.test.ts. */
function makeArgs(c: Case, fn: FunctionDef): Argument[] {
  let real = 0;
  let int = 0;
  return fn.params.map((_, i): Argument => {
    const type = fn.paramTypes?.[i] ?? 'number';
    if (type === 'number') return c.reals[real++]!;
    if (type === 'int') return c.ints[int++]!;
    const values = c.reals.slice(real, (real += fn.paramLengths![i]!));
    return type === 'Float64Array' ? new Float64Array(values) : values;
  });
}

function companion(text: string, checkpointLoops: boolean): { module?: ModuleExports; errors: Diagnostic[] } {
  const result = compileSync([{ path: 'random.ts', text }], { header: false, checkpointLoops });
  const errors = result.diagnostics.filter((d) => d.category === 'error');
  return { module: result.outputs[0] && loadModule(result.outputs[0].text, 'random.grad.ts'), errors };
}

it(`checkpointed loops give the taped gradient, for ${RUNS} random programs`, () => {
  let programs = combinePrograms(cases.map((c) => c.program));
  let printed = printPrograms(programs);
  // leave out the programs the compiler refuses to checkpoint, and only for the reasons it may
  const refused = companion(printed.text, true).errors;
  for (const error of refused) expect(['AD2031', 'AD2032'], `${error.code}: ${error.message}`).toContain(error.code);
  const refusedPrograms = new Set(refused.map((d) => printed.lines.findIndex(({ first, last }) => d.location!.line >= first && d.location!.line <= last)));
  const kept = programs.flatMap((p, i) => (refusedPrograms.has(i) ? [] : [{ program: p, c: cases[i]! }]));
  expect(kept.length).toBeGreaterThan(0.8 * RUNS);
  programs = kept.map((k) => k.program);
  printed = printPrograms(programs);

  const checkpointed = companion(printed.text, true);
  const taped = companion(printed.text, false);
  expect(checkpointed.errors).toEqual([]);
  expect(taped.errors).toEqual([]);
  const source = loadModule(printed.text, 'random.ts');
  let withLoops = 0;
  kept.forEach(({ program, c }) => {
    const name = program.fn.name;
    const label = `${name}:\n${printPrograms([program]).text}`;
    const args = () => makeArgs(c, program.fn);
    const f = source[name] as (...a: Argument[]) => number;
    const run = (module: ModuleExports) => {
      const input = args();
      const output = (module[`valueAndGrad_${name}`] as (...a: Argument[]) => { value: number; grad: unknown })(...input);
      return { ...output, input };
    };
    const fInput = args();
    const value = f(...fInput);
    const actual = run(checkpointed.module!);
    const expected = run(taped.module!);
    expect(Object.is(actual.value, value), `value of ${label}`).toBe(true);
    expect(leaves(actual.input), `effect on the arguments of ${label}`).toEqual(leaves(fInput));
    const actualLeaves = leaves(actual.grad);
    const expectedLeaves = leaves(expected.grad);
    expect(actualLeaves.map(([path]) => path)).toEqual(expectedLeaves.map(([path]) => path));
    actualLeaves.forEach(([path, g], i) => {
      expect(closeTo(g, expectedLeaves[i]![1], 1e-9), `∂/∂${path.join('.')} of ${label}: ${g} checkpointed, ${expectedLeaves[i]![1]} taped`).toBe(true);
    });
    if (/\b(for|while|do)\b/.test(printPrograms([program]).text)) withLoops++;
  });
  // most programs have loops: the test is not vacuous
  expect(withLoops).toBeGreaterThan(0.5 * kept.length);
}, 600_000);
