/**
 * The companion's tripCount (phases/4-differentiate/trip-count.ts), which the reverse sweep calls
 * instead of popping a counted loop's trip count: it must agree with the loop itself for every
 * start and bound, including fractions, negative and huge values, and NaN. An inner loop whose
 * start and bound come from outside its outer loop has its trip count computed once (before the
 * outer loop runs, when that loop is fused).
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { tripCountFunction } from '../../packages/core/src/phases/4-differentiate/trip-count.js';
import { compileSource, fn } from '../support/compile.js';
import { closeTo, partialAt } from '../support/finite-difference.js';

const tripCount = new Function(
  `${ts.transpile(tripCountFunction('tripCount').text, { target: ts.ScriptTarget.ES2022 })}\nreturn tripCount;`,
)() as (start: number, bound: number) => number;

/** What the forward sweep counts: the body runs once, then again while the incremented counter passes the test. */
function counted(start: number, bound: number): number {
  let trips = 0;
  for (let i = start; ;) {
    trips++;
    i = i + 1;
    if (!(i < bound)) return trips;
  }
}

const starts = [0, 1, -3, 7, 2 ** 40, -(2 ** 40), 0.1, 0.5, -2.75, 1e-9, 3 + 1e-12];
const bounds = [-5, 0, 0.3, 1, 2, 2.5, 3, 10, 10.000000001, 1e3 + 0.1, 2 ** 40 + 3, -(2 ** 40) + 2.5, Number.NaN, -Infinity];

describe('tripCount', () => {
  it.each(starts)('agrees with the loop for start %d and every bound', (start) => {
    for (const bound of bounds) {
      const expected = Math.abs(bound - start) > 1e6 ? undefined : counted(start, bound);
      if (expected === undefined) continue; // too many trips to run here
      expect(tripCount(start, bound), `start ${start}, bound ${bound}`).toBe(expected);
    }
  });

  it('agrees with the loop where bound − start rounds (a tiny bound below a large negative start)', () => {
    const start = -(2 ** 20);
    for (const bound of [1.5 * 2 ** -30, -(2 ** 20) + 1 + 2 ** -40, 2 ** -1074])
      expect(tripCount(start, bound)).toBe(counted(start, bound));
  });

  it('agrees with the loop on random starts and bounds', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 200;
    for (let k = 0; k < 5000; k++) {
      const start = k % 2 === 0 ? Math.round(next()) : next();
      const bound = k % 3 === 0 ? Math.round(next()) : next();
      expect(tripCount(start, bound), `start ${start}, bound ${bound}`).toBe(counted(start, bound));
    }
  });
});

const nested = `
/** @differentiable(wrt: x, w) */
export function weighted(x: Float64Array, w: Float64Array, d: number, rows: number): number {
  let s = 0;
  for (let r = 0; r < rows; r++) {
    let row = 0;
    for (let i = 0; i < d; i++) row += Math.sin(w[i]! * x[r * d + i]!);
    for (let i = 0; i < d; i++) s += row * w[i]!;
    for (let i = r; i < d; i++) s += x[r * d + i]! * x[i]!;
  }
  return s;
}
`;

describe('an inner loop running the same number of times in every iteration of an outer one', () => {
  it('has its trip count computed once, before the reverse of the outer loop, and the gradient matches finite differences', async () => {
    const compiled = await compileSource(nested, 'nested-trips.ts');
    const body = compiled.text.slice(compiled.text.indexOf('function backprop_weighted('));
    const reverse = body.slice(body.indexOf('// Reverse sweep.'));
    // 0..d twice (shared), once before the outer loop; r..d changes with r: computed per row
    expect(reverse.match(/tripCount\(0, d\)/g)).toHaveLength(1);
    expect(reverse.indexOf('tripCount(0, d)')).toBeLessThan(reverse.indexOf('for (let iteration'));
    expect(reverse.match(/tripCount\(r_\d*, d\)/g)).toHaveLength(1);

    const f = fn(compiled.source, 'weighted') as unknown as (...a: unknown[]) => number;
    const args = () => [new Float64Array([0.3, -1.2, 0.8, 0.5, 0.1, -0.7]), new Float64Array([0.9, -0.4, 1.3]), 3, 2];
    const grad = (fn(compiled.companion, 'grad_weighted') as unknown as (...a: unknown[]) => { x: Float64Array; w: Float64Array })(
      ...args(),
    );
    const partial = (param: number, i: number) => partialAt(f as never, args() as never, [param, i]);
    grad.x.forEach((g, i) => expect(closeTo(g, partial(0, i), 1e-6), `x[${i}]: ${g} vs ${partial(0, i)}`).toBe(true));
    grad.w.forEach((g, i) => expect(closeTo(g, partial(1, i), 1e-6), `w[${i}]: ${g} vs ${partial(1, i)}`).toBe(true));
  });
});

