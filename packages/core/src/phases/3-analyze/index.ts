/**
 * Phase 3: analyze. Read-only facts about an SSA function that the differentiator consults;
 * computed once, never changed afterwards.
 */
import type { SsaFunction } from '../../ir/ssa.js';
import { analyzeActivity, type Activity } from './activity.js';

export type { Activity } from './activity.js';

export interface Analysis {
  activity: Activity;
}

export function analyze(fn: SsaFunction): Analysis {
  return { activity: analyzeActivity(fn) };
}
