/** The tool's modules, one per GradBench eval, loaded on first use. */
import type { Module } from './protocol.ts';

const loaders: Record<string, () => Promise<Module>> = {
  hello: async () => (await import('./modules/hello.ts')).module,
  llsq: async () => (await import('./modules/llsq.ts')).module,
  lse: async () => (await import('./modules/lse.ts')).module,
  gmm: async () => (await import('./modules/gmm.ts')).module,
  det: async () => (await import('./modules/det.ts')).module,
  ode: async () => (await import('./modules/ode.ts')).module,
  particle: async () => (await import('./modules/particle.ts')).module,
  saddle: async () => (await import('./modules/saddle.ts')).module,
  kmeans: async () => (await import('./modules/kmeans.ts')).module,
  lstm: async () => (await import('./modules/lstm.ts')).module,
  ba: async () => (await import('./modules/ba.ts')).module,
  ht: async () => (await import('./modules/ht.ts')).module,
};

/** The evals this tool implements (GradBench's evals.txt). */
export const EVALS = Object.keys(loaders).sort();

export async function loadModule(name: string): Promise<Module | undefined> {
  return Object.hasOwn(loaders, name) ? loaders[name]!() : undefined;
}
