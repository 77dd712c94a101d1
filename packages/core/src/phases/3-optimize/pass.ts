/**
 * What an optimisation pass is: a rewrite of one SSA function into another that computes the same
 * values, run by `optimize` (index.ts) in the order of the PASSES list.
 */
import type { SsaFunction } from '../../ir/ssa.js';

/** A function of the program being optimised, as lowered, and what the passes need to know of it. */
export interface FunctionToOptimize {
  key: string;
  ssa: SsaFunction;
  /** The source file it is defined in (compared by identity). */
  file: object;
  /** True when a user's derivative rule differentiates calls of it. */
  hasRule: boolean;
}

export interface PassContext {
  /** The key of the function the pass is running on. */
  key: string;
  /** Every function of the program, by key, as lowered. */
  functions: ReadonlyMap<string, FunctionToOptimize>;
  /**
   * Another function of the program as the callee-first passes leave it (in a callee-first pass
   * only): it has been through all of them by the time this returns.
   */
  callee(key: string): SsaFunction;
}

export interface Pass {
  /** The pass's name, as `--dump-ir=<name>` and the compile-phase benchmark write it. */
  name: string;
  /**
   * Runs on a function only after the callees it reads through `context.callee` have been
   * through every callee-first pass (a pass that copies callees into their callers). The
   * callee-first passes come first in the list; the others run on each function alone.
   */
  calleesFirst?: boolean;
  /** Whether the compile options ask for the pass (default: always). */
  enabled?: (options: OptimizeOptions) => boolean;
  /** The rewritten function. A pass never changes `fn` itself: it returns a copy, or `fn` when it has nothing to do. */
  run(fn: SsaFunction, context: PassContext): SsaFunction;
}

export interface OptimizeOptions {
  /** Inline small helpers of the same file (default true); see CompileOptions.inline. */
  inline?: boolean;
}

/** Called after each pass on each function (to print or verify the IR). */
export type PassObserver = (pass: string, key: string, fn: SsaFunction) => void;
