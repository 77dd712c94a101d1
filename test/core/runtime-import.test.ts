/**
 * The runtime's helpers in a companion: copied in by default (byte for byte @adjoint/runtime's
 * source, under the companion's names), imported from @adjoint/runtime with `runtime: 'import'`.
 * Both give the same gradient; a user's own function `Tape` does not clash with either.
 */
import { compile } from '@adjoint/core';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import { expectValueAndGradientAt } from '../support/gradient-check.js';

// a taped loop (Tape), a counted loop's trip count (tripCount), a checkpointed loop (Revolve), and
// a user function called Tape that the companion must not hide
const source = `
export function Tape(x: number): number { return x; }
/** @differentiable(wrt: x) */
export function f(x: number[], n: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s = Math.sin(s + x[i]!) * Tape(x[i]!);
  for (let i = 0; i < n; i++) for (let j = i; j < x.length; j++) s += Math.sin(x[j]! * s);
  let v = x[0]!;
  // @checkpoint(snapshots: 2)
  for (let k = 0; k < n; k++) v = Math.cos(v) + s * 0.1;
  return s * v;
}
`;

async function companion(runtime: 'inline' | 'import'): Promise<string> {
  // not inlined, the user's Tape is copied into the companion, whose tape class must take another name
  const { outputs, diagnostics } = await compile([{ path: 'model.ts', text: source }], { runtime, inline: false });
  expect(diagnostics).toEqual([]);
  return outputs[0]!.text;
}

describe("the runtime's helpers in a companion", () => {
  it('are copied in by default, under names that do not clash', async () => {
    const text = await companion('inline');
    expect(text).not.toContain('@adjoint/runtime');
    // the companion claims its helpers' names first: the copy of the user's Tape takes another
    expect(text).toMatch(/^class Tape \{$/m);
    expect(text).toMatch(/^function Tape_\d+\(x: number\): number \{$/m);
    expect(text).toMatch(/^class Revolve \{$/m);
    expect(text).toMatch(/^function tripCount\(start: number, bound: number\): number \{$/m);
  });

  it("are imported from @adjoint/runtime with runtime: 'import'", async () => {
    const text = await companion('import');
    // one import declaration for the runtime's helpers
    const runtimeImport = text.match(/^import \{ (.*) \} from '@adjoint\/runtime';$/gm);
    expect(runtimeImport).toHaveLength(1);
    expect(runtimeImport![0]!.split(/[{},]/).map((name) => name.trim()).slice(1, -1).sort()).toEqual(['Revolve', 'Tape', 'tripCount']);
    expect(text).toMatch(/^function Tape_\d+\(x: number\): number \{$/m);
    expect(text).not.toMatch(/^class |^function tripCount/m);
  });

  it.each(['inline', 'import'] as const)('give the gradient finite differences give (%s)', async (runtime) => {
    const compiled = await compileSource(source, 'model.ts', { runtime, inline: false });
    expectValueAndGradientAt(compiled, 'f', () => [[0.3, -0.7, 1.1], 5]);
  });
});

describe('stopGradient', () => {
  it.each(['@adjoint/runtime', '@adjoint/core'])('from %s is x with no gradient through it', async (module) => {
    const compiled = await compileSource(`import { stopGradient } from '${module}';\n/** @differentiable */\nexport function f(x: number): number {\n  return x * stopGradient(x);\n}\n`);
    // d(x * c)/dx = c, with c = x held constant
    expect((compiled.companion.grad_f as (x: number) => { x: number })(3)).toEqual({ x: 3 });
  });
});
