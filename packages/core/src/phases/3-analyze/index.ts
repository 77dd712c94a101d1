/**
 * Phase 3: analyze. Read-only facts about an SSA function that the differentiator consults;
 * computed once, never changed afterwards.
 */
import type { Block, SsaFunction, ValueId } from '../../ir/ssa.js';
import { analyzeActivity, type Activity } from './activity.js';
import { definingBlocks } from './blocks.js';
import { contributionSites, type Contributions } from './contributions.js';

export type { Activity } from './activity.js';
export type { Contributions } from './contributions.js';

export interface Analysis {
  activity: Activity;
  /** The block that defines each value. */
  definedIn: Map<ValueId, Block>;
  contributions: Contributions;
}

export function analyze(fn: SsaFunction): Analysis {
  const activity = analyzeActivity(fn);
  const definedIn = definingBlocks(fn);
  return { activity, definedIn, contributions: contributionSites(fn, activity, definedIn) };
}
