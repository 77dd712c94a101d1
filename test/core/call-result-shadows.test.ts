/**
 * The shadow of an object of numbers that a call returns inside a loop (tape-plan.ts): when only
 * reads of its fields use the object, the reverse makes its shadow again, of zeros, instead of the
 * container tape keeping the one the forward sweep made. Where the object goes further (into an
 * array, another call), the shadow is kept. Each case is checked against finite differences.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import { expectValueAndGradientAt, functionText } from '../support/gradient-check.js';

const source = `
/** A point at angle t on a spiral, by recursion (reversed apart: not inlined). */
function spiral(r: number, t: number, depth: number): { x: number; y: number } {
  if (depth <= 0) return { x: r * Math.cos(t), y: r * Math.sin(t) };
  const inner = spiral(r * 0.9, t + 0.1, depth - 1);
  return { x: inner.x + 0.1 * r, y: inner.y };
}

/** Only the fields of each point are read. */
/** @differentiable(wrt: r, t) */
export function walk(r: Float64Array, t: number): number {
  let s = 0;
  let a = t;
  for (let i = 0; i < r.length; i++) {
    const p = spiral(r[i]!, a, 2);
    s = s * 0.5 + p.x * p.y;
    a = a + 0.3 * p.x;
  }
  return s;
}

/** Each point is also kept in an array, read after the loop. */
/** @differentiable(wrt: r, t) */
export function kept(r: Float64Array, t: number): number {
  const points: Array<{ x: number; y: number }> = [];
  let s = 0;
  for (let i = 0; i < r.length; i++) {
    const p = spiral(r[i]!, t + i, 2);
    points.push(p);
    s += p.x;
  }
  for (const q of points) s = s * 0.7 + q.y * q.y;
  return s;
}
`;

const args = () => [Float64Array.from([0.8, 1.3, -0.4, 2.1]), 0.35];

describe('the shadow of an object a call returns in a loop', () => {
  it('is made again in the reverse when only its fields are read', async () => {
    const compiled = await compileSource(source, 'call-result-shadows.ts');
    const backprop = functionText(compiled.text, 'backprop_walk');
    expect(backprop).not.toContain('savedArrays');
    expect(backprop.match(/const d_p = \{ x: 0, y: 0 \};/g)).toHaveLength(1);
    expectValueAndGradientAt(compiled, 'walk', args);
  });

  it('is kept where the object goes into an array', async () => {
    const compiled = await compileSource(source, 'call-result-shadows.ts');
    expectValueAndGradientAt(compiled, 'kept', args);
  });
});
