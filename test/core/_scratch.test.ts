import { it } from 'vitest';
import { compileSource } from '../support/compile.js';
it('scratch', async () => {
  const src = `
/** @differentiable */ export function f_sin(x: number): number { return Math.sin(x); }
/** @differentiable */ export function f_pow(a: number, b: number): number { return a ** b; }
/** @differentiable */ export function f_hyp1(x: number): number { return Math.hypot(x); }
/** @differentiable */ export function f_max3(x: number, y: number, z: number): number { return Math.max(x, y, z); }
/** @differentiable */ export function f_pi(x: number): number { return Math.PI * x; }
/** @differentiable */ export function k_sin(x: number): number { return Math.sin(0.7) * x; }
/** @differentiable */ export function f_floor(x: number): number { return Math.floor(x); }
/** @differentiable */ export function f_neg(x: number): number { return -x; }
/** @differentiable */ export function f_mod(a: number, b: number): number { return a % b; }
`;
  const c = await compileSource(src);
  console.log(c.text);
});
