/**
 * Analyses: read-only facts about the optimised SSA functions of a program, which the checks and
 * the differentiator consult. `Analyses` computes each once: the callee summaries once per
 * program, and activity (with the facts built on it) once per function and set of differentiated
 * parameters, however many generated functions and checks ask. Nothing changes an SSA function
 * after optimisation, so a fact, once computed, stays true.
 */
import type { Block, LoopInstr, SsaFunction, ValueId } from '../ir/ssa.js';
import { analyzeActivity, type Activity } from './activity.js';
import { definingBlocks } from './blocks.js';
import { contributionSites, type Contributions } from './contributions.js';
import { independentLoops, type IndependentLoop } from './independent-iterations.js';
import { summarize } from './summaries.js';
import type { CalleeSummaries } from './callee-summary.js';

export type { Activity } from './activity.js';
export type { Contributions } from './contributions.js';
export type { CalleeSummaries, CalleeSummary } from './callee-summary.js';
export type { IndependentLoop } from './independent-iterations.js';
export { linearTail, type LinearTail, type TailStep } from './linear-tail.js';

export interface Analysis {
  activity: Activity;
  /** The block that defines each value. */
  definedIn: Map<ValueId, Block>;
  contributions: Contributions;
  /** The loops whose iterations are independent (independent-iterations.ts). */
  independentLoops: Map<LoopInstr, IndependentLoop>;
}

export class Analyses {
  /** What each function of the program does to its arguments, by key (undefined for one without a body). */
  readonly summaries: CalleeSummaries;
  /** By function body (shared by every copy of a function that only changes which parameters are differentiated), then by that choice. */
  private readonly activities = new WeakMap<Block, Map<string, Activity>>();
  private readonly analyses = new WeakMap<Block, Map<string, Analysis>>();

  /** `functions`: every function of the program with a body, optimised, by key; `arityOf` gives the others' parameter counts. */
  constructor(functions: Map<string, SsaFunction>, arityOf: (key: string) => number) {
    const summaries = summarize(functions, arityOf);
    this.summaries = (key) => summaries.get(key);
  }

  /** Which values carry an adjoint, for `fn` with the parameters it marks differentiable. */
  activity(fn: SsaFunction): Activity {
    return memo(this.activities, fn, () => analyzeActivity(fn, this.summaries));
  }

  /** Activity, the block defining each value, where adjoints are contributed, and the loops of independent iterations. */
  of(fn: SsaFunction): Analysis {
    return memo(this.analyses, fn, () => {
      const activity = this.activity(fn);
      const definedIn = definingBlocks(fn);
      return {
        activity,
        definedIn,
        contributions: contributionSites(fn, activity, definedIn),
        independentLoops: independentLoops(fn, activity, this.summaries),
      };
    });
  }

  /** True when the result depends on the parameter at all (else its gradient is always zero). */
  resultDependsOn(fn: SsaFunction, param: number): boolean {
    if (fn.result === undefined) return false;
    const only = { ...fn, params: fn.params.map((p, i) => ({ ...p, differentiable: i === param })) };
    return this.activity(only).isActive(fn.result);
  }
}

function memo<T>(cache: WeakMap<Block, Map<string, T>>, fn: SsaFunction, compute: () => T): T {
  const pattern = fn.params.map((p) => (p.differentiable ? '1' : '0')).join('');
  let byPattern = cache.get(fn.body);
  if (!byPattern) cache.set(fn.body, (byPattern = new Map()));
  let fact = byPattern.get(pattern);
  if (fact === undefined) byPattern.set(pattern, (fact = compute()));
  return fact;
}
