/** The rules table: every primitive the differentiator knows, looked up by name. */
import { arrayRules } from './arrays.js';
import { logicRules } from './logic.js';
import { mathRules } from './math.js';
import { operatorRules } from './operators.js';
import { stopGradientRule } from './stop-gradient.js';
import type { Rule } from './types.js';

export { mathConstants } from './math.js';
export type { DifferentiableRule, PiecewiseConstantRule, Rule } from './types.js';

const rules: Record<string, Rule> = { ...operatorRules, ...mathRules, ...logicRules, ...arrayRules, stopGradient: stopGradientRule };

export function lookupRule(op: string): Rule | undefined {
  return Object.hasOwn(rules, op) ? rules[op] : undefined;
}
