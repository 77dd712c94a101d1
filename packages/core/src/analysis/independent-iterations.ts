/**
 * Loops whose iterations are independent (Tapenade's II-loops): a loop over samples, points or
 * rows whose iterations only add into accumulators and write scratch arrays that the iteration
 * itself fills before it reads them. No adjoint crosses an iteration boundary: the adjoint of an
 * accumulator is the same in every iteration (s' = s + t passes d_s' to d_s unchanged), and what
 * one iteration writes, no other reads. So an iteration's reverse can run right after its own
 * forward, with no tape across iterations (phases/4-differentiate/fused-loop.ts).
 *
 * A loop is independent when
 *
 *   - each carried value is a counter without an adjoint (`i += k`, k an integer literal), the same in every
 *     iteration without an adjoint, an accumulator (below), or a number that carries no adjoint (`mul *= t` in least
 *     squares, where t does not depend on what the gradient is taken with respect to: run in their
 *     order, the iterations compute it again); no array or object is carried;
 *   - an accumulator's versions in the body form a chain from its parameter to its next value
 *     made of `+ t`, `t +`, `- t` and φs whose two sides are both on the chain, each version used
 *     once on every path (a use in each arm of a branch counts once): `s += t`,
 *     `if (c) s -= t`. Then ∂next/∂param = 1 on every path, and nothing else reads the sum;
 *   - every container it writes is a scratch array: a typed array made before the loop by
 *     `new Float64Array(n)`, that nothing outside the loop reads or writes, that shares no storage
 *     with a parameter or the result, and that each iteration fills before it reads it (below);
 *     or a container the iteration makes itself, sharing no storage with anything made outside
 *     it. Nothing else is stored into, pushed onto or written by a call;
 *   - nothing writes, after the loop has started, a container the loop reads (its scratch arrays
 *     aside): the iterations' reverse, run at another time than in a taped loop, finds what the
 *     forward read, and the adjoints it adds into the shadows of those containers are taken out
 *     by no later write's reverse;
 *   - no loop inside it is checkpointed.
 *
 * An iteration fills an array before reading it when, in the body, the first instruction that
 * touches the array is a *fill*, `for (let j = 0; j < n; j++) { … a[j] = … }` with n the length
 * the array was made with, whose body reads nothing of the array (possibly inside the `if (0 < n)`
 * that lowering puts around a loop); or when that instruction is the only one touching it and is
 * a loop whose every iteration fills it before reading it, or a branch whose two arms do.
 */
import { countedLoop, counterStep, sameNumber, type ConstantOf } from '../ir/loops.js';
import {
  isContainer,
  isTypedArray,
  type Block,
  type Carried,
  type IfInstr,
  type Instr,
  type LoopInstr,
  type SsaFunction,
  type ValueId,
} from '../ir/ssa.js';
import { definitionsIn, forEachInstr, operands, results } from '../ir/walk.js';
import type { Activity } from './activity.js';
import { assumeEverything, type CalleeSummaries } from './callee-summary.js';

export interface IndependentLoop {
  loop: LoopInstr;
  /** Carried numbers the body only adds to: the adjoint of every version is the adjoint of the result. */
  accumulators: Carried[];
  /** Carried numbers without an adjoint that change from one iteration to the next and are no counters (`mul *= t`): run in order, the iterations compute them again. */
  recomputed: Carried[];
  /** Arrays made before the loop that each iteration fills before reading them, and nothing outside the loop touches. */
  scratch: ValueId[];
}

/** The independent loops of a function, nested ones included, by loop. */
export function independentLoops(fn: SsaFunction, activity: Activity, summaries: CalleeSummaries): Map<LoopInstr, IndependentLoop> {
  const facts = new IterationFacts(fn, activity, summaries);
  const found = new Map<LoopInstr, IndependentLoop>();
  forEachInstr(fn.body, (instr) => {
    if (instr.kind !== 'loop') return;
    const independent = facts.classify(instr);
    if (independent) found.set(instr, independent);
  });
  return found;
}

/** What classifying a loop asks of the whole function: definitions, constants, who touches which container. */
class IterationFacts {
  readonly definitions = new Map<ValueId, Instr>();
  /** Every instruction of the function. */
  private readonly all: Instr[] = [];
  readonly constantOf: ConstantOf = (v) => {
    const instr = this.definitions.get(v);
    return instr?.kind === 'const' ? instr.value : undefined;
  };

