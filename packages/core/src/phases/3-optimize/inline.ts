/**
 * Inlining: a call of a small function of the same source file is replaced by a copy of the
 * callee's body, its parameters bound to the call's arguments.
 *
 * A call that stays a call is differentiated through the callee's backprop, which the caller's
 * reverse sweep runs again from the saved arguments (joint mode): the callee's forward sweep runs
 * twice, and each container argument is copied before the call in case it changes later. An
 * inlined body is differentiated with the caller: each value is computed once, goes on the tape
 * only if the reverse sweep needs it and cannot recompute it, and no snapshot is taken.
 *
 * A callee is inlined when it
 *   - has a body and no derivative rule of the user's (the rule decides its derivative);
 *   - is defined in the caller's file (its module constants and the line numbers in the generated
 *     comments are then the caller's);
 *   - is not recursive (a function that can call itself, directly or through others, stays a call);
 *   - takes arguments of its parameters' types;
 *   - creates no container once its small arrays are replaced by numbers (scalar-arrays.ts, the
 *     pass after this one, which has run on the callee before it is inlined): inlined into a loop,
 *     each array it creates and that array's shadow would be created in every iteration and kept
 *     on the container tape for the reverse sweep (measured on bundle adjustment before scalar
 *     replacement: 17× f inlined, 7.5× f with such callees left as calls);
 *   - has at most INLINE_MAX_INSTRUCTIONS instructions once its own callees are inlined.
 * Diagnostics are not affected: every function was lowered and checked on its own first.
 */
import type { Block, CallInstr, Instr, SsaFunction, ValueId } from '../../ir/ssa.js';
import { copyBlock } from '../../ir/copy.js';
import type { FunctionToOptimize, PassContext } from './pass.js';
import { Replacements } from '../../ir/replacements.js';
import { calledKeys, childBlocks, forEachInstr, instructionCount } from '../../ir/walk.js';

/** The largest callee inlined, in IR instructions (nested ones included). */
export const INLINE_MAX_INSTRUCTIONS = 400;

/**
 * `fn` with its small callees inlined (a new function; `fn` is not changed). A callee is copied as
 * the callee-first passes left it (`context.callee`): with its own callees inlined and its small
 * arrays replaced by numbers.
 */
export function inlineSmallCallees(fn: SsaFunction, context: PassContext): SsaFunction {
  const recursive = recursiveFunctions(context.functions);
  const caller = context.functions.get(context.key)!;
  const inlined = structuredClone(fn);
  const bodyFor = (call: CallInstr): SsaFunction | undefined => {
    const callee = context.functions.get(call.callee);
    if (!callee || callee.hasRule || callee.file !== caller.file || recursive.has(callee.key)) return undefined;
    const body = context.callee(callee.key);
    if (!argumentsMatch(inlined, call, body) || allocates(body.body) || instructionCount(body.body) > INLINE_MAX_INSTRUCTIONS)
      return undefined;
    return body;
  };
  inlineInto(inlined, bodyFor);
  return inlined;
}

/** The functions that can call themselves, directly or through others (found once per program). */
const recursiveByProgram = new WeakMap<ReadonlyMap<string, FunctionToOptimize>, Set<string>>();

function recursiveFunctions(functions: ReadonlyMap<string, FunctionToOptimize>): Set<string> {
  const known = recursiveByProgram.get(functions);
  if (known) return known;
  const calls = new Map([...functions.values()].map((f) => [f.key, calledKeys(f.ssa.body)]));
  const reaches = (from: string, target: string, seen: Set<string>): boolean =>
    (calls.get(from) ?? []).some((next) => next === target || (!seen.has(next) && seen.add(next) && reaches(next, target, seen)));
  const recursive = new Set([...functions.values()].filter((f) => reaches(f.key, f.key, new Set())).map((f) => f.key));
  recursiveByProgram.set(functions, recursive);
  return recursive;
}

/** Replaces, in place, each call of `fn` for which `bodyFor` gives a body by a copy of that body. */
function inlineInto(fn: SsaFunction, bodyFor: (call: CallInstr) => SsaFunction | undefined): void {
  /** A call's result → the value of the inlined body that replaces it. */
  const replaced = new Replacements();
  /** The copies of container arguments taken for calls that are no longer calls. */
  const unusedSnapshots = new Set<ValueId>();

  const inlineBlock = (block: Block): void => {
    const instrs: Instr[] = [];
    for (const instr of block.instrs) {
      for (const child of childBlocks(instr)) inlineBlock(child);
      const callee = instr.kind === 'call' ? bodyFor(instr) : undefined;
      if (instr.kind !== 'call' || !callee) {
        instrs.push(instr);
        continue;
      }
      const copied = copyBody(fn, callee, instr.args);
      instrs.push(...copied.instrs);
      if (instr.result !== undefined) replaced.replace(instr.result, copied.result!);
      for (const snapshot of instr.snapshots) if (snapshot !== undefined) unusedSnapshots.add(snapshot);
    }
    block.instrs = instrs;
  };
  inlineBlock(fn.body);

  removeSnapshots(fn.body, unusedSnapshots);
  replaced.readInFunction(fn);
}

/**
 * The instructions of `callee`'s body, with its parameters replaced by `args` and each value it
 * defines renumbered as a new value of `caller` (same source name, same type); and the value of
 * `caller` that holds the callee's result.
 */
function copyBody(caller: SsaFunction, callee: SsaFunction, args: ValueId[]): { instrs: Instr[]; result?: ValueId } {
  const copied = copyBlock(caller, callee.values, callee.body, new Map(callee.params.map((p, i) => [p.value, args[i]!])));
  return { instrs: copied.instrs, result: callee.result === undefined ? undefined : copied.rename(callee.result) };
}

/** Drops the `copy` instructions that defined the given values. */
function removeSnapshots(block: Block, snapshots: ReadonlySet<ValueId>): void {
  block.instrs = block.instrs.filter((instr) => !(instr.kind === 'copy' && snapshots.has(instr.result)));
  for (const instr of block.instrs) for (const child of childBlocks(instr)) removeSnapshots(child, snapshots);
}

/**
 * True when the call passes one argument per parameter, each of the parameter's own type (an
 * inlined body computes with the argument's type: a `Float64Array` passed for a `number[]` would
 * make its copies typed arrays where the callee's types say arrays).
 */
function argumentsMatch(caller: SsaFunction, call: CallInstr, callee: SsaFunction): boolean {
  return (
    call.args.length === callee.params.length &&
    call.args.every((arg, i) => JSON.stringify(caller.values[arg]!.type) === JSON.stringify(callee.values[callee.params[i]!.value]!.type))
  );
}

/** True when the block creates a container (an array, an object, a copy). */
function allocates(block: Block): boolean {
  let found = false;
  forEachInstr(block, (instr) => {
    if (instr.kind === 'alloc' || instr.kind === 'slice' || instr.kind === 'copy') found = true;
  });
  return found;
}
