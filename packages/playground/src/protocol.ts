/**
 * The messages between the page and its two workers: the compile worker (Adjoint and TypeScript,
 * loaded once) and the run worker (a preset's optimisation loop over the compiled JavaScript).
 */
import type { Diagnostic } from '@adjoint/core';
import type { PresetId } from './presets/catalogue.ts';

/** Compile `source` (the file `path`) into its companion; with `javascript`, also both as JavaScript to run. */
export interface CompileRequest {
  id: number;
  path: string;
  source: string;
  javascript: boolean;
}

/** CommonJS modules, ready to evaluate: the user's source and its companion. */
export interface RunnableModules {
  source: string;
  companion: string;
}

export interface CompileReply {
  id: number;
  /** The companion's TypeScript text, when the source has marked functions and no errors. */
  companion?: string;
  diagnostics: Diagnostic[];
  /** Time spent compiling in the worker (not counting the wait for the worker), ms. */
  milliseconds: number;
  javascript?: RunnableModules;
  /** A failure of the worker itself (the compiler did not load), not a diagnostic of the source. */
  failure?: string;
}

export interface RunRequest {
  preset: PresetId;
  modules: RunnableModules;
}

/** One derivative at the start point: Adjoint's, and central finite differences of the source. */
export interface GradientCheckRow {
  /** What is differentiated with respect to what, e.g. `∂loss/∂capacity`. */
  label: string;
  adjoint: number;
  finiteDifference: number;
}

/** A grey image, row by row, values in [0, 1]. */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Float64Array;
}

export type RunReply =
  | { kind: 'started'; title: string; steps: number; target?: GreyImage }
  | { kind: 'check'; rows: GradientCheckRow[] }
  /** Losses of the steps run since the last progress (step numbers from 1), and the image after them. */
  | { kind: 'progress'; firstStep: number; losses: number[]; image?: GreyImage }
  | { kind: 'done'; steps: number; seconds: number }
  | { kind: 'failed'; message: string };

/** A worker's global scope, typed by the messages it takes and sends. */
export interface WorkerScope<In, Out> {
  onmessage: ((event: MessageEvent<In>) => void) | null;
  postMessage(message: Out, transfer?: Transferable[]): void;
}
