/**
 * GradBench's evals whose derivative is a gradient, as benchmark workloads: the Adjoint tool's own
 * sources (gradbench/evals) and companions, at one size each, with TF.js and jax-js where they run.
 * The inputs are drawn like the evals' (uniform in [0, 1); kmeans' centroids are its last points),
 * from a fixed generator.
 */
import { primal as det } from '../../../gradbench/evals/det.ts';
import { valueAndGrad_primal as valueAndGradDet } from '../../../gradbench/evals/det.grad.ts';
import { objective as kmeans } from '../../../gradbench/evals/kmeans.ts';
import { valueAndGrad_objective as valueAndGradKmeans } from '../../../gradbench/evals/kmeans.grad.ts';
import { primal as llsq } from '../../../gradbench/evals/llsq.ts';
import { valueAndGrad_primal as valueAndGradLlsq } from '../../../gradbench/evals/llsq.grad.ts';
import { primal as lse } from '../../../gradbench/evals/lse.ts';
import { valueAndGrad_primal as valueAndGradLse } from '../../../gradbench/evals/lse.grad.ts';
import { primal as ode } from '../../../gradbench/evals/ode.ts';
import { valueAndVjp_primal as valueAndVjpOde } from '../../../gradbench/evals/ode.grad.ts';
import { loadJax, loadTf } from '../support/peers.ts';
import type { GradientTool, PreparedWorkload, Skipped } from '../support/types.ts';
import { jaxKmeans, jaxLlsq, jaxLse, tfKmeans, tfLlsq, tfLse } from './peers.ts';

/** The sizes of the workloads (GradBench's eval arguments). */
export const GRADBENCH_WORKLOADS: Record<string, string> = {
  llsq: 'llsq n=4096 m=128',
  lse: 'lse n=160000',
  det: 'det ℓ=8',
  ode: 'ode n=1000 s=10',
  kmeans: 'kmeans k=100 n=1000 d=8 (cost gradient)',
};

function uniform(count: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: count }, () => ((s = (Math.imul(s, 48271) >>> 0) % 2147483647) + 0.5) / 2147483647);
}

type Peer = (() => { value: number; gradient: ArrayLike<number> }) | string;

async function peers(make: { tfjs?: (tf: NonNullable<Exclude<Awaited<ReturnType<typeof loadTf>>, string>>) => Peer; jax?: (jax: Exclude<Awaited<ReturnType<typeof loadJax>>, string>) => Peer; skip?: string }): Promise<{ tools: GradientTool[]; skipped: Skipped[] }> {
  const tools: GradientTool[] = [];
  const skipped: Skipped[] = [];
  const tf = await loadTf();
  const jax = await loadJax();
  for (const [name, loaded, build] of [
    ['tfjs', tf, make.tfjs],
    ['jax', jax, make.jax],
  ] as const) {
    if (!build) skipped.push({ name, reason: make.skip ?? 'not written' });
    else if (typeof loaded === 'string') skipped.push({ name, reason: loaded });
    else {
      let run: Peer;
      try {
        run = (build as (x: typeof loaded) => Peer)(loaded);
      } catch (error) {
        run = `could not be set up: ${(error as Error).message.split('\n')[0]}`;
      }
      if (typeof run === 'string') skipped.push({ name, reason: run });
      else tools.push({ name, precision: name === 'tfjs' ? 'float32' : 'float64', run, evaluate: run });
    }
  }
  return { tools, skipped };
}