const triangles = `
/** @differentiable(wrt: x) */
export function triangles(x: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) s = Math.sin(s * x[j]!) + x[i]! * x[j]!;
  }
  for (let i = 1; i < n; i++) {
    for (let j = i; j < n; j++) s = s * Math.cos(x[j]! - x[i]!) + 0.5;
    for (let j = i - 1; j < n; j++) s = s * 0.9 + x[j]! * x[j]!;
  }
  for (let i = 2; i < n; i++) for (let j = i + 2; j < n; j++) s = s * x[j]! + x[i - 2]!;
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) s = s * 0.5 + x[i]! * Math.sin(x[j]! * s);
  return s;
}
`;

describe("a triangle's rows: an inner loop counted from the outer loop's counter toward the same bound", () => {
  it('takes its trip count from the outer loop, with no tripCount call per row, for integer and fractional bounds', async () => {
    const compiled = await compileSource(triangles, 'triangles.ts');
    const body = compiled.text.slice(compiled.text.indexOf('function backprop_triangles('));
    const reverse = body.slice(body.indexOf('// Reverse sweep.'));
    // the outer loops' counts only (literal starts); each row's is trips(i) − (j₀ − s)
    expect(reverse.match(/tripCount\(/g)!.length).toBeGreaterThan(0);
    expect(reverse).not.toMatch(/tripCount\((?!\d)/);
    expect(reverse.match(/const trips_\d+ = trips(_\d+)? - /g)).toHaveLength(5);

    const f = fn(compiled.source, 'triangles') as unknown as (...a: unknown[]) => number;
    const grad = fn(compiled.companion, 'grad_triangles') as unknown as (...a: unknown[]) => { x: Float64Array };
    for (const n of [6, 5.5, 4, 2.25, 1, 0.5]) {
      const args = () => [new Float64Array([0.3, -1.2, 0.8, 0.5, 0.1, -0.7]), n];
      grad(...args()).x.forEach((g, i) => {
        const expected = partialAt(f as never, args() as never, [0, i]);
        expect(closeTo(g, expected, 1e-6), `n = ${n}, x[${i}]: ${g} vs ${expected}`).toBe(true);
      });
    }
  });
});

const perPoint = `
/** @differentiable(wrt: means) */
export function nearest(points: Float64Array, means: Float64Array, d: number, k: number): number {
  let total = 0;
  for (let p = 0; p < points.length / d; p++) {
    let best = 0;
    for (let c = 0; c < k; c++) {
      let dist = 0;
      for (let i = 0; i < d; i++) dist += (points[p * d + i]! - means[c * d + i]!) ** 2;
      best += Math.exp(-dist);
    }
    total += Math.log(best);
  }
  return total;
}
`;

describe('an inner loop of a fused loop, bounded by values from before it', () => {
  it('has its trip count computed once before the fused loop runs, and the gradient matches finite differences', async () => {
    const compiled = await compileSource(perPoint, 'per-point-trips.ts');
    const body = compiled.text.slice(compiled.text.indexOf('function backprop_nearest('));
    const fusedLoop = body.indexOf('for (let p_');
    expect(body).toContain('The reverse of this iteration, right after it');
    // tripCount(0, k) and tripCount(0, d), each once, before the loop over points
    for (const count of ['tripCount(0, k)', 'tripCount(0, d)']) {
      expect(body.split(count), count).toHaveLength(2);
      expect(body.indexOf(count), count).toBeLessThan(fusedLoop);
    }

    const f = fn(compiled.source, 'nearest') as unknown as (...a: unknown[]) => number;
    const grad = fn(compiled.companion, 'grad_nearest') as unknown as (...a: unknown[]) => { means: Float64Array };
    const points = new Float64Array([0.3, -1.2, 0.8, 0.5, 0.1, -0.7, 1.1, 0.2, -0.4, 0.6, 0.9, -1]);
    // k not a whole number too: its loops run ⌈k⌉ times
    for (const [d, k] of [
      [2, 3],
      [2, 2.5],
      [2, 1],
      [3, 2],
    ] as const) {
      const args = () => [points, new Float64Array([0.1, 0.4, -0.6, 0.9, 0.3, -0.2]), d, k];
      grad(...args()).means.forEach((g, i) => {
        const expected = partialAt(f as never, args() as never, [1, i]);
        expect(closeTo(g, expected, 1e-6), `d = ${d}, k = ${k}, means[${i}]: ${g} vs ${expected}`).toBe(true);
      });
    }
  });
});
