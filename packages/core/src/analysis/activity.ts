/**
 * Activity analysis. A value is *varied* when it depends, through differentiable operations, on
 * a parameter the gradient is taken with respect to, and *useful* when the result depends on it.
 * Only values that are both (*active*) carry an adjoint; everything else is plain forward code,
 * and code that is not useful at all is not emitted. This is why an unused `Math.acos(2)` cannot
 * turn a gradient into NaN, and why a piecewise-constant `Math.floor(x)` stops the gradient.
 *
 * Containers are tracked by alias class (see aliases.ts): a class is varied when a varied number
 * may be stored in it (varied.ts), and its contents are useful when the result may read them.
 * Loops make both facts fixpoints: each pass runs until nothing changes.
 */
import { isContainer, type Block, type CallInstr, type Instr, type SsaFunction, type ValueId } from '../ir/ssa.js';
import { childBlocks, forEachInstr, operands, results } from '../ir/walk.js';
import { AliasClasses } from './aliases.js';
import { WriteOrder } from './write-order.js';
import { assumeEverything, type CalleeSummaries } from './callee-summary.js';
import { variedValues } from './varied.js';

export interface Activity {
  /** True when the value carries an adjoint: a number, or a container whose contents do. */
  isActive(value: ValueId): boolean;
  /** True when the forward sweep must compute the instruction. */
  isEmitted(instr: Instr): boolean;
  /** True when the value must be computed (the result depends on it). */
  isUseful(value: ValueId): boolean;
  /** True for numbers (and booleans), false for containers. */
  isScalar(value: ValueId): boolean;
  /** True when two containers may share storage. */
  mayAlias(a: ValueId, b: ValueId): boolean;
  /** True when the function may write into the container (or one sharing its storage). */
  isWritten(value: ValueId): boolean;
  /**
   * True when nothing may write the container a read (a load or a length) reads after that read,
   * in the forward sweep: read again in the reverse sweep, it gives the value the forward read.
   */
  isUnchangedAfter(read: Instr): boolean;
  /** True when nothing may write the container (or one sharing its storage) after the instruction, in the forward sweep. */
  isUnwrittenAfter(container: ValueId, instr: Instr): boolean;
}

/**
 * `summaries` describe the functions called. The contents of the parameters' containers count as
 * useful: a caller may read what the function writes into them.
 */
