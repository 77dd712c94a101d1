/**
 * What the code after a loop does with an accumulator's result, when that is linear: sums,
 * differences, negations, products and quotients by values computed before the loop, and the φs
 * that carry it out of the branches around the loop, up to the function's number result. `return
 * total / batch`, `err = C + slse − n·lseAlpha; return err + prior`.
 *
 * The adjoint of the accumulator is then known before the loop runs: d_result times the
 * partials along these steps, all of which read values that exist already (d_result / batch). A
 * loop of independent iterations can then reverse each iteration right after its forward.
 * `Math.log(s)` after the loop (log-sum-exp) is not linear: its partial 1/s needs s, which only
 * the whole loop gives.
 */
import type { Block, Instr, LoopInstr, PrimInstr, SsaFunction, ValueId } from '../ir/ssa.js';
import { childBlocks, forEachInstr, operands, results } from '../ir/walk.js';

export type TailStep =
  /** A linear operation of the accumulator's result (or of what was made from it). */
  | { kind: 'prim'; instr: PrimInstr }
  /** A φ that carries it out of the branch arm holding the loop. */
  | { kind: 'phi'; from: ValueId; to: ValueId };

export interface LinearTail {
  /** From the accumulator's result to the function's result, in program order. */
  steps: TailStep[];
  /** The accumulator's result and the values the steps make from it. */
  cone: ReadonlySet<ValueId>;
}

const LINEAR = new Set(['+', '-', 'neg', '*', '/']);

/**
 * The steps from `accumulated` (the result of a carried value of `loop`) to the function's result,
 * when they are linear with coefficients from before the loop; undefined otherwise, or when the
 * loop sits in another loop's body, or the function does not return a number.
 */
export function linearTail(fn: SsaFunction, loop: LoopInstr, accumulated: ValueId): LinearTail | undefined {
  if (fn.result === undefined || fn.values[fn.result]!.type.kind !== 'number') return undefined;
  const parents = new Map<Block, { instr: Instr; block: Block }>();
  const constants = new Set<ValueId>();
  forEachInstr(fn.body, (instr, block) => {
    for (const child of childBlocks(instr)) parents.set(child, { instr, block });
    if (instr.kind === 'const' || instr.kind === 'global') constants.add(instr.result);
  });
  // the blocks from the function's body down to the one holding the loop, with the instruction each holds it in
  const path: Array<{ block: Block; at: Instr }> = [];
  let home: Block | undefined;
  forEachInstr(fn.body, (instr, block) => instr === loop && (home = block));
  if (!home) return undefined;
  for (let block: Block = home, at: Instr = loop; ;) {
    path.unshift({ block, at });
    const parent = parents.get(block);
    if (!parent) break;
    if (parent.instr.kind !== 'if') return undefined;
    [block, at] = [parent.block, parent.instr];
  }
  // what exists when the loop starts: parameters, constants, and what each block on the path computed before it
  const available = new Set<ValueId>([...fn.params.map((p) => p.value), ...constants]);
  for (const { block, at } of path) {
    for (const instr of block.instrs.slice(0, block.instrs.indexOf(at))) results(instr).forEach((r) => available.add(r));
  }

  const cone = new Set<ValueId>([accumulated]);
  const steps: TailStep[] = [];
  for (let k = path.length - 1; k >= 0; k--) {
    const { block, at } = path[k]!;
    for (const instr of block.instrs.slice(block.instrs.indexOf(at) + 1)) {
      const read = operands(instr).filter((v) => cone.has(v));
      let readInside = false;
      for (const child of childBlocks(instr)) forEachInstr(child, (i) => (readInside ||= operands(i).some((v) => cone.has(v))));
      if (read.length === 0 && !readInside) continue;
      if (instr.kind !== 'prim' || readInside || !linearStep(instr, cone, available)) return undefined;
      cone.add(instr.result);
      steps.push({ kind: 'prim', instr });
    }
    if (k === 0) break;
    // leaving the arm of the branch that holds the loop: its φs carry the values out
    const branch = path[k - 1]!.at;
    if (branch.kind !== 'if') return undefined;
    const side = branch.then === block ? 'then' : 'else';
    for (const phi of branch.phis) {
      if (!cone.has(phi[side])) continue;
      cone.add(phi.result);
      steps.push({ kind: 'phi', from: phi[side], to: phi.result });
    }
  }
  return { steps, cone };
}

/** A linear operation of values in the cone: a product or quotient by a value that exists before the loop. */
function linearStep(instr: PrimInstr, cone: ReadonlySet<ValueId>, available: ReadonlySet<ValueId>): boolean {
  if (!LINEAR.has(instr.op)) return false;
  const [a, b] = instr.args;
  if (instr.op === '*') return cone.has(a!) !== cone.has(b!) && available.has(cone.has(a!) ? b! : a!);
  if (instr.op === '/') return cone.has(a!) && !cone.has(b!) && available.has(b!);
  return true;
}
