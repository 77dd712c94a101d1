/**
 * What a caller needs to know of a callee without looking inside it: which container parameters
 * it may write into, and which it may push onto (their shadows must grow alike), whether its result can depend on its arguments at all (a function that only
 * counts or compares returns a piecewise-constant result: it contributes no gradient), and whether
 * it may store one container into another where a caller can see it (then its container arguments
 * and its result may share storage, as its own alias classes say), and whether calling it has any
 * effect a caller can see at all.
 * And, per argument, what a varied value passed there reaches: the result, and the contents of the
 * container parameters written from it (varied.ts), so that an index array a callee writes is not
 * made varied by the matrix passed beside it.
 */
import { isContainer, type SsaFunction, type ValueId } from '../ir/ssa.js';
import { forEachInstr } from '../ir/walk.js';
import { AliasClasses } from './aliases.js';
import { variedValues } from './varied.js';
import { assumeEverything, type CalleeSummaries, type CalleeSummary } from './callee-summary.js';

/**
 * Summaries of every function with a body, computed together: writes and stores propagate from
 * callee to caller until nothing changes (recursion included); then what each varied argument
 * reaches, from nothing reached upwards until nothing changes (the least fixpoint, so that
 * recursion adds nothing of its own), and from that whether each result can vary at all.
 */
export function summarize(functions: Map<string, SsaFunction>, arityOf: (key: string) => number): Map<string, CalleeSummary> {
  const summaries = new Map<string, CalleeSummary>();
  for (const [key, fn] of functions) {
    const none = fn.params.map(() => false);
    summaries.set(key, {
      writesParam: none,
      growsParam: none,
      storesIntoParam: none,
      resultCanVary: false,
      storesContainers: false,
      effectFree: true,
      whenVaried: none.map(() => ({ result: false, params: none })),
      sharedStorage: [...fn.params.keys(), fn.params.length],
    });
  }
  const lookup: CalleeSummaries = (key) => summaries.get(key) ?? assumeEverything(arityOf(key));
  for (let changed = true; changed;) {
    changed = false;
    for (const [key, fn] of functions) {
      const summary = summaries.get(key)!;
      const classes = new AliasClasses(fn, lookup);
      const writtenClasses = new Set<ValueId>();
      const grownClasses = new Set<ValueId>();
      const storedIntoClasses = new Set<ValueId>();
      let storesContainers = false;
      let callsWithEffects = false;
      // what a caller can reach: the parameters' storage and the result's
      const reachable = new Set(
        [...fn.params.map((p) => p.value), ...(fn.result === undefined ? [] : [fn.result])]
          .filter((v) => isContainer(fn.values[v]!.type))
          .map((v) => classes.find(v)),
      );
      forEachInstr(fn.body, (instr) => {
        if (instr.kind === 'store' || instr.kind === 'push') {
          writtenClasses.add(classes.find(instr.container));
          if (instr.kind === 'push') grownClasses.add(classes.find(instr.container));
          if (isContainer(fn.values[instr.value]!.type)) {
            // (an array stored into storage of the function's own, a tape of arrays, is not seen by callers)
            if (reachable.has(classes.find(instr.container))) storesContainers = true;
            storedIntoClasses.add(classes.find(instr.container));
          }
        }
        if (instr.kind === 'call') {
          const callee = lookup(instr.callee)!;
          instr.args.forEach((arg, j) => callee.writesParam[j] && writtenClasses.add(classes.find(arg)));
          instr.args.forEach((arg, j) => callee.growsParam[j] && grownClasses.add(classes.find(arg)));
          instr.args.forEach((arg, j) => callee.storesIntoParam[j] && storedIntoClasses.add(classes.find(arg)));
          const reaches = [...instr.args, ...(instr.result === undefined ? [] : [instr.result])].some(
            (v) => isContainer(fn.values[v]!.type) && reachable.has(classes.find(v)),
          );
          if (callee.storesContainers && reaches) storesContainers = true;
          if (!callee.effectFree) callsWithEffects = true;
        }
      });
      const writesParam = fn.params.map((p) => isContainer(fn.values[p.value]!.type) && writtenClasses.has(classes.find(p.value)));
      const growsParam = fn.params.map((p) => isContainer(fn.values[p.value]!.type) && grownClasses.has(classes.find(p.value)));
      const storesIntoParam = fn.params.map((p) => isContainer(fn.values[p.value]!.type) && storedIntoClasses.has(classes.find(p.value)));
      const sharedStorage = sharedStorageOf(fn, classes);
      const effectFree = !callsWithEffects && ![...writesParam, ...growsParam, ...storesIntoParam].some(Boolean);
      if (
        writesParam.some((w, j) => w !== summary.writesParam[j]) ||
        growsParam.some((g, j) => g !== summary.growsParam[j]) ||
        storesIntoParam.some((g, j) => g !== summary.storesIntoParam[j]) ||
        storesContainers !== summary.storesContainers ||
        effectFree !== summary.effectFree ||
        sharedStorage.some((g, j) => g !== summary.sharedStorage[j])
      ) {
        summaries.set(key, { ...summary, writesParam, growsParam, storesIntoParam, storesContainers, effectFree, sharedStorage });
        changed = true;
      }
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [key, fn] of functions) {
      const summary = summaries.get(key)!;
      const classes = new AliasClasses(fn, lookup);
      const whenVaried = fn.params.map((param) => {
        const isVaried = variedValues(fn, classes, [param.value], lookup);
        return {
          result: fn.result !== undefined && isVaried(fn.result),
          params: fn.params.map((p) => isContainer(fn.values[p.value]!.type) && isVaried(p.value)),
        };
      });
      const same = whenVaried.every(
        (w, i) => w.result === summary.whenVaried[i]!.result && w.params.every((p, j) => p === summary.whenVaried[i]!.params[j]),
      );
      if (!same) {
        summaries.set(key, { ...summary, whenVaried, resultCanVary: whenVaried.some((w) => w.result) });
        changed = true;
      }
    }
  }
  return summaries;
}

/** The parameters and result (last) by alias class: each container the index of the first in its class. */
function sharedStorageOf(fn: SsaFunction, classes: AliasClasses): Array<number | undefined> {
  const endpoints = [...fn.params.map((p) => p.value), fn.result];
  const classOf = endpoints.map((v) => (v !== undefined && isContainer(fn.values[v]!.type) ? classes.find(v) : undefined));
  return classOf.map((c) => (c === undefined ? undefined : classOf.indexOf(c)));
}
