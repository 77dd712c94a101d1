/**
 * Each GradBench function the Adjoint tool answers, called as the eval calls it (JSON in, JSON
 * out), against central finite differences of the eval's primal function at a small input:
 * gradients, Jacobians (ba's sparse blocks, ht's columns, us included), kmeans' J·H⁻¹ (H from
 * second differences), and the nested derivatives inside particle and saddle.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Module } from '../../gradbench/tool/protocol.ts';
import { generateCompanions } from './companions.ts';

let load: (name: string) => Promise<Module | undefined>;
beforeAll(async () => {
  generateCompanions();
  load = (await import('../../gradbench/tool/modules.ts')).loadModule;
}, 300_000);

type Json = any;
const once = { min_runs: 1, min_seconds: 0 };

/** A deterministic generator of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 48271) >>> 0) % 2147483647) + 0.5) / 2147483647;
}

async function call(module: string, fn: string, input: Json): Promise<Json> {
  const m = (await load(module))!;
  return m[fn]!({ ...input, ...once }).output;
}

/** ∂ out(input) / ∂ input[path], by central differences with one Richardson step. */
function difference(f: (input: Json) => number, input: Json, path: Array<string | number>, h = 1e-4): number {
  const at = (step: number) => {
    const copy = structuredClone(input);
    let holder = copy;
    for (const key of path.slice(0, -1)) holder = holder[key];
    holder[path.at(-1)!] += step;
    return f(copy);
  };
  const central = (step: number) => (at(step) - at(-step)) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

/** The same, for every entry of a vector output at once. */
function differenceOfVector(f: (input: Json) => number[], input: Json, path: Array<string | number>, h = 1e-4): number[] {
  const at = (step: number) => {
    const copy = structuredClone(input);
    let holder = copy;
    for (const key of path.slice(0, -1)) holder = holder[key];
    holder[path.at(-1)!] += step;
    return f(copy);
  };
  const [p1, m1, p2, m2] = [at(h), at(-h), at(h / 2), at(-h / 2)];
  return p1.map((_, i) => (4 * ((p2[i]! - m2[i]!) / h) - (p1[i]! - m1[i]!) / (2 * h)) / 3);
}

function expectClose(actual: number, expected: number, what: string, tolerance = 1e-6): void {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected) / scale, `${what}: tool ${actual}, finite differences ${expected}`).toBeLessThan(tolerance);
}

/** Primal and derivative are both calls of the tool; the primal is synchronous through a cache of modules. */
async function primalOf(module: string, fn: string): Promise<(input: Json) => Json> {
  const m = (await load(module))!;
  return (input) => m[fn]!({ ...input, ...once }).output;
}

