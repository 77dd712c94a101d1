/**
 * Phase 3: optimize. SSA-to-SSA passes that make the gradient cheaper without changing what any
 * function computes: fewer calls replayed in the reverse sweep, fewer containers and shadows,
 * fewer values on the tape; and, last, one that records what the reverse sweep needs to give
 * parameters back their layout. They run in the order of PASSES, the one list of them (the pipeline,
 * `--dump-ir`, the compile-phase benchmark and the tests all read it).
 */
import type { SsaFunction } from '../../ir/ssa.js';
import { forwardStoredValues } from './forward-stores.js';
import { hoistInvariantReads } from './hoist-loads.js';
import { inlineSmallCallees } from './inline.js';
import { recordParameterLayout } from './parameter-layout.js';
import type { FunctionToOptimize, OptimizeOptions, Pass, PassContext, PassObserver } from './pass.js';
import { replaceSmallArrays } from './scalar-arrays.js';
import { shareRepeatedValues } from './shared-values.js';
import { snapshotRepeatedReads } from './snapshot-reads.js';

export type { FunctionToOptimize, OptimizeOptions, Pass, PassContext, PassObserver } from './pass.js';

/** The optimisation passes, in the order they run. */
export const PASSES: readonly Pass[] = [
  /**
   * Copies small callees of the same file into their callers (inline.ts), so that a helper's
   * values are computed once and taped only where needed, instead of its forward sweep running
   * again inside its backprop. First, because every later pass sees more inside one function.
   * Callee-first: a callee is inlined as these first two passes left it.
   */
  { name: 'inline', calleesFirst: true, enabled: (options) => options.inline !== false, run: inlineSmallCallees },
  /**
   * Replaces small arrays that never escape by one number per element, unrolling the small
   * constant loops that index them and folding constants on the way (scalar-arrays.ts, unroll.ts,
   * fold-constants.ts). After inlining, which brings the arrays a helper fills (`cross(a, b, out)`)
   * next to the ones its caller reads; before inlining into the callers, so that a callee whose
   * arrays all became numbers allocates nothing and may be inlined.
   */
  { name: 'scalar-arrays', calleesFirst: true, run: replaceSmallArrays },
  /**
   * Computes an operation repeated in a block on the same values once (shared-values.ts). After
   * inlining and unrolling, which make most of the repeats (`offset + i` in each copy of a body).
   */
  { name: 'shared-values', run: shareRepeatedValues },
  /**
   * Moves reads a loop makes of unchanging arrays at unchanging indices, and lengths that cannot
   * change, to before the loop (hoist-loads.ts). After shared-values, so that each read is moved
   * once; before forward-stores, which needs a hoisted length as its loops' bound.
   */
  { name: 'hoist-loads', run: hoistInvariantReads },
  /**
   * Replaces a read of a scratch array that an earlier loop filled by the computation of the
   * stored value (forward-stores.ts), so the array drops out of the gradient. After hoist-loads,
   * whose hoisted lengths make the fill and the read loops counted ones with the same bound.
   */
  { name: 'forward-stores', run: forwardStoredValues },
  /**
   * Gives a loop nest that reads an array it does not write a copy taken before it
   * (snapshot-reads.ts), so that the tape keeps one array instead of every read. After
   * forward-stores: the reads it removed need no snapshot.
   */
  { name: 'snapshot-reads', run: snapshotRepeatedReads },
  /**
   * Records on each write that changes the layout of a parameter's storage (a row stored into a
   * matrix, a push) what the reverse sweep needs to undo it on the shadow, so that the gradient
   * comes back in the layout of the arguments (parameter-layout.ts). Not an optimisation, but an
   * SSA-to-SSA pass all the same (it adds a load the primal code never emits). Last, so that it
   * sees the writes of inlined callees, where they write into the caller's parameters.
   */
  { name: 'parameter-layout', run: recordParameterLayout },
];

/**
 * Every function of the program through the passes of PASSES that `options` ask for, by key. The
 * callee-first passes run on each function in turn, after the callees it inlines; then each other
 * pass runs on every function. The given functions are not changed.
 */
export function optimize(
  functions: readonly FunctionToOptimize[],
  options: OptimizeOptions = {},
  observe?: PassObserver,
): Map<string, SsaFunction> {
  const byKey = new Map(functions.map((f) => [f.key, f]));
  const passes = PASSES.filter((pass) => pass.enabled?.(options) ?? true);
  const calleesFirst = passes.filter((pass) => pass.calleesFirst);
  const each = passes.filter((pass) => !pass.calleesFirst);

  let optimized = runCalleesFirst(calleesFirst, byKey, observe);
  for (const pass of each) {
    optimized = new Map(
      [...optimized].map(([key, fn]) => {
        const context: PassContext = { key, functions: byKey, callee: () => notCalleeFirst(pass) };
        return [key, runPass(pass, fn, context, observe)];
      }),
    );
  }
  return optimized;
}

/** The functions through `passes`, each after the callees a pass reads (memoised, computed on demand). */
function runCalleesFirst(
  passes: readonly Pass[],
  byKey: ReadonlyMap<string, FunctionToOptimize>,
  observe: PassObserver | undefined,
): Map<string, SsaFunction> {
  const done = new Map<string, SsaFunction>();
  const running = new Set<string>();
  const through = (key: string): SsaFunction => {
    const cached = done.get(key);
    if (cached) return cached;
    if (running.has(key)) throw new Error(`the optimisation passes read ${key} while optimising it (a pass read a recursive callee)`);
    running.add(key);
    const context: PassContext = { key, functions: byKey, callee: through };
    const fn = passes.reduce((current, pass) => runPass(pass, current, context, observe), byKey.get(key)!.ssa);
    running.delete(key);
    done.set(key, fn);
    return fn;
  };
  return new Map([...byKey.keys()].map((key) => [key, through(key)]));
}

function runPass(pass: Pass, fn: SsaFunction, context: PassContext, observe: PassObserver | undefined): SsaFunction {
  const result = pass.run(fn, context);
  observe?.(pass.name, context.key, result);
  return result;
}

function notCalleeFirst(pass: Pass): never {
  throw new Error(`the pass ${pass.name} read a callee but is not marked calleesFirst`);
}
