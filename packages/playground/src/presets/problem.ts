/** What a preset's run is made of, once the user's source and its companion are loaded. */
import type { GreyImage } from '../protocol.ts';

export interface Problem {
  steps: number;
  /** Takes one optimisation step; returns the loss before it. */
  step(): number;
  /** The derivatives at the start point, and the functions that check them by finite differences. */
  check: DerivativeCheck;
  /** The picture the run is fitting and its current state (the renderer's). */
  picture?: { target: GreyImage; current(): GreyImage };
}

/**
 * A function of numbers to numbers at a point: its value computed by the source, its Jacobian
 * (rows: outputs, columns: inputs) by the companion.
 */
export interface DerivativeCheck {
  inputs: string[];
  outputs: string[];
  point: number[];
  evaluate(point: number[]): number[];
  jacobian(point: number[]): number[][];
  /** The inputs to check (their indices), when there are too many to check them all. */
  sample?: number[];
}

/** The exports of the user's source and of its companion, as the run worker evaluated them. */
export interface LoadedModules {
  file: string;
  source: Record<string, unknown>;
  companion: Record<string, unknown>;
}

/** An export the run needs, or an error saying which and where it was looked for. */
export function exported<T>(modules: LoadedModules, from: 'source' | 'companion', name: string): T {
  const value = modules[from][name];
  if (value !== undefined) return value as T;
  const where = from === 'source' ? modules.file : `the companion of ${modules.file}`;
  throw new Error(`This preset's run calls '${name}', which ${where} does not export.`);
}

/** `count` indices spread evenly over 0 … size - 1. */
export function spreadIndices(size: number, count: number): number[] {
  if (size <= count) return Array.from({ length: size }, (_, i) => i);
  return Array.from({ length: count }, (_, k) => Math.round((k * (size - 1)) / (count - 1)));
}
