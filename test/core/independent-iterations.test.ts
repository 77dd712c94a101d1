/**
 * The facts behind fused loops, on IR: which carried values are accumulators (their versions run
 * from the parameter to the next value by additions of terms and φs only, analysis/
 * independent-iterations.ts), which loops have independent iterations, and which steps after a
 * loop are linear in an accumulator's result (analysis/linear-tail.ts). The IR is the optimised IR
 * of
 *
 *   let up = 2 * k; let down = 0; const scale = k * k;
 *   for (let i = 0; i < x.length; i++) {
 *     if (x[i]! > 0) up += scale * x[i]! * x[i]!;
 *     else down -= Math.sin(k * x[i]!);
 *   }
 *   let r = (up - 3 * down) / x.length;
 *   if (flag > 0) r = -r + 1;          (left out in `linearFunction`)
 *   return r * 2 + k;
 */
import { describe, expect, it } from 'vitest';
import type { LoopInstr, SsaFunction } from '../../packages/core/src/ir/ssa.js';
import { forEachInstr } from '../../packages/core/src/ir/walk.js';
import { analyzeActivity } from '../../packages/core/src/analysis/activity.js';
import { accumulatorChain, independentLoops } from '../../packages/core/src/analysis/independent-iterations.js';
import { linearTail } from '../../packages/core/src/analysis/linear-tail.js';
import { parseFunction } from '../support/parse-ir.js';

const loopIr = `
  %3: number = const 2
  %4 up: number = prim * %3, %1 ; 3: 2 * k
  %5 down: number = const 0
  %6 scale: number = prim * %1, %1 ; 5: k * k
  %8: number = length %0
  %9: boolean = prim < %5, %8 ; 6: i < x.length
  if %9 {
    %13: number = const NaN
    %34: number = length %0
    loop {
      carried %15 up: number = %4, next %30, after %36 up
      carried %16 down: number = %5, next %31, after %37 down
      carried %17 i: number = %5, next %33, after %38 i
      %18: number = load %0[%17] ; 7: x[i]
      %19: number = const 0
      %20: boolean = prim > %18, %19 ; 7: x[i]! > 0
      if %20 {
        %21: number = load %0[%17] ; 7: x[i]
        %22: number = prim * %6, %21 ; 7: scale * x[i]!
        %24: number = prim * %22, %21 ; 7: scale * x[i]! * x[i]!
        %25 up: number = prim + %15, %24 ; 7: up += scale * x[i]! * x[i]!
      } else {
        %26: number = load %0[%17] ; 8: x[i]
        %27: number = prim * %1, %26 ; 8: k * x[i]!
        %28: number = prim Math.sin %27 ; 8: Math.sin(k * x[i]!)
        %29 down: number = prim - %16, %28 ; 8: down -= Math.sin(k * x[i]!)
      }
      φ %30 up: number = %25, %15
      φ %31 down: number = %16, %29
      %32: number = const 1
      %33 i: number = prim + %17, %32 ; 6: i++
      %35: boolean = prim < %33, %34 ; 6: i < x.length
    } again %35, trips %39
  } else {
    %40: number = const NaN
  }
  φ %41 result: number = %13, %40
  φ %42 up: number = %36, %4
  φ %43 down: number = %37, %5
  φ %44 i: number = %38, %5
  %45: number = const 3
  %46: number = prim * %45, %43 ; 10: 3 * down
  %47: number = prim - %42, %46 ; 10: up - 3 * down
  %49 r: number = prim / %47, %8 ; 10: (up - 3 * down) / x.length`;

const branchFunction = parseFunction(`
function branches(%0 x: number[], %1 k: number, %2 flag: number) -> %58
${loopIr}
  %51: boolean = prim > %2, %5 ; 11: flag > 0
  if %51 {
    %52: number = prim neg %49 ; 11: -r
    %53: number = const 1
    %54 r: number = prim + %52, %53 ; 11: -r + 1
  } else {
  }
  φ %55 r: number = %54, %49
  %57: number = prim * %55, %3 ; 12: r * 2
  %58 result: number = prim + %57, %1 ; 12: r * 2 + k
`);

const linearFunction = parseFunction(`
function linear(%0 x: number[], %1 k: number, %2 flag: number) -> %58
${loopIr}
  %57: number = prim * %49, %3 ; 12: r * 2
  %58 result: number = prim + %57, %1 ; 12: r * 2 + k
`);

function loopOf(fn: SsaFunction): LoopInstr {
  let found: LoopInstr | undefined;
  forEachInstr(fn.body, (instr) => instr.kind === 'loop' && (found ??= instr));
  return found!;
}

const noCallees = () => undefined;

describe('loops of independent iterations', () => {
  it('a sum under a branch is an accumulator, and so is a difference; a counter read as an index is not', () => {
    const loop = loopOf(linearFunction);
    const [up, down, i] = loop.carried;
    expect(accumulatorChain(loop, up!)).toBe(true);
    expect(accumulatorChain(loop, down!)).toBe(true);
    expect(accumulatorChain(loop, i!)).toBe(false);
  });

  it('the loop is independent, with both sums as its accumulators and no scratch array', () => {
    const fn = { ...linearFunction, params: linearFunction.params.map((p) => ({ ...p, differentiable: p.name !== 'flag' })) };
    const loops = independentLoops(fn, analyzeActivity(fn, noCallees), noCallees);
    const independent = loops.get(loopOf(fn));
    expect(independent?.accumulators.map((c) => c.param)).toEqual([15, 16]);
    expect(independent?.scratch).toEqual([]);
  });

  it('the steps after the loop are linear in each sum, up to the result', () => {
    const loop = loopOf(linearFunction);
    const tail = linearTail(linearFunction, loop, 36);
    expect(tail?.steps.map((s) => (s.kind === 'phi' ? `φ ${s.from} → ${s.to}` : `${s.instr.op} → ${s.instr.result}`))).toEqual([
      'φ 36 → 42',
      '- → 47',
      '/ → 49',
      '* → 57',
      '+ → 58',
    ]);
    expect(linearTail(linearFunction, loop, 37)?.steps.map((s) => (s.kind === 'phi' ? s.to : s.instr.result))).toEqual([43, 46, 47, 49, 57, 58]);
  });

  it('a branch after the loop that the sum flows through is not linear: its test is not known before the loop', () => {
    expect(linearTail(branchFunction, loopOf(branchFunction), 36)).toBeUndefined();
  });
});
