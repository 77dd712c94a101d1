/**
 * Two GradBench evals written as TypeScript is written, with callbacks and a generic solver
 * (issue 16's "done when"), validated against finite differences:
 * - det: the determinant by expansion in minors made with `filter` (gradbench-case/det.ts.txt);
 *   its gradient is also the cofactor matrix, det(A)·A⁻ᵀ;
 * - saddle: maxOverY, the inner max of GradBench's saddle by a generic `argmin(f, gradient, start)`
 *   taking closures (gradbench-case/saddle.ts.txt), differentiated through the whole descent and
 *   the gradients of the objective it takes (nested AD), in reverse and forward mode; and the
 *   whole eval, the outer argmin over x driven by grad_maxOverY, reaching the saddle point.
 */
import { compile } from '@adjoint/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import { loadModule, type ModuleExports } from '../support/load.js';
import { expectModesAgree } from '../support/modes-check.js';

const read = (file: string) => readFileSync(fileURLToPath(new URL(`./gradbench-case/${file}`, import.meta.url)), 'utf8');

describe('det by minors with filter', () => {
  const matrices: Array<() => [Float64Array, number]> = [
    () => [new Float64Array([2]), 1],
    () => [new Float64Array([1.5, -0.3, 0.7, 2.2]), 2],
    () => [new Float64Array([2, -1, 0.5, 0.3, 1.7, -0.8, 1.1, 0.4, 2.5]), 3],
    () => [new Float64Array([1.2, 0.3, -0.5, 0.8, 0.1, 2.1, 0.6, -0.7, -0.4, 0.9, 1.8, 0.2, 0.5, -0.3, 0.7, 1.4]), 4],
  ];

  it.each(matrices.map((m) => [m()[1], m] as const))('matches finite differences and forward mode for ℓ = %i', async (_, point) => {
    expectModesAgree(await compileSource(read('det.ts.txt'), 'det.ts'), 'primal', point, { wrt: ['A'] });
  });

  it('gives the cofactor matrix', async () => {
    const { companion } = await compileSource(read('det.ts.txt'), 'det.ts');
    const grad = companion.grad_primal as (A: Float64Array, ell: number) => { A: Float64Array };
    const [A] = matrices[2]!();
    const [a, b, c, d, e, f, g, h, i] = A;
    // cofactors of a 3 × 3 matrix, row by row
    const cofactors = [e! * i! - f! * h!, f! * g! - d! * i!, d! * h! - e! * g!, c! * h! - b! * i!, a! * i! - c! * g!, b! * g! - a! * h!, b! * f! - c! * e!, c! * d! - a! * f!, a! * e! - b! * d!];
    grad(A, 3).A.forEach((entry, k) => expect(entry).toBeCloseTo(cofactors[k]!, 12));
  });
});

describe('saddle with a generic argmin', () => {
  async function compiled(): Promise<{ saddle: ModuleExports; saddleGrad: ModuleExports; objectiveGrad: ModuleExports }> {
    const files = [
      { path: 'saddle-objective.ts', text: read('saddle-objective.ts.txt') },
      { path: 'saddle.ts', text: read('saddle.ts.txt') },
    ];
    // at once: saddle.ts reads the companion of saddle-objective.ts generated in the same run
    const result = await compile(files);
    expect(result.diagnostics).toEqual([]);
    const text = (path: string) => result.outputs.find((o) => o.sourcePath === path)!.text;
    const objective = loadModule(files[0]!.text, 'saddle-objective.ts');
    const objectiveGrad = loadModule(text('saddle-objective.ts'), 'saddle-objective.grad.ts');
    const saddle = loadModule(files[1]!.text, 'saddle.ts', { './saddle-objective': objective, './saddle-objective.grad': objectiveGrad });
    // reverse over reverse: the companion calls adjointOfGrad_objective from the objective's companion
    const saddleGrad = loadModule(text('saddle.ts'), 'saddle.grad.ts', { './saddle-objective.grad': objectiveGrad });
    return { saddle, saddleGrad, objectiveGrad };
  }

  it.each([
    [1, 1, 1, 1],
    [0.6, -0.4, 1, 1],
    [-1.3, 0.2, 0.5, -0.8],
  ])('maxOverY(%d, %d, %d, %d) matches finite differences and forward mode', async (...point) => {
    const { saddle, saddleGrad } = await compiled();
    expectModesAgree({ source: saddle, companion: saddleGrad, text: '', result: { outputs: [], diagnostics: [], unmarked: [] } }, 'maxOverY', () => point, { wrt: ['x0', 'x1'] });
  });

  it('runs the whole eval: the outer argmin over x, by grad_maxOverY, reaches the saddle point (0, 0), (0, 0)', async () => {
    const { saddle, saddleGrad } = await compiled();
    const start = [1, 1];
    const argmin = saddle.argmin as (f: (p: number[]) => number, gradient: (p: number[]) => number[], start: number[]) => number[];
    const maxOverY = saddle.maxOverY as (...args: number[]) => number;
    const gradMax = saddleGrad.grad_maxOverY as (...args: number[]) => { x0: number; x1: number };
    const x = argmin(
      (p) => maxOverY(p[0]!, p[1]!, start[0]!, start[1]!),
      (p) => {
        const g = gradMax(p[0]!, p[1]!, start[0]!, start[1]!);
        return [g.x0, g.x1];
      },
      start,
    );
    x.forEach((xi) => expect(Math.abs(xi)).toBeLessThan(1e-3));
  });
});
