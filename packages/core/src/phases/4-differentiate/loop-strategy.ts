/**
 * How each loop is differentiated, one strategy per loop (the LoopStrategy interface, sweeps.ts):
 *
 *   taped         the default (taped-loop.ts): each iteration pushes what its reverse needs;
 *   checkpointed  a loop marked `// @checkpoint` (checkpoint.ts): a few stored states, the rest
 *                 computed again by the binomial schedule;
 *   fused         a loop of independent iterations whose accumulators reach the result linearly
 *                 (fused-loop.ts, FunctionFacts.fusedLoops): each iteration's reverse runs right
 *                 after it, in the forward sweep, and nothing is taped across iterations;
 *   rerun         a loop of independent iterations made of cheap operations (rerun-loop.ts,
 *                 FunctionFacts.rerunLoops): run again in the reverse sweep, each iteration
 *                 reversed right after it.
 */
import type { LoopInstr } from '../../ir/ssa.js';
import { checkpointed } from './checkpoint.js';
import type { FunctionFacts } from './facts.js';
import { fused } from './fused-loop.js';
import { rerun } from './rerun-loop.js';
import type { LoopStrategy } from './sweeps.js';
import { taped } from './taped-loop.js';

export function loopStrategy(facts: FunctionFacts, loop: LoopInstr): LoopStrategy {
  // a companion that can be differentiated again (local tapes) tapes every loop (warning AD2034)
  if (loop.checkpoint) return facts.module.tapeStyle === 'shared' ? checkpointed : taped;
  if (facts.fusedLoops.has(loop)) return fused;
  return facts.rerunLoops.has(loop) ? rerun : taped;
}
