/**
 * Directional derivatives for forward mode: a direction shaped like the arguments, finite
 * differences of t ↦ f(args + t·v) at t = 0, and the gradient's dot product with a direction
 * (what a reverse-mode gradient says the directional derivative is).
 */
import { leaves, type Argument } from './finite-difference.js';

type Path = Array<string | number>;

/** A direction shaped like `arg` (numbers, arrays, typed arrays, objects), from a seeded sequence in [-1.5, 1.5]. */
export function directionLike(arg: Argument, next: () => number): Argument {
  if (typeof arg === 'number') return next();
  if (arg instanceof Float64Array) return Float64Array.from(arg, () => next());
  if (arg instanceof Float32Array) return Float64Array.from(arg, () => next());
  if (Array.isArray(arg)) return arg.map((a) => directionLike(a, next));
  return Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, directionLike(v, next)]));
}

/** A seeded generator (mulberry32) of values in [-1.5, 1.5]. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return 3 * (((t ^ (t >>> 14)) >>> 0) / 4294967296) - 1.5;
  };
}

function at(holder: any, path: Path): any {
  for (const key of path) holder = holder[key];
  return holder;
}

/** args + t·v, where `directions[i]` is undefined for an argument that is not differentiated. */
export function shifted(args: Argument[], directions: Array<Argument | undefined>, t: number): Argument[] {
  const copy = structuredClone(args);
  directions.forEach((direction, i) => {
    if (direction === undefined) return;
    if (typeof direction === 'number') {
      copy[i] = (copy[i] as number) + t * direction;
      return;
    }
    for (const [path, value] of leaves(direction)) {
      const holder = at(copy[i], path.slice(0, -1));
      holder[path.at(-1)!] += t * value;
    }
  });
  return copy;
}

/** Richardson central differences (error O(h⁴)) of t ↦ f(args + t·v) at t = 0. */
export function directionalDerivative(f: (...args: Argument[]) => number, args: Argument[], directions: Array<Argument | undefined>, h = 1e-3): number {
  const central = (step: number) => (f(...shifted(args, directions, step)) - f(...shifted(args, directions, -step))) / (2 * step);
  return (4 * central(h / 2) - central(h)) / 3;
}

/** Σ over every number of the differentiated parameters of ∂f/∂x · v: the gradient along the direction. */
export function gradientAlong(grad: Record<string, Argument>, names: string[], directions: Array<Argument | undefined>): number {
  let sum = 0;
  directions.forEach((direction, i) => {
    if (direction === undefined) return;
    const g = grad[names[i]!]!;
    if (typeof direction === 'number') sum += (g as number) * direction;
    else for (const [path, value] of leaves(direction)) sum += at(g, path) * value;
  });
  return sum;
}
