/**
 * Property test: random functions with vector outputs (test/support/random-vector-program.ts) are
 * compiled in batches, and for each one, at a random point:
 *   - every entry of jacobian_f matches Richardson central differences of the source function
 *     (row r: the r-th number of the output; column c: the c-th number of x, y, a);
 *   - vjp_f for a random output adjoint u equals uᵀ·J, and valueAndVjp_f returns f's value;
 *   - jacobian_f leaves its arguments as they were.
 * A branch flip within a finite-difference step shows as two steps disagreeing; such a program
 * is skipped (at most a tenth of them, so the test cannot pass vacuously).
 *
 * Reproduce with ADJOINT_PROPERTY_SEED=<seed>; ADJOINT_PROPERTY_RUNS sets the number of programs.
 * A failure prints the program and the point.
 */
import { compile } from '@adjoint/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';
import { loadModule } from '../support/load.js';
import { buildVectorProgram, vectorProgramArbitrary } from '../support/random-vector-program.js';

const SEED = Number(process.env.ADJOINT_PROPERTY_SEED ?? 20_261_128);
const RUNS = Number(process.env.ADJOINT_PROPERTY_RUNS ?? 150);
const BATCH = 50;
const TOLERANCE = 1e-5;
const MAX_SKIPPED = 0.1;

const coordinate = fc.integer({ min: -1000, max: 1000 }).map((k) => (1.5 * k) / 1000);
const caseArbitrary = fc.record({ recipe: vectorProgramArbitrary, point: fc.array(coordinate, { minLength: 5, maxLength: 5 }) });

type Outcome = { kind: 'checked' } | { kind: 'skipped' } | { kind: 'failed'; message: string };
type AnyFunction = (...args: unknown[]) => any;

describe('random functions with vector outputs', () => {
  it(`jacobian_f and vjp_f match finite differences on ${RUNS} programs`, { timeout: 600_000 }, async () => {
    const cases = fc.sample(caseArbitrary, { seed: SEED, numRuns: RUNS });
    const outcomes: Outcome[] = [];
    for (let first = 0; first < cases.length; first += BATCH) {
      const batch = cases.slice(first, first + BATCH);
      const sources = batch.map((c, i) => buildVectorProgram(c.recipe, first + i));
      const text = sources.join('\n');
      const { outputs, diagnostics } = await compile([{ path: 'vectors.ts', text }], { format: false });
      const errors = diagnostics.filter((d) => d.category === 'error');
      expect(errors.map((d) => `${d.code} ${d.location?.line}: ${d.message}`), text).toEqual([]);
      const source = loadModule(text, 'vectors.ts');
      const companion = loadModule(outputs[0]!.text, 'vectors.grad.ts');
      batch.forEach((c, i) => {
        const k = first + i;
        const args = () => argumentsOf(c.recipe.parameterType, c.recipe.parameterLength, c.point);
        const outcome = check(source[`f${k}`] as AnyFunction, (name) => companion[`${name}_f${k}`] as AnyFunction, args);
        if (outcome.kind === 'failed') {
          const at = args().map((a) => (a instanceof Float64Array ? `new Float64Array([${Array.from(a)}])` : JSON.stringify(a)));
          expect.fail(`${outcome.message}\nat f${k}(${at.join(', ')}) of\n${sources[i]}`);
        }
        outcomes.push(outcome);
      });
    }
    const skipped = outcomes.filter((o) => o.kind === 'skipped').length;
    expect(skipped, `${skipped} of ${outcomes.length} programs skipped for a branch flip near the point`).toBeLessThanOrEqual(MAX_SKIPPED * outcomes.length);
  });
});

function argumentsOf(type: 'number[]' | 'Float64Array', length: number, point: number[]): Argument[] {
  const a = point.slice(2, 2 + length);
  return [point[0]!, point[1]!, type === 'Float64Array' ? new Float64Array(a) : a];
}

function check(f: AnyFunction, exported: (name: 'jacobian' | 'vjp' | 'valueAndVjp') => AnyFunction, args: () => Argument[]): Outcome {
  const value = f(...args());
  const rows = leaves(value).map(([path]) => path);
  const columns: Array<Array<string | number>> = [[0], [1], ...Array.from(args()[2] as number[], (_, i) => [2, i])];
  const before = args();
  const jacobian = exported('jacobian')(...before) as number[][];
  if (!isDeepEqual(before, args())) return { kind: 'failed', message: 'jacobian_f changed its arguments' };
  if (jacobian.length !== rows.length) return { kind: 'failed', message: `jacobian_f has ${jacobian.length} rows, the output ${rows.length} numbers` };
  for (let r = 0; r < rows.length; r++) {
    const fr = (...a: Argument[]) => numberAt(f(...a), rows[r]!);
    if (jacobian[r]!.length !== columns.length) return { kind: 'failed', message: `row ${r} has ${jacobian[r]!.length} entries, not ${columns.length}` };
    for (let c = 0; c < columns.length; c++) {
      const numeric = partialAt(fr, args(), columns[c]!, 1e-3);
      // a branch flip (or a jump) within the step: the two estimates disagree
      if (!closeTo(numeric, partialAt(fr, args(), columns[c]!, 0.618e-3), 1e-6)) return { kind: 'skipped' };
      if (!closeTo(jacobian[r]![c]!, numeric, TOLERANCE)) return { kind: 'failed', message: `J[${r}][${c}] = ${jacobian[r]![c]}, finite differences ${numeric}` };
    }
  }
  // vjp with the output adjoint u = (1, -2, 3, …) shaped like the value
  let k = 0;
  const u = shapedLike(value, () => (++k % 2 === 0 ? -k : k));
  const uRow = leaves(u).map(([, v]) => v);
  const { value: vjpValue, grad } = exported('valueAndVjp')(...args(), u);
  if (!isDeepEqual(vjpValue, f(...args()))) return { kind: 'failed', message: 'valueAndVjp_f does not return f’s value' };
  const product = leaves(grad).map(([, v]) => v);
  for (let c = 0; c < columns.length; c++) {
    const expected = jacobian.reduce((sum, row, r) => sum + uRow[r]! * row[c]!, 0);
    if (!closeTo(product[c]!, expected, 1e-9)) return { kind: 'failed', message: `(uᵀJ)[${c}] = ${product[c]} from vjp_f, ${expected} from the Jacobian` };
  }
  return { kind: 'checked' };
}

function shapedLike(value: unknown, next: () => number): unknown {
  if (typeof value === 'number') return next();
  if (ArrayBuffer.isView(value)) return Float64Array.from(value as Float64Array, () => next());
  if (Array.isArray(value)) return value.map((v) => shapedLike(v, next));
  return Object.fromEntries(Object.entries(value as object).map(([key, v]) => [key, shapedLike(v, next)]));
}

function numberAt(value: unknown, path: Array<string | number>): number {
  let holder: any = value;
  for (const key of path) holder = holder[key];
  return holder as number;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(leaves(a)) === JSON.stringify(leaves(b)) && JSON.stringify(a, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)) === JSON.stringify(b, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
}
