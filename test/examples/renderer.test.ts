/** examples/renderer: the gradient of the pixel loss with respect to every disc's four numbers. */
import { describe, expect, it } from 'vitest';
import { compileExample, exampleText, expectGradientMatches, exported } from './check.js';

type Render = (shapes: Float64Array) => Float64Array;
type PixelLoss = (shapes: Float64Array, target: Float64Array) => number;

/** [x, y, radius, intensity] per disc: the truth of fit.ts, and discs moved away from it. */
const truth = new Float64Array([10, 11, 6.5, 0.95, 21, 19, 8, 0.55, 12, 24, 4.5, 0.3]);
const guess = new Float64Array([7.3, 15.2, 4.1, 0.5, 24.4, 23.1, 5.2, 0.45, 16.6, 26.8, 3.3, 0.6]);

describe('examples/renderer/scene.ts', () => {
  it('render paints the image whose loss pixelLoss measures', async () => {
    const { source } = await compileExample('renderer/scene.ts');
    const render = exported<Render>(source, 'render');
    const pixelLoss = exported<PixelLoss>(source, 'pixelLoss');
    expect(pixelLoss(truth, render(truth))).toBe(0);
    expect(pixelLoss(guess, render(truth))).toBeGreaterThan(0.01);
  });

  it('pixelLoss: the gradient matches finite differences in each of the 12 shape numbers', async () => {
    const compiled = await compileExample('renderer/scene.ts');
    const target = exported<Render>(compiled.source, 'render')(truth);
    expectGradientMatches(compiled, 'pixelLoss', ['shapes'], () => [guess.slice(), target.slice()]);
  });

  it('the committed companion is up to date', async () => {
    const { text } = await compileExample('renderer/scene.ts');
    expect(text).toBe(exampleText('renderer/scene.grad.ts'));
  });
});
