/**
 * What each instruction kind of the IR does in each sweep: the forward sweep (the primal
 * computation, with the shadows of active containers), the reverse sweep (the chain rule
 * backwards) and the tangent sweep of forward mode. One module per kind; the table is typed over
 * the kinds of ir/ssa.ts, so a kind added there does not compile until it has its rules here.
 */
import type { Instr } from '../../../ir/ssa.js';
import type { InstrRules, RulesByKind } from '../sweeps.js';
import { allocRules } from './alloc.js';
import { callRules } from './call.js';
import { constRules } from './const.js';
import { copyRules } from './copy.js';
import { globalRules } from './global.js';
import { ifRules } from './if.js';
import { lengthRules } from './length.js';
import { loadRules } from './load.js';
import { loopRules } from './loop.js';
import { primRules } from './prim.js';
import { pushRules } from './push.js';
import { sliceRules } from './slice.js';
import { storeRules } from './store.js';

export const INSTRUCTION_RULES: RulesByKind = {
  const: constRules,
  global: globalRules,
  prim: primRules,
  if: ifRules,
  loop: loopRules,
  load: loadRules,
  store: storeRules,
  length: lengthRules,
  alloc: allocRules,
  slice: sliceRules,
  push: pushRules,
  call: callRules,
  copy: copyRules,
};

/** The rules of an instruction's kind. */
export function rulesOf<I extends Instr>(instr: I): InstrRules<I> {
  return INSTRUCTION_RULES[instr.kind] as unknown as InstrRules<I>;
}
