/**
 * The optimisation passes, each on IR in and IR out (the printer's text, read back by
 * test/support/parse-ir.ts), and the checks that keep them honest: the IR after every pass is
 * valid (the verifier runs after each in the whole suite: vitest.config.ts sets
 * ADJOINT_VERIFY_IR=1), and a pass that breaks it is named by the internal error.
 * The inputs are what the pipeline hands each pass for a small source (the output of the pass
 * before it); each expected output was read and checked by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compile } from '@adjoint/core';
import { printFunction } from '../../packages/core/src/ir/print.js';
import type { SsaFunction } from '../../packages/core/src/ir/ssa.js';
import { verifyFunction } from '../../packages/core/src/ir/verify.js';
import { PASSES, type FunctionToOptimize, type PassContext } from '../../packages/core/src/phases/3-optimize/index.js';
import { parseIr } from '../support/parse-ir.js';

/**
 * Runs the pass named `name` on the first function of `ir`; the others are the program around it
 * (callees, as the callee-first passes left them). Returns the result printed, checked valid.
 */
function runPass(name: string, ir: string): string {
  const pass = PASSES.find((p) => p.name === name)!;
  const [fn, ...others] = parseIr(ir);
  const file = {};
  const keyOf = (f: SsaFunction) => `${name}.ts#${f.name}`;
  const functions = new Map<string, FunctionToOptimize>([fn!, ...others].map((f) => [keyOf(f), { key: keyOf(f), ssa: f, file, hasRule: false }]));
  const context: PassContext = { key: keyOf(fn!), functions, callee: (key) => functions.get(key)!.ssa };
  const result = pass.run(fn!, context);
  expect(verifyFunction(result)).toEqual([]);
  return `\n${printFunction(result)}\n`;
}