  constructor(
    readonly fn: SsaFunction,
    readonly activity: Activity,
    readonly summaries: CalleeSummaries,
  ) {
    forEachInstr(fn.body, (instr) => {
      this.all.push(instr);
      for (const r of results(instr)) this.definitions.set(r, instr);
    });
  }

  private isContainerValue = (v: ValueId) => isContainer(this.fn.values[v]!.type);

  /** True when the instruction itself (not its blocks) reads or writes a container sharing storage with `array`. */
  touchesDirectly(instr: Instr, array: ValueId): boolean {
    const values = [...operands(instr), ...results(instr)];
    if (instr.kind === 'loop') values.push(...instr.carried.map((c) => c.param));
    return values.some((v) => this.isContainerValue(v) && this.activity.mayAlias(v, array));
  }

  /** True when the instruction or one nested in it touches the array. */
  touches(instr: Instr, array: ValueId): boolean {
    let touched = false;
    forEachInstr({ instrs: [instr] }, (i) => (touched ||= this.touchesDirectly(i, array)));
    return touched;
  }

  classify(loop: LoopInstr): IndependentLoop | undefined {
    if (loop.checkpoint) return undefined;
    let checkpointed = false;
    forEachInstr(loop.body, (i) => (checkpointed ||= i.kind === 'loop' && i.checkpoint !== undefined));
    if (checkpointed) return undefined;
    const accumulators: Carried[] = [];
    const recomputed: Carried[] = [];
    const active = (c: Carried) => [c.param, c.next, c.result].some((v) => this.activity.isActive(v));
    for (const c of loop.carried) {
      if (this.isContainerValue(c.param)) return undefined;
      // (a counter that carries an adjoint, `x++` of a differentiated x, is an accumulator; a
      // value the same in every iteration passes its adjoint across the loop, which only a taped
      // loop hands on: optimisation leaves none, fold-constants.ts)
      if (c.next === c.param && active(c)) return undefined;
      if (c.next === c.param || (!active(c) && counterStep(loop, c, this.constantOf) !== undefined)) continue;
      if (accumulatorChain(loop, c)) accumulators.push(c);
      // a carried number without an adjoint is computed again by the iterations, run in order
      else if (active(c)) return undefined;
      else recomputed.push(c);
    }
    const outside = this.containersFromOutside(loop);
    const scratch = this.writtenContainers(loop, outside);
    if (!scratch) return undefined;
    if (!this.readsUnchanged(loop, outside, scratch)) return undefined;
    return { loop, accumulators, recomputed, scratch };
  }

  /** The containers the loop's instructions use that are made outside it (those sharing storage with them are not private to an iteration). */
  private containersFromOutside(loop: LoopInstr): ValueId[] {
    const inside = definitionsIn(loop.body);
    const outside = new Set<ValueId>();
    forEachInstr(loop.body, (instr) => {
      for (const v of operands(instr)) if (!inside.has(v) && this.isContainerValue(v)) outside.add(v);
    });
    return [...outside];
  }

  /**
   * The scratch arrays the loop writes; undefined when it writes anything else that may share
   * storage with a container made outside it (stores, pushes, calls that write an argument).
   */
  private writtenContainers(loop: LoopInstr, outside: ValueId[]): ValueId[] | undefined {
    const written: ValueId[] = [];
    forEachInstr(loop.body, (instr) => {
      if (instr.kind === 'store' || instr.kind === 'push') written.push(instr.container);
      if (instr.kind === 'call') {
        const summary = this.summaries(instr.callee) ?? assumeEverything(instr.args.length);
        instr.args.forEach((arg, j) => summary.writesParam[j] && written.push(arg));
      }
    });
    const scratch: ValueId[] = [];
    for (const target of written) {
      for (const shared of outside.filter((o) => this.activity.mayAlias(o, target))) {
        if (scratch.includes(shared)) continue;
        // a push grows its array: a scratch array keeps the length it was made with
        if (!this.isScratch(loop, shared) || this.pushesOnto(loop, shared)) return undefined;
        scratch.push(shared);
      }
    }
    return scratch;
  }

