/** examples/projectile: the gradient of the miss through 1000 Euler steps that end with a break. */
import { describe, expect, it } from 'vitest';
import { compileExample, exampleText, expectGradientMatches, exported } from './check.js';

type LandingMiss = (angle: number, speed: number, drag: number, target: number) => number;

describe('examples/projectile/simulation.ts', () => {
  it('landingMiss: the gradient matches finite differences in angle, speed, drag and target', async () => {
    const compiled = await compileExample('projectile/simulation.ts');
    // the launch where tune.ts starts, and a steep one that lands short of the target
    expectGradientMatches(compiled, 'landingMiss', ['angle', 'speed', 'drag', 'target'], () => [0.35, 25, 0.005, 120]);
    expectGradientMatches(compiled, 'landingMiss', ['angle', 'speed', 'drag', 'target'], () => [1.1, 40, 0.003, 120]);
  });

  it('the projectile lands within the 1000 steps, drag or not', async () => {
    const { source } = await compileExample('projectile/simulation.ts');
    const landingX = (angle: number, speed: number, drag: number) => Math.sqrt(exported<LandingMiss>(source, 'landingMiss')(angle, speed, drag, 0));
    // without drag, explicit Euler lands near the exact range v²·sin(2θ)/g
    expect(Math.abs(landingX(Math.PI / 4, 30, 0) - (30 * 30) / 9.81)).toBeLessThan(0.5);
    // drag shortens the flight
    expect(landingX(Math.PI / 4, 30, 0.005)).toBeLessThan(landingX(Math.PI / 4, 30, 0) - 10);
  });

  it('the committed companion is up to date', async () => {
    const { text } = await compileExample('projectile/simulation.ts');
    expect(text).toBe(exampleText('projectile/simulation.grad.ts'));
  });
});
