/**
 * A loop's reverse skipped when the adjoints it starts from are all zero.
 *
 * The reverse of a loop is linear in the adjoints it is handed: the carried values' adjoints
 * after the loop (the seeds), and the adjoints it reads from shadows. A loop that reads no
 * shadow (it stores into no container, creates none, calls nothing) adds only seed · partial
 * into the adjoints outside it; with every seed zero it adds nothing, and its carried adjoints
 * stay zero. So its reverse runs under `if (d_c !== 0 || …)`: in kmeans, of the k distances of a
 * point only the closest one's adjoint is not zero (d min(a, b)/da is 0 or 1), and the reverse
 * of the other k − 1 distance loops is skipped; so is a ReLU's inactive unit.
 *
 * Where a value of the loop is infinite or NaN, the reverse it skips would have added 0 · ∞ =
 * NaN; skipped, it adds nothing, which is the derivative along a path that does not reach the
 * result. A NaN seed is not zero: it still runs.
 *
 * A companion with local tapes is differentiated again, and there the tangent of an adjoint that
 * is zero at the point need not be (H·v at a minimum, where d_r = 2r is 0 and its tangent 2·ṙ is
 * not): a test on the adjoint alone would drop those tangents. So it marks the loop instead,
 * `// @skipWhenZero(d_c, …)` (2-lower/skip-marks.ts), and forward mode over it runs the loop
 * unless the adjoints and their tangents are all zero (instructions/loop.ts).
 */
import { binary, num, ref } from '../../ir/build.js';
import type { Expr, Stmt } from '../../ir/code.js';
import type { Block, LoopInstr } from '../../ir/ssa.js';
import { childBlocks, forEachInstr } from '../../ir/walk.js';
import { needsOf } from './context.js';
import type { ReverseSweep, TapePlans } from './sweeps.js';
import { skipWhenZeroMark } from '../2-lower/skip-marks.js';

/** The instructions whose reverse only adds seed · partial into adjoints: no container written, created or handed to a call. */
const LINEAR_IN_SEEDS = new Set(['const', 'global', 'prim', 'if', 'loop', 'load', 'length']);

/**
 * The loop's reverse `loopReverse`, run only when one of the carried adjoints named `seeds` is
 * not zero, when the loop qualifies; else `loopReverse` unchanged. Whether it does depends on the
 * tape plan (nothing inside may pop): the reverse leaves a hole that decides once it is known.
 */
export function skippedWhenZero(sweep: ReverseSweep, loop: LoopInstr, seeds: string[], loopReverse: Stmt[]): Stmt[] {
  const { facts } = sweep;
  if (facts.apart || seeds.length === 0 || !linearInSeeds(loop)) return loopReverse;
  const skipped: Stmt[] =
    facts.module.tapeStyle === 'shared'
      ? [{ kind: 'if', test: anyNonZero(seeds.map((name) => ref(name))), then: loopReverse, else: [] }]
      : [{ kind: 'comment', text: skipWhenZeroMark(seeds) }, ...loopReverse];
  return [sweep.later(needsOf(loopReverse), (forward) => (popsNothing(forward.plans, loop.body) ? skipped : loopReverse))];
}

/** a !== 0 || b !== 0 || … */
export function anyNonZero(values: Expr[]): Expr {
  return values.map((value) => binary('!==', value, num(0))).reduce((a, b) => binary('||', a, b));
}

function linearInSeeds(loop: LoopInstr): boolean {
  let linear = !loop.checkpoint;
  forEachInstr(loop.body, (instr) => {
    if (!LINEAR_IN_SEEDS.has(instr.kind) || (instr.kind === 'loop' && instr.checkpoint)) linear = false;
  });
  return linear;
}

/**
 * True when the reverse of the block and of the blocks inside it pops nothing from the tape and
 * moves no running value (which the reverse around the loop reads): skipped, the tape and the
 * running values stay where the reverse after it expects them.
 */
function popsNothing(plans: TapePlans, block: Block): boolean {
  const plan = plans.of(block);
  if (plan.saved.length > 0 || plan.running.length > 0) return false;
  return block.instrs.every((instr) => childBlocks(instr).every((child) => popsNothing(plans, child)));
}
