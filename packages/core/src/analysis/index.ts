/**
 * Analyses: read-only facts about an optimised SSA function that the checks and the differentiator
 * consult; computed once, never changed afterwards.
 */
import type { Block, SsaFunction, ValueId } from '../ir/ssa.js';
import { analyzeActivity, type Activity } from './activity.js';
import { definingBlocks } from './blocks.js';
import { contributionSites, type Contributions } from './contributions.js';
import { summarize as summarizeWith, type CalleeSummaries, type CalleeSummary } from './summaries.js';

export type { Activity } from './activity.js';
export type { Contributions } from './contributions.js';
export type { CalleeSummaries, CalleeSummary } from './summaries.js';

export interface Analysis {
  activity: Activity;
  /** The block that defines each value. */
  definedIn: Map<ValueId, Block>;
  contributions: Contributions;
}

export function analyze(fn: SsaFunction, summaries: CalleeSummaries): Analysis {
  const activity = analyzeActivity(fn, summaries);
  const definedIn = definingBlocks(fn);
  return { activity, definedIn, contributions: contributionSites(fn, activity, definedIn) };
}

/** Summaries of every function of the program with a body (see summaries.ts). */
export function summarize(functions: Map<string, SsaFunction>, arityOf: (key: string) => number): Map<string, CalleeSummary> {
  return summarizeWith(functions, arityOf, analyzeActivity);
}

/** True when the result depends on the parameter at all (else its gradient is always zero). */
export function resultDependsOn(fn: SsaFunction, param: number, summaries: CalleeSummaries): boolean {
  if (fn.result === undefined) return false;
  const only = { ...fn, params: fn.params.map((p, i) => ({ ...p, differentiable: i === param })) };
  return analyzeActivity(only, summaries).isActive(fn.result);
}
