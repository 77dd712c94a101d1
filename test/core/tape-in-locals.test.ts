/**
 * The shared tape kept in locals while a function runs (phases/4-differentiate/tape-in-locals.ts):
 * each case pushes more than the tape's first buffer holds (1,024 numbers), so the buffer grows
 * while a function holds it in its locals, in the function itself or in a callee between a caller's
 * pushes, and checks the value and every partial against finite differences.
 */
import { describe, expect, it } from 'vitest';
import type { Expr, FunctionDecl, Stmt } from '../../packages/core/src/ir/code.js';
import { tapeInLocals } from '../../packages/core/src/phases/4-differentiate/tape-in-locals.js';
import { compileSource } from '../support/compile.js';
import { expectValueAndGradientAt, functionText } from '../support/gradient-check.js';

const source = `
/** A damped oscillator: the reverse needs every step's x and v. */
/** @differentiable(wrt: params) */
export function oscillator(params: Float64Array, steps: number): number {
  let x = params[0]!;
  let v = params[1]!;
  for (let i = 0; i < steps; i++) {
    v = v - 0.01 * (params[2]! * Math.sin(x) + 0.1 * v);
    x = x + 0.01 * v;
  }
  return x * x + v;
}

/** Recursion, reversed apart: forward_series leaves what each level's reverse reads on the tape (by tape.push). */
function series(y: number, n: number): number {
  if (n <= 0) return 0;
  const s = series(y, n - 1);
  return s * 0.999 + Math.sin(y * (1 + 1 / n)) * Math.cos(s);
}

/** Each round's pushes surround a call whose own pushes grow the tape. */
/** @differentiable(wrt: x) */
export function rounds(x: Float64Array, n: number): number {
  let total = 1;
  for (let t = 0; t < x.length; t++) {
    const y = Math.exp(x[t]! * 0.3);
    total = Math.sin(total * y) + series(y, n);
  }
  return total;
}
`;

describe('the tape kept in locals', () => {
  it('grows its buffer from its locals in a long loop', async () => {
    const compiled = await compileSource(source);
    expect(functionText(compiled.text, 'backprop_oscillator')).toContain('tapeValues = tape.grow(tapeTop + ');
    expectValueAndGradientAt(compiled, 'oscillator', () => [Float64Array.from([0.3, -0.2, 1.7]), 1500]);
  });

  it('hands the top over around a call that grows the buffer by tape.push, and takes the new buffer back', async () => {
    const compiled = await compileSource(source);
    const caller = functionText(compiled.text, 'backprop_rounds');
    expect(caller).toMatch(
      /tape\.top = tapeTop;\s+const \w+ = forward_series\([^)]*\);\s+tapeValues = tape\.values;\s+tapeTop = tape\.top;/,
    );
    expectValueAndGradientAt(compiled, 'rounds', () => [Float64Array.from([0.4, -0.7, 0.9]), 900]);
  });
});

describe('a function whose use of the tape does not fit', () => {
  const tape: Expr = { kind: 'ref', name: 'tape' };
  const pop: Expr = { kind: 'method', object: tape, method: 'pop', args: [] };
  const loop = (body: Stmt[]): Stmt => ({ kind: 'countdown', counter: 'i', from: { kind: 'num', value: 3 }, body });
  const fn = (name: string, body: Stmt[]): FunctionDecl => ({
    kind: 'function',
    name,
    params: [],
    returnType: 'number',
    body,
    doc: '',
    exported: false,
  });
  const names = { tape: 'tape', values: 'tapeValues', top: 'tapeTop' };
  const pushing = fn('pushes', [
    loop([{ kind: 'expr', expr: { kind: 'method', object: tape, method: 'push', args: [{ kind: 'num', value: 1 }] } }]),
    { kind: 'return', value: { kind: 'num', value: 0 } },
  ]);

  it('keeps tape.pop() where a pop is in the statement that calls a function using the tape', () => {
    const mixed = fn('mixed', [
      loop([
        {
          kind: 'declare',
          declaration: 'const',
          name: 'a',
          init: { kind: 'binary', op: '+', left: pop, right: { kind: 'call', callee: 'pushes', args: [] } },
        },
      ]),
    ]);
    const [, after] = tapeInLocals([pushing, mixed], names);
    expect(after).toBe(mixed);
  });

  it('keeps tape.push() where a pushed value pops', () => {
    const moving = fn('moving', [loop([{ kind: 'expr', expr: { kind: 'method', object: tape, method: 'push', args: [pop] } }])]);
    expect(tapeInLocals([moving], names)[0]).toBe(moving);
  });

  it('keeps tape.push() where the tape is named otherwise', () => {
    const passing = fn('passing', [...pushing.body.slice(0, 1), { kind: 'expr', expr: { kind: 'call', callee: 'inspect', args: [tape] } }]);
    expect(tapeInLocals([passing], names)[0]).toBe(passing);
  });

  it('keeps tape.pop() where a pop is in a return', () => {
    const returning = fn('returning', [loop([{ kind: 'expr', expr: pop }]), { kind: 'return', value: pop }]);
    expect(tapeInLocals([returning], names)[0]).toBe(returning);
  });

  it('rewrites the function that only pushes, and leaves one without a loop as it reads', () => {
    const once = fn('once', [{ kind: 'expr', expr: { kind: 'method', object: tape, method: 'push', args: [{ kind: 'num', value: 2 }] } }]);
    const [rewritten, unchanged] = tapeInLocals([pushing, once], names);
    expect(rewritten).not.toBe(pushing);
    expect(unchanged).toBe(once);
  });
});