export function analyzeActivity(fn: SsaFunction, summaries: CalleeSummaries): Activity {
  const classes = new AliasClasses(fn, summaries);
  const summaryOf = (call: CallInstr) => summaries(call.callee) ?? assumeEverything(call.args.length);
  const container = (v: ValueId) => isContainer(fn.values[v]!.type);

  const isVaried = variedValues(
    fn,
    classes,
    fn.params.filter((p) => p.differentiable).map((p) => p.value),
    summaries,
  );

  // Useful: values the result needs computed, and classes whose contents the result may read.
  const useful = new Set<ValueId>(fn.result === undefined ? [] : [fn.result]);
  // what the caller can read: the parameters' containers, and a container the function returns
  const observable = [...fn.params.map((p) => p.value), ...(fn.result === undefined ? [] : [fn.result])].filter(container);
  const usefulContents = new Set<ValueId>(observable.map((v) => classes.find(v)));
  const written = new Set<ValueId>();
  const writeOrder = new WriteOrder(fn);
  forEachInstr(fn.body, (instr) => {
    const write = (v: ValueId) => {
      written.add(classes.find(v));
      writeOrder.addWrite(classes.find(v), instr);
    };
    if (instr.kind === 'store' || instr.kind === 'push') write(instr.container);
    if (instr.kind === 'call') instr.args.forEach((arg, j) => summaryOf(instr).writesParam[j] && write(arg));
  });
  const contentsUseful = (v: ValueId) => usefulContents.has(classes.find(v));
  let grew: boolean;
  const markUseful = (v: ValueId) => {
    if (!useful.has(v)) {
      useful.add(v);
      grew = true;
    }
  };
  const markContentsUseful = (v: ValueId) => {
    if (!contentsUseful(v)) {
      usefulContents.add(classes.find(v));
      grew = true;
    }
  };
  const emitted = (instr: Instr): boolean => {
    switch (instr.kind) {
      case 'store':
      case 'push':
        return contentsUseful(instr.container);
      case 'copy':
        return false; // emitted only when the reverse sweep reads it
      case 'call':
        return (
          (instr.result !== undefined && (useful.has(instr.result) || (container(instr.result) && contentsUseful(instr.result)))) ||
          instr.args.some((arg, j) => summaryOf(instr).writesParam[j] && contentsUseful(arg))
        );
      case 'if':
      case 'loop':
        return results(instr).some((r) => useful.has(r)) || childBlocks(instr).some((b) => b.instrs.some(emitted));
      default:
        return useful.has(instr.result) || (container(instr.result) && contentsUseful(instr.result));
    }
  };
  const propagateUseful = (block: Block): void => {
    for (let i = block.instrs.length - 1; i >= 0; i--) {
      const instr = block.instrs[i]!;
      switch (instr.kind) {
        case 'if':
          for (const phi of instr.phis) {
            if (useful.has(phi.result)) [phi.then, phi.else].forEach(markUseful);
            if (contentsUseful(phi.result)) markContentsUseful(phi.then);
          }
          propagateUseful(instr.then);
          propagateUseful(instr.else);
          if (emitted(instr)) markUseful(instr.cond);
          break;
        case 'loop':
          for (const c of instr.carried) if (useful.has(c.result) || useful.has(c.param)) [c.init, c.next, c.param].forEach(markUseful);
          propagateUseful(instr.body);
          if (emitted(instr)) markUseful(instr.again);
          break;
        case 'load':
          if (useful.has(instr.result) || (container(instr.result) && contentsUseful(instr.result))) {
            operands(instr).forEach(markUseful);
            if (!container(instr.result)) markContentsUseful(instr.container);
          }
          break;
        case 'slice':
          if (useful.has(instr.result) || contentsUseful(instr.result)) operands(instr).forEach(markUseful);
          if (contentsUseful(instr.result)) markContentsUseful(instr.container);
          break;
        case 'call':
          // the callee may read every argument, including what its containers hold
          if (emitted(instr)) {
            instr.args.forEach(markUseful);
            instr.args.filter(container).forEach(markContentsUseful);
          }
          break;
        case 'length':
          // the length changes with pushes: they are kept with it
          if (useful.has(instr.result)) {
            markUseful(instr.container);
            markContentsUseful(instr.container);
          }
          break;
        case 'push':
          // (its index is read by the reverse sweep only)
          if (emitted(instr)) [instr.container, instr.value].forEach(markUseful);
          break;
        case 'store':
          // (what the slot held before, `previous`, is read by the reverse sweep only)
          if (emitted(instr)) [instr.container, instr.value, ...(typeof instr.index === 'string' ? [] : [instr.index])].forEach(markUseful);
          break;
        default:
          if (emitted(instr)) operands(instr).forEach(markUseful);
          break;
      }
    }
  };
  grew = true;
  while (grew) {
    grew = false;
    propagateUseful(fn.body);
  }

  return {
    isActive: (v) => isVaried(v) && (container(v) ? contentsUseful(v) : useful.has(v)),
    isEmitted: emitted,
    isUseful: (v) => useful.has(v),
    isScalar: (v) => !container(v),
    mayAlias: (a, b) => classes.find(a) === classes.find(b),
    isWritten: (v) => written.has(classes.find(v)),
    isUnchangedAfter: (read) =>
      (read.kind === 'load' || read.kind === 'length') && writeOrder.noWriteAfter(classes.find(read.container), read),
    isUnwrittenAfter: (container, instr) => writeOrder.noWriteAfter(classes.find(container), instr),
  };
}