describe('each optimisation pass, IR in and IR out', () => {
  it('covers every pass of PASSES', () => {
    expect(PASSES.map((p) => p.name)).toEqual(['inline', 'scalar-arrays', 'shared-values', 'hoist-loads', 'forward-stores', 'snapshot-reads', 'parameter-layout']);
  });

  it('inline: a call of a small function of the same file becomes a copy of its body', () => {
    const output = runPass('inline', `
function f(%0 x: number) -> %2
  %1: number = call "inline.ts#square"(%0) ; 7: square(x)
  %2 result: number = prim + %1, %0 ; 7: square(x) + x
function square(%0 v: number) -> %1
  %1 result: number = prim * %0, %0 ; 2: v * v
`);
    expect(output).toBe(`
function f(%0 x: number) -> %2
  %3 result: number = prim * %0, %0 ; 2: v * v
  %2 result: number = prim + %3, %0 ; 7: square(x) + x
`);
  });

  it('scalar-arrays: a small array read at constant indices becomes its elements', () => {
    const output = runPass('scalar-arrays', `
function f(%0 x: number, %1 y: number) -> %7
  %2 p: number[] = alloc [%0, %1] ; 3: [x, y]
  %3: number = const 0
  %4: number = load %2[%3] ; 4: p[0]
  %5: number = const 1
  %6: number = load %2[%5] ; 4: p[1]
  %7 result: number = prim * %4, %6 ; 4: p[0]! * p[1]!
`);
    expect(output).toBe(`
function f(%0 x: number, %1 y: number) -> %7
  %3: number = const 0
  %5: number = const 1
  %7 result: number = prim * %0, %1 ; 4: p[0]! * p[1]!
`);
  });

  it('shared-values: an operation repeated on the same values is computed once', () => {
    const output = runPass('shared-values', `
function f(%0 x: number, %1 y: number) -> %4
  %2: number = prim + %0, %1 ; 3: x + y
  %3: number = prim + %0, %1 ; 3: x + y
  %4 result: number = prim * %2, %3 ; 3: (x + y) * (x + y)
`);
    expect(output).toBe(`
function f(%0 x: number, %1 y: number) -> %4
  %2: number = prim + %0, %1 ; 3: x + y
  %4 result: number = prim * %2, %2 ; 3: (x + y) * (x + y)
`);
  });

  it("hoist-loads: a typed array's length read in a loop moves before the loop", () => {
    const output = runPass('hoist-loads', `
function f(%0 x: Float64Array, %1 n: number) -> %23
  %2 s: number = const 0
  %4: boolean = prim < %2, %1 ; 4: i < n
  if %4 {
    %7: number = const NaN
    loop {
      carried %9 s: number = %2, next %14, after %18 s
      carried %10 i: number = %2, next %16, after %19 i
      %11: number = load %0[%10] ; 4: x[i]
      %12: number = length %0
      %13: number = prim / %11, %12 ; 4: x[i]! / x.length
      %14 s: number = prim + %9, %13 ; 4: s += x[i]! / x.length
      %15: number = const 1
      %16 i: number = prim + %10, %15 ; 4: i++
      %17: boolean = prim < %16, %1 ; 4: i < n
    } again %17, trips %20
  } else {
    %21: number = const NaN
  }
  φ %22 result: number = %7, %21
  φ %23 s: number = %18, %2
  φ %24 i: number = %19, %2
`);
    expect(output).toBe(`
function f(%0 x: Float64Array, %1 n: number) -> %23
  %2 s: number = const 0
  %4: boolean = prim < %2, %1 ; 4: i < n
  if %4 {
    %7: number = const NaN
    %12: number = length %0
    loop {
      carried %9 s: number = %2, next %14, after %18 s
      carried %10 i: number = %2, next %16, after %19 i
      %11: number = load %0[%10] ; 4: x[i]
      %13: number = prim / %11, %12 ; 4: x[i]! / x.length
      %14 s: number = prim + %9, %13 ; 4: s += x[i]! / x.length
      %15: number = const 1
      %16 i: number = prim + %10, %15 ; 4: i++
      %17: boolean = prim < %16, %1 ; 4: i < n
    } again %17, trips %20
  } else {
    %21: number = const NaN
  }
  φ %22 result: number = %7, %21
  φ %23 s: number = %18, %2
  φ %24 i: number = %19, %2
`);
  });

  it('forward-stores: a read of a scratch array that an earlier loop filled computes the stored value again', () => {
    const output = runPass('forward-stores', `
function f(%0 x: number[], %1 n: number) -> %37
  %2 t: number[] = alloc [] ; 3: []
  %3 i: number = const 0
  %4: boolean = prim < %3, %1 ; 4: i < n
  if %4 {
    %7: number = const NaN
    loop {
      carried %9 i: number = %3, next %14, after %16 i
      %10: number = const 2
      %11: number = load %0[%9] ; 4: x[i]
      %12: number = prim * %10, %11 ; 4: 2 * x[i]!
      store %2[%9] = %12 ; 4: t[i] = 2 * x[i]!
      %13: number = const 1
      %14 i: number = prim + %9, %13 ; 4: i++
      %15: boolean = prim < %14, %1 ; 4: i < n
    } again %15, trips %17
  } else {
    %18: number = const NaN
  }
  φ %19 result: number = %7, %18
  φ %20 i: number = %16, %3
  if %4 {
    loop {
      carried %27 s: number = %3, next %30, after %34 s
      carried %28 i: number = %3, next %32, after %35 i
      %29: number = load %2[%28] ; 6: t[i]
      %30 s: number = prim + %27, %29 ; 6: s += t[i]!
      %31: number = const 1
      %32 i: number = prim + %28, %31 ; 6: i++
      %33: boolean = prim < %32, %1 ; 6: i < n
    } again %33, trips %36
  } else {
  }
  φ %37 s: number = %34, %3
  φ %38 i: number = %35, %3
`);
    expect(output).toBe(`
function f(%0 x: number[], %1 n: number) -> %37
  %2 t: number[] = alloc [] ; 3: []
  %3 i: number = const 0
  %4: boolean = prim < %3, %1 ; 4: i < n
  if %4 {
    %7: number = const NaN
    loop {
      carried %9 i: number = %3, next %14, after %16 i
      %10: number = const 2
      %11: number = load %0[%9] ; 4: x[i]
      %12: number = prim * %10, %11 ; 4: 2 * x[i]!
      store %2[%9] = %12 ; 4: t[i] = 2 * x[i]!
      %13: number = const 1
      %14 i: number = prim + %9, %13 ; 4: i++
      %15: boolean = prim < %14, %1 ; 4: i < n
    } again %15, trips %17
  } else {
    %18: number = const NaN
  }
  φ %19 result: number = %7, %18
  φ %20 i: number = %16, %3
  if %4 {
    loop {
      carried %27 s: number = %3, next %30, after %34 s
      carried %28 i: number = %3, next %32, after %35 i
      %39: number = const 2
      %40: number = load %0[%28] ; 4: x[i]
      %41: number = prim * %39, %40 ; 4: 2 * x[i]!
      %30 s: number = prim + %27, %41 ; 6: s += t[i]!
      %31: number = const 1
      %32 i: number = prim + %28, %31 ; 6: i++
      %33: boolean = prim < %32, %1 ; 6: i < n
    } again %33, trips %36
  } else {
  }
  φ %37 s: number = %34, %3
  φ %38 i: number = %35, %3
`);
  });

  it('snapshot-reads: a loop nest reading an array its enclosing loop writes reads a copy taken before it', () => {
    const output = runPass('snapshot-reads', `
function f(%0 x: number[], %1 n: number) -> %64
  %2: number = const 0
  %4 h: number[] = alloc [%2, %2] ; 3: [0, 0]
  %7: boolean = prim < %2, %1 ; 5: k < n
  if %7 {
    %10: number = const NaN
    loop {
      carried %12 s: number = %2, next %54, after %59 s
      carried %13 k: number = %2, next %57, after %60 k
      %14: number = const 2
      %15: number = prim % %13, %14 ; 6: k % 2
      %16: number = load %0[%13] ; 6: x[k]
      store %4[%15] = %16 ; 6: h[k % 2] = x[k]!
      %17 o: number = const 0
      %18: boolean = prim < %17, %1 ; 7: o < n
      if %18 {
        loop {
          carried %22 s: number = %12, next %46, after %51 s
          carried %24 o: number = %17, next %49, after %52 o
          %25 j: number = const 0
          %26: number = const 2
          %27: boolean = prim < %25, %26 ; 7: j < 2
          if %27 {
            loop {
              carried %31 s: number = %22, next %38, after %43 s
              carried %34 j: number = %25, next %40, after %44 j
              %35: number = load %4[%34] ; 7: h[j]
              %36: number = load %0[%24] ; 7: x[o]
              %37: number = prim * %35, %36 ; 7: h[j]! * x[o]!
              %38 s: number = prim + %31, %37 ; 7: s += h[j]! * x[o]!
              %39: number = const 1
              %40 j: number = prim + %34, %39 ; 7: j++
              %41: number = const 2
              %42: boolean = prim < %40, %41 ; 7: j < 2
            } again %42, trips %45
          } else {
          }
          φ %46 s: number = %43, %22
          φ %47 j: number = %44, %25
          %48: number = const 1
          %49 o: number = prim + %24, %48 ; 7: o++
          %50: boolean = prim < %49, %1 ; 7: o < n
        } again %50, trips %53
      } else {
      }
      φ %54 s: number = %51, %12
      φ %55 o: number = %52, %17
      %56: number = const 1
      %57 k: number = prim + %13, %56 ; 5: k++
      %58: boolean = prim < %57, %1 ; 5: k < n
    } again %58, trips %61
  } else {
    %62: number = const NaN
  }
  φ %63 result: number = %10, %62
  φ %64 s: number = %59, %2
  φ %65 k: number = %60, %2
`);
    expect(output).toBe(`
function f(%0 x: number[], %1 n: number) -> %64
  %2: number = const 0
  %4 h: number[] = alloc [%2, %2] ; 3: [0, 0]
  %7: boolean = prim < %2, %1 ; 5: k < n
  if %7 {
    %10: number = const NaN
    loop {
      carried %12 s: number = %2, next %54, after %59 s
      carried %13 k: number = %2, next %57, after %60 k
      %14: number = const 2
      %15: number = prim % %13, %14 ; 6: k % 2
      %16: number = load %0[%13] ; 6: x[k]
      store %4[%15] = %16 ; 6: h[k % 2] = x[k]!
      %17 o: number = const 0
      %18: boolean = prim < %17, %1 ; 7: o < n
      if %18 {
        %66: number = length %4
        %67: number = const 0
        %68 hSnapshot: number[] = slice %4 offset %67 copied %66 ; 7: h[j]
        loop {
          carried %22 s: number = %12, next %46, after %51 s
          carried %24 o: number = %17, next %49, after %52 o
          %25 j: number = const 0
          %26: number = const 2
          %27: boolean = prim < %25, %26 ; 7: j < 2
          if %27 {
            loop {
              carried %31 s: number = %22, next %38, after %43 s
              carried %34 j: number = %25, next %40, after %44 j
              %35: number = load %68[%34] ; 7: h[j]
              %36: number = load %0[%24] ; 7: x[o]
              %37: number = prim * %35, %36 ; 7: h[j]! * x[o]!
              %38 s: number = prim + %31, %37 ; 7: s += h[j]! * x[o]!
              %39: number = const 1
              %40 j: number = prim + %34, %39 ; 7: j++
              %41: number = const 2
              %42: boolean = prim < %40, %41 ; 7: j < 2
            } again %42, trips %45
          } else {
          }
          φ %46 s: number = %43, %22
          φ %47 j: number = %44, %25
          %48: number = const 1
          %49 o: number = prim + %24, %48 ; 7: o++
          %50: boolean = prim < %49, %1 ; 7: o < n
        } again %50, trips %53
      } else {
      }
      φ %54 s: number = %51, %12
      φ %55 o: number = %52, %17
      %56: number = const 1
      %57 k: number = prim + %13, %56 ; 5: k++
      %58: boolean = prim < %57, %1 ; 5: k < n
    } again %58, trips %61
  } else {
    %62: number = const NaN
  }
  φ %63 result: number = %10, %62
  φ %64 s: number = %59, %2
  φ %65 k: number = %60, %2
`);
  });

  it('parameter-layout: rows stored into a parameter record what they replace, a push onto one its length; a local is left alone', () => {
    const output = runPass('parameter-layout', `
function f(%0 M: number[][], %1 a: number[], %2 x: number) -> %21
  %3: number = const 0
  %4 t: number[] = load %0[%3] ; 3: M[0]
  %6: number = const 1
  %7: number[] = load %0[%6] ; 4: M[1]
  store %0[%3] = %7 ; 4: M[0] = M[1]!
  store %0[%6] = %4 ; 5: M[1] = t
  %9: number = length %1
  push %1 %2 at %9 ; 6: a.push(x)
  %11: number[] = alloc [%2] ; 7: [x]
  %12 local: number[][] = alloc [%11] ; 7: [[x]]
  %14: number = prim * %2, %2 ; 8: x * x
  %15: number[] = alloc [%14] ; 8: [x * x]
  store %12[%3] = %15 ; 8: local[0] = [x * x]
  %17: number[] = load %0[%3] ; 9: M[0]
  %19: number = load %17[%3] ; 9: M[0]![0]
  %20: number[] = load %12[%3] ; 9: local[0]
  %21 result: number = prim + %19, %14 ; 9: M[0]![0]! + x * x
`);
    expect(output).toBe(`
function f(%0 M: number[][], %1 a: number[], %2 x: number) -> %21
  %3: number = const 0
  %4 t: number[] = load %0[%3] ; 3: M[0]
  %6: number = const 1
  %7: number[] = load %0[%6] ; 4: M[1]
  %22: number[] = load %0[%3] ; 4: M[0] = M[1]!
  store %0[%3] = %7 previous %22 ; 4: M[0] = M[1]!
  %23: number[] = load %0[%6] ; 5: M[1] = t
  store %0[%6] = %4 previous %23 ; 5: M[1] = t
  %9: number = length %1
  push %1 %2 at %9 restoring length ; 6: a.push(x)
  %11: number[] = alloc [%2] ; 7: [x]
  %12 local: number[][] = alloc [%11] ; 7: [[x]]
  %14: number = prim * %2, %2 ; 8: x * x
  %15: number[] = alloc [%14] ; 8: [x * x]
  store %12[%3] = %15 ; 8: local[0] = [x * x]
  %17: number[] = load %0[%3] ; 9: M[0]
  %19: number = load %17[%3] ; 9: M[0]![0]
  %20: number[] = load %12[%3] ; 9: local[0]
  %21 result: number = prim + %19, %14 ; 9: M[0]![0]! + x * x
`);
  });
});