  private pushesOnto(loop: LoopInstr, array: ValueId): boolean {
    let pushes = false;
    forEachInstr(loop.body, (i) => (pushes ||= i.kind === 'push' && this.activity.mayAlias(i.container, array)));
    return pushes;
  }

  /** A typed array made before the loop, private to it, that each iteration fills before reading it. */
  private isScratch(loop: LoopInstr, array: ValueId): boolean {
    const alloc = this.definitions.get(array);
    if (alloc?.kind !== 'alloc' || alloc.length === undefined || !isTypedArray(this.fn.values[array]!.type)) return false;
    const observable = [...this.fn.params.map((p) => p.value), ...(this.fn.result === undefined ? [] : [this.fn.result])].filter(
      this.isContainerValue,
    );
    if (observable.some((v) => this.activity.mayAlias(v, array))) return false;
    // nothing outside the loop touches it but the instruction that makes it
    const inLoop = new Set<Instr>();
    forEachInstr(loop.body, (i) => inLoop.add(i));
    if (this.all.some((instr) => instr !== alloc && instr !== loop && !inLoop.has(instr) && this.touchesDirectly(instr, array)))
      return false;
    return this.fillsFirst(loop.body, array, alloc.length);
  }

  /** True when nothing may write a container the loop reads (its scratch arrays aside) once the loop has started. */
  private readsUnchanged(loop: LoopInstr, outside: ValueId[], scratch: ValueId[]): boolean {
    return outside.every((v) => scratch.some((s) => this.activity.mayAlias(s, v)) || this.activity.isUnwrittenAfter(v, loop));
  }

  /** True when every run of the block writes each element of the array it reads before reading it (see the file's comment). */
  private fillsFirst(block: Block, array: ValueId, length: ValueId): boolean {
    const touching = block.instrs.filter((i) => this.touches(i, array));
    if (touching.length === 0) return true;
    const first = touching[0]!;
    if (this.isFill(first, array, length)) return true;
    if (touching.length > 1 || this.touchesDirectly(first, array)) return false;
    if (first.kind === 'loop') return this.fillsFirst(first.body, array, length);
    if (first.kind === 'if') return this.fillsFirst(first.then, array, length) && this.fillsFirst(first.else, array, length);
    return false;
  }

  /**
   * `for (let j = 0; j < n; j++) { … array[j] = … }`, n the array's length, reading nothing of the
   * array; as a loop, or as the `if (0 < n)` around it whose else-arm does not touch the array.
   */
  private isFill(instr: Instr, array: ValueId, length: ValueId): boolean {
    if (instr.kind === 'if') {
      const loops = instr.then.instrs.filter((i) => this.touches(i, array));
      return (
        !this.touchesDirectly(instr, array) &&
        loops.length === 1 &&
        this.isFill(loops[0]!, array, length) &&
        !instr.else.instrs.some((i) => this.touches(i, array))
      );
    }
    if (instr.kind !== 'loop') return false;
    const counted = countedLoop(instr, this.constantOf);
    if (!counted || this.constantOf(counted.start) !== 0) return false;
    const lengthOf = (v: ValueId) => {
      const read = this.definitions.get(v);
      return read?.kind === 'length' ? read.container : undefined;
    };
    const boundOf = lengthOf(counted.bound);
    const toLength =
      sameNumber(this.fn, counted.bound, length, this.constantOf, lengthOf) ||
      (boundOf !== undefined && this.activity.mayAlias(boundOf, array));
    if (!toLength) return false;
    // stored at the counter on every iteration: by an instruction of the body itself, not in a branch
    const stores = instr.body.instrs.some(
      (i) => i.kind === 'store' && i.index === counted.counter && this.activity.mayAlias(i.container, array),
    );
    let reads = false;
    forEachInstr(instr.body, (i) => (reads ||= i.kind !== 'store' && this.touchesDirectly(i, array)));
    return stores && !reads;
  }
}

/** Where a value is used in a loop's body: the instruction, and the arms of the branches around it. */
interface Use {
  instr: Instr;
  /** For a φ's operand, which side. */
  side?: 'then' | 'else';
  /** The branches around the use, outermost first, with the arm the use is in. */
  arms: Array<{ branch: IfInstr; arm: 'then' | 'else' }>;
}

