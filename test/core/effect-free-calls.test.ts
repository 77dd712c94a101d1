/**
 * A call whose result nothing reads is dropped when the callee is effect-free (its summary says it
 * writes, grows and stores into none of its arguments and calls only effect-free functions), and
 * kept, as a statement, when it is not. A nested backprop (called by a caller's reverse sweep,
 * which has the value already) does not return the value, so what it computed only for the value
 * goes: for grad_f called with an argument its rule does not cover, the whole forward sweep of
 * grad_f (a second gradient of f per call) is gone, and with it the primal copy nobody calls.
 */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../packages/core/src/analysis/summaries.js';
import { removeDeadDeclarations } from '../../packages/core/src/phases/4-differentiate/dead-code.js';
import type { Stmt } from '../../packages/core/src/ir/code.js';
import { compile } from '@adjoint/core';
import { parseIr } from '../support/parse-ir.js';
import { functionText } from '../support/gradient-check.js';
import { loadModule } from '../support/load.js';
import { closeTo, partialAt, type Argument } from '../support/finite-difference.js';

const functions = parseIr(`
function square(%0 x: number[]) -> %3
  %1: number = const 0
  %2: number = load %0[%1]
  %3: number = prim * %2, %2
function writeFirst(%0 x: number[], %1 v: number) -> %1
  %2: number = const 0
  store %0[%2] = %1
function callsWriter(%0 x: number[]) -> %2
  %1: number = const 1
  %2: number = call "writeFirst"(%0, %1)
function callsSquare(%0 x: number[]) -> %1
  %1: number = call "square"(%0)
function callsElsewhere(%0 x: number) -> %1
  %1: number = call "elsewhere"(%0)
function writesItsOwn(%0 x: number) -> %4
  %1: number = const 2
  %2: number[] = alloc length %1
  %3: number = const 0
  store %2[%3] = %0
  %4: number = load %2[%3]
`);

describe('which functions are effect-free (summaries.ts)', () => {
  const summaries = summarize(new Map(functions.map((fn) => [fn.name, fn])), () => 1);
  const effectFree = (name: string) => summaries.get(name)!.effectFree;

  it('one that only reads its arguments, or writes only arrays of its own, is', () => {
    expect(effectFree('square')).toBe(true);
    expect(effectFree('writesItsOwn')).toBe(true);
    expect(effectFree('callsSquare')).toBe(true);
  });

  it('one that writes into an argument, calls such a function, or calls a function without a body is not', () => {
    expect(effectFree('writeFirst')).toBe(false);
    expect(effectFree('callsWriter')).toBe(false);
    expect(effectFree('callsElsewhere')).toBe(false);
  });
});

describe('dead-code removal of calls (dead-code.ts)', () => {
  const call = (callee: string): Stmt => ({
    kind: 'declare',
    declaration: 'const',
    name: `${callee}Result`,
    init: { kind: 'call', callee, args: [{ kind: 'ref', name: 'x' }] },
  });

  it('drops an unread call of an effect-free function and keeps an unread call of any other as a statement', () => {
    const kept = removeDeadDeclarations([call('square'), call('writeFirst')], (callee) => callee === 'square');
    expect(kept).toEqual([{ kind: 'expr', expr: { kind: 'call', callee: 'writeFirst', args: [{ kind: 'ref', name: 'x' }] } }]);
  });

  it('keeps every call when it is told of no effect-free function', () => {
    expect(removeDeadDeclarations([call('square')])).toHaveLength(1);
  });
});

describe('a nested backprop does not compute the value its caller has already', () => {
  const source = `
/** @differentiable(hessian, wrt: a, b) */
export function f(a: number, b: number, s: number): number {
  return Math.exp(s * a) * b + Math.sin(a * b * s);
}`;
  // s varies: grad_f's rule (a and b only) does not serve the call, grad_f's body is reversed (as
  // GradBench's particle reverses ∇ₓp(x, w) in each Euler step)
  const probe = `
import { grad_f } from './case.grad';
/** @differentiable */
export function q(a: number, b: number, s: number): number {
  let x = a;
  let y = b;
  for (let step = 1; step <= 3; step++) {
    const g = grad_f(x, y, s * step);
    x = x - 0.1 * g.a;
    y = y - 0.1 * g.b;
  }
  return x * x + y;
}`;
  const point = (): number[] => [0.3, -0.7, 0.8];

  it('backprop_grad_f returns only adjoints, runs no gradient of f before its reverse, and its gradient matches finite differences', async () => {
    const result = await compile([
      { path: 'case.ts', text: source },
      { path: 'probe.ts', text: probe },
    ]);
    expect(result.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
    const companion = result.outputs.find((o) => o.companionPath === 'case.grad.ts')!.text;
    const probeCompanion = result.outputs.find((o) => o.companionPath === 'probe.grad.ts')!.text;
    const nested = functionText(probeCompanion, 'backprop_grad_f');
    expect(nested).toContain('): { grad: { a: number; b: number; s: number } } {');
    expect(nested).not.toMatch(/return \{ value/);
    // grad_f's forward sweep was a call of the primal copy of the view's backprop_f, for the value only: gone, and the copy with it
    expect(nested).toContain('backprop_backprop_f(a, b, s, 1, ');
    expect(nested).not.toMatch(/= backprop_f\(/);
    expect(probeCompanion).not.toMatch(/^function backprop_f\(/m);

    const gradModule = loadModule(companion, 'case.grad.ts');
    const probeModule = loadModule(probeCompanion, 'probe.grad.ts', { './case.grad': gradModule });
    const q = loadModule(probe, 'probe.ts', { './case.grad': gradModule }).q as (...a: Argument[]) => number;
    const grad = (probeModule.grad_q as (...a: Argument[]) => { a: number; b: number; s: number })(...point());
    (['a', 'b', 's'] as const).forEach((name, i) => {
      const numeric = partialAt(q, point(), [i]);
      expect(closeTo(grad[name], numeric, 1e-6), `∂q/∂${name} = ${grad[name]}, finite differences ${numeric}`).toBe(true);
    });
  });
});