describe('the IR printer and its reader', () => {
  const cases = new URL('../golden/cases/', import.meta.url);
  it.each(readdirSync(cases).filter((f) => f.endsWith('.ts')))('read back what they print, after every pass, for %s', async (file) => {
    const printed: string[] = [];
    await compile([{ path: file, text: readFileSync(new URL(file, cases), 'utf8') }], { format: false, onPass: (_, __, ir) => printed.push(ir) });
    expect(printed.length).toBeGreaterThan(PASSES.length);
    for (const ir of printed) expect(printFunction(parseIr(ir)[0]!)).toBe(ir);
  });
});

describe('the verifier', () => {
  afterEach(() => vi.restoreAllMocks());

  const source = '/** @differentiable */\nexport function f(x: number, y: number): number {\n  const z = x * y;\n  return z + Math.sin(z);\n}\n';

  it('names the pass that left the IR invalid, and shows the instruction', async () => {
    const pass = PASSES.find((p) => p.name === 'hoist-loads')!;
    const run = pass.run;
    // a read of a value that is never defined
    vi.spyOn(pass, 'run').mockImplementation((fn, context) => {
      const result = structuredClone(run(fn, context));
      const instr = result.body.instrs.find((i) => i.kind === 'prim' && i.op === 'Math.sin')!;
      if (instr.kind === 'prim') instr.args = [999];
      return result;
    });
    const { outputs, diagnostics } = await compile([{ path: 'f.ts', text: source }], { verifyIr: true });
    expect(outputs).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['AD9001']);
    expect(diagnostics[0]!.message).toContain("the IR of 'f' is invalid after the pass 'hoist-loads'");
    expect(diagnostics[0]!.message).toContain('an operand %999 is read where it is not defined');
    expect(diagnostics[0]!.message).toMatch(/> +%\d+: number = prim Math.sin %999/);
  });

  it('finds each broken invariant', () => {
    const [valid] = parseIr(`
function f(%0 x: number, %1 b: boolean nodiff) -> %5
  %2: number = const 2
  if %1 {
    %3: number = prim * %0, %2
  } else {
  }
  φ %4: number = %3, %0
  %5: number = prim + %4, %2
`);
    expect(verifyFunction(valid!)).toEqual([]);
    const broken = (edit: (fn: SsaFunction) => void) => {
      const fn = structuredClone(valid!);
      edit(fn);
      return verifyFunction(fn).map((e) => e.message);
    };
    expect(valid!.body.instrs.map((i) => i.kind)).toEqual(['const', 'if', 'prim']);
    // defined twice
    expect(broken((fn) => fn.body.instrs.push({ kind: 'const', result: 2, value: 1 }))).toEqual(['%2 is defined twice']);
    // read after the block that defines it
    expect(broken((fn) => ((fn.body.instrs[2] as { args: number[] }).args = [3, 2]))).toEqual(['an operand %3 is read where it is not defined (it is defined in a block that does not enclose the read, or later)']);
    // a φ reading the other side's value
    expect(broken((fn) => ((fn.body.instrs[1] as { phis: Array<{ else: number }> }).phis[0]!.else = 3))).toEqual(['a φ operand %3 is read where it is not defined (it is defined in a block that does not enclose the read, or later)']);
    // types: an array as a condition, a φ merging a number and a boolean, an arity the rule does not have
    expect(broken((fn) => (fn.values[1]!.type = { kind: 'array', container: 'Array', element: { kind: 'number' } }))).toEqual(['the condition %1 is number[], not a boolean or a number']);
    expect(broken((fn) => (fn.values[4]!.type = { kind: 'array', container: 'Array', element: { kind: 'number' } }))).toEqual(['an operand of φ %4 %3 is number, not number[]', 'an operand of φ %4 %0 is number, not number[]']);
    expect(broken((fn) => ((fn.body.instrs[2] as { args: number[] }).args = [4]))).toEqual(["'+' takes 2 arguments, not 1"]);
  });
});
