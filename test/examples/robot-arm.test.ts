/** examples/robot-arm: the Jacobian of a planar arm's hand position with respect to its joint angles. */
import { describe, expect, it } from 'vitest';
import { expectVectorOutputMatches } from '../support/jacobian-check.js';
import { compileExample, exampleText, exported } from './check.js';

type Jacobian = (angles: number[], lengths: number[]) => number[][];

describe('examples/robot-arm/arm.ts', () => {
  const lengths = [1.0, 0.8, 0.5];
  const angles = [0.3, -0.7, 1.1];

  it('jacobian_hand matches the planar arm’s Jacobian derived by hand', async () => {
    const { companion } = await compileExample('robot-arm/arm.ts');
    // φⱼ = θ₀ + … + θⱼ; ∂x/∂θᵢ = -Σ_{j≥i} lⱼ sin φⱼ, ∂y/∂θᵢ = Σ_{j≥i} lⱼ cos φⱼ
    const headings = angles.map((_, j) => angles.slice(0, j + 1).reduce((s, a) => s + a, 0));
    const tail = (i: number, f: (phi: number) => number) => lengths.slice(i).reduce((s, l, k) => s + l * f(headings[i + k]!), 0);
    const expected = [angles.map((_, i) => -tail(i, Math.sin)), angles.map((_, i) => tail(i, Math.cos))];
    const jacobian = exported<Jacobian>(companion, 'jacobian_hand')(angles, lengths);
    expect(jacobian.length).toBe(2);
    jacobian.forEach((row, r) => row.forEach((entry, c) => expect(entry).toBeCloseTo(expected[r]![c]!, 14)));
  });

  it('jacobian_hand and vjp_hand match finite differences; the lengths are not differentiated', async () => {
    expectVectorOutputMatches(await compileExample('robot-arm/arm.ts'), 'hand', () => [[...angles], [...lengths]]);
  });

  it('the committed companion is up to date', async () => {
    const { text } = await compileExample('robot-arm/arm.ts');
    expect(text).toBe(exampleText('robot-arm/arm.grad.ts'));
  });
});