/**
 * True when the carried value's versions in the body run from its parameter to its next value
 * through additions of terms and φs only, each version used once on every path (see the file's
 * comment): every iteration's adjoint of the parameter is then the adjoint of its next value.
 */
export function accumulatorChain(loop: LoopInstr, c: Carried): boolean {
  const uses = usesIn(loop.body);
  const onChain = new Set<ValueId>([c.param]);
  const pending = [c.param];
  while (pending.length > 0) {
    const v = pending.pop()!;
    const used = uses.get(v) ?? [];
    if (v === c.next) {
      if (used.length > 0) return false;
      continue;
    }
    if (used.length === 0 || !pairwiseExclusive(used)) return false;
    for (const use of used) {
      const next = passedOn(use, v, onChain);
      if (next === undefined) return false;
      if (!onChain.has(next)) {
        onChain.add(next);
        pending.push(next);
      }
    }
  }
  // a φ is on the chain only when both of its sides are
  for (const [, used] of uses) {
    for (const use of used) {
      if (use.instr.kind !== 'if') continue;
      for (const phi of use.instr.phis) {
        if (onChain.has(phi.result) && !(onChain.has(phi.then) && onChain.has(phi.else))) return false;
      }
    }
  }
  return onChain.has(c.next);
}

/** The value a use makes of an accumulator's version that is still the accumulator plus terms, if it is one. */
function passedOn(use: Use, v: ValueId, onChain: ReadonlySet<ValueId>): ValueId | undefined {
  const instr = use.instr;
  if (instr.kind === 'prim') {
    const [a, b] = instr.args;
    if (instr.op === '+' && instr.args.length === 2 && (a === v) !== (b === v) && !onChain.has(a === v ? b! : a!)) return instr.result;
    if (instr.op === '-' && instr.args.length === 2 && a === v && b !== v && !onChain.has(b!)) return instr.result;
    return undefined;
  }
  if (instr.kind === 'if' && use.side) {
    const phis = instr.phis.filter((phi) => phi[use.side!] === v);
    return phis.length === 1 && instr.cond !== v ? phis[0]!.result : undefined;
  }
  return undefined;
}

/** True when no two of the uses can run in the same iteration: each pair lies in opposite arms of one branch. */
function pairwiseExclusive(uses: Use[]): boolean {
  return uses.every((a, i) => uses.slice(i + 1).every((b) => exclusive(a, b)));
}

function exclusive(a: Use, b: Use): boolean {
  const armsOf = (u: Use) => (u.side ? [...u.arms, { branch: u.instr as IfInstr, arm: u.side }] : u.arms);
  const [x, y] = [armsOf(a), armsOf(b)];
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    if (x[k]!.branch !== y[k]!.branch) return false;
    if (x[k]!.arm !== y[k]!.arm) return true;
  }
  return false;
}

/** Every use of every value in the block, nested blocks included; a use inside a nested loop is kept as that loop's. */
function usesIn(block: Block): Map<ValueId, Use[]> {
  const uses = new Map<ValueId, Use[]>();
  const add = (v: ValueId, use: Use) => uses.set(v, [...(uses.get(v) ?? []), use]);
  const walk = (b: Block, arms: Use['arms']): void => {
    for (const instr of b.instrs) {
      if (instr.kind === 'if') {
        add(instr.cond, { instr, arms });
        for (const phi of instr.phis) {
          add(phi.then, { instr, side: 'then', arms });
          add(phi.else, { instr, side: 'else', arms });
        }
        walk(instr.then, [...arms, { branch: instr, arm: 'then' }]);
        walk(instr.else, [...arms, { branch: instr, arm: 'else' }]);
      } else if (instr.kind === 'loop') {
        // anything a nested loop reads counts as one use by the loop
        const read = new Set<ValueId>(operands(instr));
        forEachInstr(instr.body, (i) => operands(i).forEach((v) => read.add(v)));
        for (const v of read) add(v, { instr, arms });
      } else {
        // a value read twice by one instruction (`s * s`) is two uses
        for (const v of operands(instr)) add(v, { instr, arms });
      }
    }
  };
  walk(block, []);
  return uses;
}
