/** What a workload module gives the benchmark worker, and what the worker reports back. */

/** The tools a workload can time; 'f' is the objective itself. */
export type ToolName = 'f' | 'adjoint' | 'adjoint-inlined' | 'adjoint-checkpointed' | 'hand' | 'tfjs' | 'jax' | 'fd';

export const TOOL_LABELS: Record<ToolName, string> = {
  f: 'f',
  adjoint: 'Adjoint',
  'adjoint-inlined': 'Adjoint (inlined f)',
  'adjoint-checkpointed': 'Adjoint (checkpointed loop)',
  hand: 'hand-written',
  tfjs: 'TF.js',
  jax: 'jax-js',
  fd: 'finite diff.',
};

export interface ValueAndGradient {
  value: number;
  /** The gradient flattened in the workload's order. */
  gradient: ArrayLike<number>;
}

export interface GradientTool {
  name: Exclude<ToolName, 'f' | 'fd'>;
  precision: 'float64' | 'float32';
  /** One call, as timed: the value and gradient, brought back to JavaScript numbers. */
  run: () => unknown;
  /** The value and flat gradient, for the checks (may reuse run). */
  evaluate: () => ValueAndGradient;
  note?: string;
}

export interface Skipped {
  name: ToolName;
  reason: string;
}

/** A reference that a gradient is checked against. */
export interface Reference {
  /** What the reference is, for the report ("ADBench golden gradient", "finite differences"). */
  label: string;
  /** Flat indices and expected values. */
  entries: Array<{ index: number; expected: number }>;
  /** Relative tolerance (scaled by max(1, |expected|)). */
  tolerance: number;
}

export interface PreparedWorkload {
  id: string;
  group: string;
  title: string;
  /** Number of differentiated inputs. */
  inputs: number;
  /** One call of the objective. */
  f: () => number;
  /** The objective at the flat input vector `flat` (views are fine; used by finite differences). */
  fAt: (flat: Float64Array) => number;
  /** The flat input vector at which everything is evaluated. */
  point: Float64Array;
  tools: GradientTool[];
  skipped: Skipped[];
  /** Checks other than the per-gradient ones: e.g. f's value against ADBench's golden value. */
  extraChecks?: () => Array<{ label: string; ok: boolean; detail: string }>;
  /** Full references (golden gradients); finite differences on sampled entries are added anyway. */
  references?: Reference[];
  /** How many entries finite differences check (default 6). */
  fdEntries?: number;
  /** Measurements beyond timing (tape memory, expression sizes). */
  extra?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  notes?: string[];
}

export interface TimingSummary {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number;
  /** Calls per sample (short calls are repeated so that a sample lasts a few milliseconds). */
  callsPerSample: number;
  /** Estimated rather than measured (finite differences on many inputs: 2N × f's median). */
  estimated?: boolean;
  /** One call only: the checked call, which took too long to repeat. */
  singleCall?: boolean;
}

export interface CheckResult {
  tool: string;
  against: string;
  entries: number;
  maxError: number;
  tolerance: number;
  ok: boolean;
}

export interface WorkloadResult {
  id: string;
  group: string;
  title: string;
  inputs: number;
  value: number;
  times: Partial<Record<ToolName, TimingSummary>>;
  /** median(tool) / median(f). */
  ratios: Partial<Record<ToolName, number>>;
  checks: CheckResult[];
  extraChecks: Array<{ label: string; ok: boolean; detail: string }>;
  failed: Array<{ name: ToolName; reason: string }>;
  skipped: Skipped[];
  extra: Record<string, unknown>;
  notes: string[];
  wallSeconds: number;
}
