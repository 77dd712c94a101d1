/**
 * Varied values: those that depend, through differentiable operations, on the seeds (the
 * parameters the gradient is taken with respect to). A container is varied when a varied number
 * may be stored in it (per alias class, aliases.ts). A call makes varied only what its callee's
 * summary says a varied argument reaches (`whenVaried`, summaries.ts): the result, or the contents
 * of the container parameters written from that argument, not every container it writes. So an
 * array of indices a recursive helper relinks (`r[n] = r[R0]`) stays unvaried beside the matrix
 * it reads.
 *
 * Integer typed arrays (`Int32Array`, …) are never varied: a number stored into one is truncated
 * to an integer, which is piecewise constant, and what is read from one cannot vary either.
 */
import { isContainer, isIntegerArray, type Block, type SsaFunction, type ValueId } from '../ir/ssa.js';
import { lookupRule } from '../rules/index.js';
import type { AliasClasses } from './aliases.js';
import { assumeEverything, type CalleeSummaries } from './callee-summary.js';

/** The varied values of `fn` when the values `seeds` vary: a fixpoint over its loops. */
export function variedValues(
  fn: SsaFunction,
  classes: AliasClasses,
  seeds: ValueId[],
  summaries: CalleeSummaries,
): (v: ValueId) => boolean {
  const integerArray = (v: ValueId) => isIntegerArray(fn.values[v]!.type);
  const key = (v: ValueId) => (isContainer(fn.values[v]!.type) ? classes.find(v) : v);
  const varied = new Set<ValueId>(seeds.filter((v) => !integerArray(v)).map(key));
  const isVaried = (v: ValueId) => !integerArray(v) && varied.has(key(v));
  let grew = true;
  const markVaried = (v: ValueId) => {
    if (!isVaried(v) && !integerArray(v)) {
      varied.add(key(v));
      grew = true;
    }
  };
  const propagate = (block: Block): void => {
    for (const instr of block.instrs) {
      switch (instr.kind) {
        case 'prim':
          if (lookupRule(instr.op)?.kind === 'differentiable' && instr.args.some(isVaried)) markVaried(instr.result);
          break;
        case 'if':
          propagate(instr.then);
          propagate(instr.else);
          for (const phi of instr.phis) if (isVaried(phi.then) || isVaried(phi.else)) markVaried(phi.result);
          break;
        case 'loop':
          for (const c of instr.carried) if (isVaried(c.init)) markVaried(c.param);
          propagate(instr.body);
          for (const c of instr.carried) {
            if (isVaried(c.next)) markVaried(c.param);
            if (isVaried(c.param)) markVaried(c.result);
          }
          break;
        case 'load':
          // (an element of an integer array is an integer, whatever its alias class holds)
          if (isVaried(instr.container) && !integerArray(instr.container)) markVaried(instr.result);
          break;
        case 'store':
        case 'push':
          if (isVaried(instr.value)) markVaried(instr.container);
          break;
        case 'alloc':
          if ([...instr.elements, ...(instr.fill === undefined ? [] : [instr.fill])].some(isVaried)) markVaried(instr.result);
          break;
        case 'slice':
          if (isVaried(instr.container)) markVaried(instr.result);
          break;
        case 'call': {
          const summary = summaries(instr.callee) ?? assumeEverything(instr.args.length);
          instr.args.forEach((arg, i) => {
            if (!isVaried(arg)) return;
            // what a varied argument i reaches: the result, and the parameters written from it
            const reaches = summary.whenVaried[i]!;
            if (reaches.result && instr.result !== undefined) markVaried(instr.result);
            instr.args.forEach((other, j) => reaches.params[j] && summary.writesParam[j] && markVaried(other));
          });
          break;
        }
        default:
          break;
      }
    }
  };
  while (grew) {
    grew = false;
    propagate(fn.body);
  }
  return isVaried;
}