export async function prepareGradbench(name: string): Promise<PreparedWorkload> {
  const base = { id: `gradbench/${name}`, group: 'gradbench', title: `GradBench ${GRADBENCH_WORKLOADS[name] ?? name}` };
  switch (name) {
    case 'llsq': {
      const [n, m] = [4096, 128];
      const x = uniform(m, 1);
      const adjoint: GradientTool = { name: 'adjoint', precision: 'float64', run: () => valueAndGradLlsq(x, n), evaluate: () => { const r = valueAndGradLlsq(x, n); return { value: r.value, gradient: r.grad.x }; } };
      const p = await peers({ tfjs: (tf) => tfLlsq(tf, x, n), jax: (jax) => jaxLlsq(jax, x, n) });
      return { ...base, inputs: m, f: () => llsq(x, n), fAt: (v) => llsq(v, n), point: x, tools: [adjoint, ...p.tools], skipped: p.skipped };
    }
    case 'lse': {
      const x = uniform(160_000, 2);
      const adjoint: GradientTool = { name: 'adjoint', precision: 'float64', run: () => valueAndGradLse(x), evaluate: () => { const r = valueAndGradLse(x); return { value: r.value, gradient: r.grad.x }; } };
      const p = await peers({ tfjs: (tf) => tfLse(tf, x), jax: (jax) => jaxLse(jax, x) });
      return { ...base, inputs: x.length, f: () => lse(x), fAt: (v) => lse(v), point: x, tools: [adjoint, ...p.tools], skipped: p.skipped };
    }
    case 'det': {
      const ell = 8;
      const A = uniform(ell * ell, 3);
      const adjoint: GradientTool = { name: 'adjoint', precision: 'float64', run: () => valueAndGradDet(A, ell), evaluate: () => { const r = valueAndGradDet(A, ell); return { value: r.value, gradient: r.grad.A }; } };
      const skip = 'expansion by minors is scalar recursion; as array code it is the O(ℓ!) sum over permutations, another algorithm';
      const p = await peers({ skip });
      return { ...base, inputs: A.length, f: () => det(A, ell), fAt: (v) => det(v, ell), point: A, tools: [adjoint, ...p.tools], skipped: p.skipped };
    }
    case 'ode': {
      const [n, s] = [1000, 10];
      const x = uniform(n, 4);
      const last = new Float64Array(n);
      last[n - 1] = 1;
      const adjoint: GradientTool = {
        name: 'adjoint',
        precision: 'float64',
        run: () => valueAndVjpOde(x, s, last),
        evaluate: () => {
          const r = valueAndVjpOde(x, s, last);
          return { value: r.value[n - 1]!, gradient: r.grad.xi };
        },
      };
      const p = await peers({ skip: 'not written: each Runge–Kutta stage shifts y by one (z[i] = x[i]·y[i − 1]), a loop of s steps that jax-js would unroll' });
      return {
        ...base,
        inputs: n,
        f: () => ode(x, s)[n - 1]!,
        fAt: (v) => ode(v, s)[n - 1]!,
        point: x,
        tools: [adjoint, ...p.tools],
        skipped: p.skipped,
        notes: ['GradBench ode: at n = 1000, y[n − 1] (a product of about n numbers below 1) underflows to 0, and so does its gradient, so the finite-difference check passes trivially there; test/gradbench checks the same code at n = 6'],
      };
    }
    case 'kmeans': {
      const [k, n, d] = [100, 1000, 8];
      const points = uniform(n * d, 5);
      const centroids = points.slice((n - k) * d);
      const adjoint: GradientTool = {
        name: 'adjoint',
        precision: 'float64',
        run: () => valueAndGradKmeans(n, k, d, points, centroids),
        evaluate: () => {
          const r = valueAndGradKmeans(n, k, d, points, centroids);
          return { value: r.value, gradient: r.grad.centroids };
        },
      };
      const p = await peers({ tfjs: (tf) => tfKmeans(tf, points, centroids, d), jax: (jax) => jaxKmeans(jax, points, centroids, d) });
      return {
        ...base,
        inputs: centroids.length,
        f: () => kmeans(n, k, d, points, centroids),
        fAt: (v) => kmeans(n, k, d, points, v),
        point: centroids,
        tools: [adjoint, ...p.tools],
        skipped: p.skipped,
        notes: ['GradBench kmeans: its objective is marked `hessian` (for the eval\'s `dir`), so this gradient is that of a companion written to be differentiated again'],
      };
    }
    default:
      throw new Error(`unknown GradBench workload ${name}`);
  }
}
