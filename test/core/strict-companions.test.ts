/**
 * What a project with the flags of `tsc --init` needs from Adjoint, beside the companions'
 * type-check (test/golden/typecheck.test.ts): sources written for noUncheckedIndexedAccess compile,
 * and generated code names no value that is not there.
 */
import { compile } from '@adjoint/core';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import { expectValueAndGradientAt, functionText } from '../support/gradient-check.js';

describe('companions for strict projects', () => {
  it('accepts a compound assignment to an element written with ! (a[i]! += v)', async () => {
    const compiled = await compileSource(`/** @differentiable */
export function f(v: number[], x: number): number {
  for (let i = 0; i < v.length; i++) v[i]! *= x;
  v[0]!++;
  return v[0]! + v[1]!;
}
`);
    expectValueAndGradientAt(compiled, 'f', () => [[0.5, -1.5], 1.3]);
  });

  it("names the input count of a Jacobian known when compiling (it was printed as 'undefined')", async () => {
    const { outputs, diagnostics } = await compile([
      {
        path: 'polar.ts',
        text: '/** @differentiable(forward) */\nexport function f(r: number, theta: number): { x: number; path: number[] } {\n  return { x: r * Math.cos(theta), path: [r, theta, r * theta] };\n}\n',
      },
    ]);
    expect(diagnostics).toEqual([]);
    const jacobian = functionText(outputs[0]!.text, 'jacobian_f');
    expect(jacobian).toMatch(/if \(outputs <= 2\) \{/);
    expect(jacobian).not.toContain('undefined');
  });

  it('gives a parameter the backprop never reads a name starting with _ (noUnusedParameters)', async () => {
    const { outputs } = await compile([{ path: 'f.ts', text: '/** @differentiable */\nexport function f(x: number, unused: number): number {\n  return x * x;\n}\n' }]);
    const backprop = functionText(outputs[0]!.text, 'backprop_f');
    expect(backprop).toMatch(/^function backprop_f\(\s*x: number,\s*_unused: number,/);
  });
});
