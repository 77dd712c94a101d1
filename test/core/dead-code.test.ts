/**
 * Dead-code removal after differentiation (dead-code.ts) on loop-carried values: a `let` that only
 * feeds itself (acc = acc + x, a tangent nothing reads after its loop, a value the "loop again" of
 * a fused reverse recomputes for nothing) goes with its assignments and what only they read; one
 * that a condition, a store or the result reads stays.
 */
import { describe, expect, it } from 'vitest';
import { removeDeadDeclarations } from '../../packages/core/src/phases/4-differentiate/dead-code.js';
import type { Expr, Stmt } from '../../packages/core/src/ir/code.js';
import { num, ref } from '../../packages/core/src/ir/build.js';

const plus = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '+', left, right });

/** let acc = 0; for (i < n) { const x = xs[i]; const next = acc + x; <use>; acc = next; } <after> */
function accumulation(inLoop: Stmt[], after: Stmt[]): Stmt[] {
  return [
    { kind: 'declare', declaration: 'let', name: 'acc', init: num(0) },
    {
      kind: 'countup',
      counter: 'i',
      to: ref('n'),
      body: [
        { kind: 'declare', declaration: 'const', name: 'x', init: { kind: 'index', object: ref('xs'), index: ref('i') } },
        { kind: 'declare', declaration: 'const', name: 'next', init: plus(ref('acc'), ref('x')) },
        ...inLoop,
        { kind: 'assign', op: '=', target: ref('acc'), value: ref('next') },
      ],
    },
    ...after,
  ];
}

describe('loop-carried values nothing needs', () => {
  it('a running sum that only feeds itself goes, with the values only it read', () => {
    const kept = removeDeadDeclarations(accumulation([], [{ kind: 'return', value: num(1) }]));
    expect(kept).toEqual([
      { kind: 'countup', counter: 'i', to: ref('n'), body: [] },
      { kind: 'return', value: num(1) },
    ]);
  });

  it('stays when the result reads it', () => {
    const body = accumulation([], [{ kind: 'return', value: ref('acc') }]);
    expect(removeDeadDeclarations(body)).toEqual(body);
  });

  it('stays when a store in the loop reads a value computed from it', () => {
    const store: Stmt = { kind: 'assign', op: '=', target: { kind: 'index', object: ref('out'), index: ref('i') }, value: ref('next') };
    const body = accumulation([store], [{ kind: 'return', value: num(1) }]);
    expect(removeDeadDeclarations(body)).toEqual(body);
  });

  it('stays when a condition reads it', () => {
    const test: Stmt = {
      kind: 'if',
      test: { kind: 'binary', op: '>', left: ref('acc'), right: num(3) },
      then: [{ kind: 'break' }],
      else: [],
    };
    const body = accumulation([test], [{ kind: 'return', value: num(1) }]);
    expect(removeDeadDeclarations(body)).toEqual(body);
  });
});