describe('the GradBench tool against finite differences', () => {
  it('hello: double is the derivative of square', async () => {
    const m = (await load('hello'))!;
    for (const x of [-1.5, 0.25, 3]) expectClose(m.double!(x).output as number, difference((v) => m.square!(v.x).output as number, { x }, ['x']), `d square/dx at ${x}`);
  });

  it('llsq and lse: the gradient', async () => {
    const r = random(1);
    for (const [module, input] of [
      ['llsq', { x: Array.from({ length: 5 }, r), n: 17 }],
      ['lse', { x: Array.from({ length: 7 }, () => 4 * r() - 2) }],
    ] as const) {
      const primal = await primalOf(module, 'primal');
      const gradient = await call(module, 'gradient', input);
      expect(gradient).toHaveLength(input.x.length);
      input.x.forEach((_, j) => expectClose(gradient[j], difference(primal, input, ['x', j]), `${module} ∂/∂x[${j}]`));
    }
  });

  it('det: the gradient of the determinant by minors, ℓ = 4', async () => {
    const r = random(2);
    const input = { A: Array.from({ length: 16 }, r), ell: 4 };
    const primal = await primalOf('det', 'primal');
    const gradient = await call('det', 'gradient', input);
    input.A.forEach((_, i) => expectClose(gradient[i], difference(primal, input, ['A', i]), `∂det/∂A[${i}]`));
  });

  it('ode: the gradient of the last element of y', async () => {
    const r = random(3);
    const input = { x: Array.from({ length: 6 }, r), s: 3 };
    const primal = await primalOf('ode', 'primal');
    const gradient = await call('ode', 'gradient', input);
    input.x.forEach((_, i) => expectClose(gradient[i], difference((v) => primal(v).at(-1), input, ['x', i]), `∂y[n−1]/∂x[${i}]`));
  });

  it('gmm: the gradient with respect to alpha, mu, q and l, d = 3, k = 2', async () => {
    const r = random(4);
    const [d, k, n] = [3, 2, 5];
    const rows = (count: number, width: number) => Array.from({ length: count }, () => Array.from({ length: width }, () => 2 * r() - 1));
    const input = { d, k, n, x: rows(n, d), m: 1, gamma: 1.3, alpha: rows(1, k)[0]!, mu: rows(k, d), q: rows(k, d), l: rows(k, (d * (d - 1)) / 2) };
    const primal = await primalOf('gmm', 'objective');
    const J = await call('gmm', 'jacobian', input);
    input.alpha.forEach((_, i) => expectClose(J.alpha[i], difference(primal, input, ['alpha', i]), `∂/∂alpha[${i}]`));
    for (const field of ['mu', 'q', 'l'] as const) {
      input[field].forEach((row, i) => row.forEach((_, j) => expectClose(J[field][i][j], difference(primal, input, [field, i, j]), `∂/∂${field}[${i}][${j}]`)));
    }
  });

  it('lstm: the gradient with respect to the main and extra parameters, l = 2, b = 3', async () => {
    const r = random(5);
    const [l, b, c] = [2, 3, 4];
    const rows = (count: number, width: number) => Array.from({ length: count }, () => Array.from({ length: width }, r));
    const input = {
      main_params: rows(2 * l, 4 * b),
      extra_params: rows(3, b),
      state: rows(2 * l, b),
      sequence: Array.from({ length: c }, () => Array.from({ length: b }, () => (r() < 0.5 ? 0 : 1))),
    };
    const primal = await primalOf('lstm', 'objective');
    const J = await call('lstm', 'jacobian', input);
    expect(J).toHaveLength(8 * l * b + 3 * b);
    let at = 0;
    for (const field of ['main_params', 'extra_params'] as const) {
      input[field].forEach((row, i) => row.forEach((_, j) => expectClose(J[at++], difference(primal, input, [field, i, j]), `∂/∂${field}[${i}][${j}]`)));
    }
  });

  it('kmeans: dir is the gradient divided by the Hessian diagonal', async () => {
    const r = random(6);
    const points = Array.from({ length: 12 }, () => [r(), r(), r()]);
    // the eval's centroids are its last points (each has at least one point); copies, as JSON has them
    const input = { points, centroids: points.slice(-3).map((row) => row.slice()) };
    const cost = await primalOf('kmeans', 'cost');
    const dir = await call('kmeans', 'dir', input);
    const h = 1e-3;
    input.centroids.forEach((row, i) =>
      row.forEach((_, j) => {
        const J = difference(cost, input, ['centroids', i, j]);
        const shifted = (step: number) => {
          const copy = structuredClone(input);
          copy.centroids[i]![j]! += step;
          return cost(copy);
        };
        // the cost is quadratic in each centroid while the assignment stays: the second difference is exact
        const H = (shifted(h) - 2 * shifted(0) + shifted(-h)) / (h * h);
        expectClose(dir[i][j], J / H, `dir[${i}][${j}]`, 1e-5);
      }),
    );
  });

  it('ba: the sparse Jacobian blocks of the first observation and the last weight error', async () => {
    const input = {
      n: 3,
      m: 4,
      p: 7,
      cam: [0.12, -0.3, 0.25, 0.4, -0.2, -3.1, 420, 0.3, -0.6, 1e-3, -2e-5],
      x: [0.7, -0.4, 1.9],
      w: 0.83,
      feat: [-0.9, 1.1],
    };
    const objective = await primalOf('ba', 'objective');
    const J = await call('ba', 'jacobian', input);
    expect(J.rows.slice(0, 4)).toEqual([0, 15, 30, 45]);
    expect(J.cols.slice(0, 15)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 33, 34, 35, 45]);
    // Every camera, point and weight is the input's, so perturbing the input's perturbs the first
    // observation's camera, point and weight, and nothing else it depends on.
    const columns: Array<[string, number]> = [...input.cam.map((_, i): [string, number] => ['cam', i]), ...[0, 1, 2].map((i): [string, number] => ['x', i]), ['w', -1]];
    for (let row = 0; row < 2; row++) {
      columns.forEach(([field, i], c) => {
        const path = i < 0 ? [field] : [field, i];
        const expected = difference((v) => objective(v).reproj_error.elements[row], input, path, 1e-6 * Math.max(1, Math.abs(i < 0 ? input.w : (input as any)[field][i])));
        expectClose(J.vals[row * 15 + c], expected, `∂reproj_err[${row}]/∂${path.join('.')}`, 1e-5);
      });
    }
    expectClose(J.vals.at(-1), difference((v) => objective(v).w_err.element, input, ['w']), '∂w_err/∂w');
  });

  it('ht: the Jacobian columns, theta and (complicated) the barycentric coordinates, on a small synthetic hand', async () => {
    const r = random(7);
    const nBones = 22; // the pose has 3 + 22 columns: the finger parameters reach column 24
    const nVerts = 6;
    const matrix = () => [0, 1, 2, 3].map((i) => (i < 3 ? [0, 1, 2, 3].map(() => 2 * r() - 1) : [0, 0, 0, 1]));
    const model = {
      bone_count: nBones,
      bone_names: Array.from({ length: nBones }, (_, i) => `bone${i}`),
      parents: Array.from({ length: nBones }, (_, i) => (i === 0 ? -1 : Math.floor(r() * i))),
      base_relatives: Array.from({ length: nBones }, matrix),
      inverse_base_absolutes: Array.from({ length: nBones }, matrix),
      base_positions: Array.from({ length: nVerts }, () => [r(), r(), r(), 1]),
      weights: Array.from({ length: nVerts }, () => Array.from({ length: nBones }, () => r() / nBones)),
      triangles: [
        [0, 1, 2],
        [3, 4, 5],
        [1, 3, 5],
      ],
      is_mirrored: false,
    };
    const theta = Array.from({ length: 26 }, () => 0.6 * r() - 0.3);
    const points = Array.from({ length: 4 }, () => [r(), r(), r()]);
    const simple = { theta, us: [], data: { model: { ...model, is_mirrored: true }, correspondences: [5, 0, 2, 3], points } };
    const complicated = { theta, us: points.map(() => [0.3 * r(), 0.3 * r()]), data: { model, correspondences: [2, 0, 1, 0], points } };
    const objective = await primalOf('ht', 'objective');
    for (const input of [simple, complicated]) {
      const J = await call('ht', 'jacobian', input);
      const uColumns = input.us.length ? 2 : 0;
      expect(J).toHaveLength(3 * points.length);
      expect(J[0]).toHaveLength(uColumns + 26);
      // one column at a time: the finite differences of every error along one input
      const column = (path: Array<string | number>) => differenceOfVector((v) => objective(v), input, path);
      theta.forEach((_, j) => column(['theta', j]).forEach((expected, row) => expectClose(J[row][uColumns + j], expected, `∂err[${row}]/∂theta[${j}]`)));
      for (let u = 0; u < uColumns; u++) {
        // each error depends on its own point's us only: perturbing every point's u gives the compressed column
        const shifted = (step: number) => {
          const copy = structuredClone(input);
          for (const us of copy.us as number[][]) us[u]! += step;
          return objective(copy) as number[];
        };
        shifted(0).forEach((_, row) => {
          const central = (h: number) => (shifted(h)[row]! - shifted(-h)[row]!) / (2 * h);
          expectClose(J[row][u], (4 * central(5e-5) - central(1e-4)) / 3, `∂err[${row}]/∂us[${Math.floor(row / 3)}][${u}]`);
        });
      }
    }
  });

  it('particle and saddle: the derivatives inside them, nested (reverse and forward over both)', async () => {
    const { intersectionEulerR, intersectionEulerF } = await import('../../gradbench/evals/particle.ts');
    const p = await import('../../gradbench/evals/particle.grad.ts');
    for (const w of [0, 0.21]) {
      const expected = difference((v) => intersectionEulerR(v.w), { w }, ['w'], 1e-5);
      expect(intersectionEulerF(w)).toBeCloseTo(intersectionEulerR(w), 12);
      expectClose(p.grad_intersectionEulerR(w).w, expected, `rr at w = ${w}`);
      expectClose(p.grad_intersectionEulerF(w).w, expected, `rf at w = ${w}`);
      expectClose(p.jvp_intersectionEulerR(w, 1).tangent, expected, `fr at w = ${w}`);
      expectClose(p.jvp_intersectionEulerF(w, 1).tangent, expected, `ff at w = ${w}`);
    }
    const { maxOverYR, maxOverYF } = await import('../../gradbench/evals/saddle.ts');
    const s = await import('../../gradbench/evals/saddle.grad.ts');
    const [x0, x1] = [0.4, -0.7];
    expect(maxOverYF(x0, x1, 1, 1)).toBe(maxOverYR(x0, x1, 1, 1));
    for (const [i, name] of [
      [0, 'x0'],
      [1, 'x1'],
    ] as const) {
      const expected = difference((v) => maxOverYR(v.x[0], v.x[1], 1, 1), { x: [x0, x1] }, ['x', i], 1e-6);
      expectClose(s.grad_maxOverYR(x0, x1, 1, 1)[name], expected, `∂maxOverYR/∂${name}`, 1e-5);
      expectClose(s.grad_maxOverYF(x0, x1, 1, 1)[name], expected, `∂maxOverYF/∂${name}`, 1e-5);
      const [d0, d1] = i === 0 ? [1, 0] : [0, 1];
      expectClose(s.jvp_maxOverYR(x0, x1, 1, 1, d0, d1).tangent, expected, `jvp maxOverYR along ${name}`, 1e-5);
      expectClose(s.jvp_maxOverYF(x0, x1, 1, 1, d0, d1).tangent, expected, `jvp maxOverYF along ${name}`, 1e-5);
    }
  });
});
