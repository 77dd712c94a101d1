/**
 * Loops whose iterations are independent (analysis/independent-iterations.ts), reversed iteration
 * by iteration in the forward sweep when their accumulators reach the result linearly
 * (phases/4-differentiate/fused-loop.ts). Each case says whether its loop is fused (the companion
 * then reverses each iteration right after it) and checks the value, the gradient against finite
 * differences, and forward mode against both, at two points. The loops that must not be fused
 * carry a value from one iteration to the next, read a scratch array before the iteration writes
 * it, read the accumulator inside the loop, use it non-linearly after the loop, or write what the
 * loop read after it: they stay taped, and their gradients are checked all the same.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../support/compile.js';
import type { Argument } from '../support/finite-difference.js';
import { functionText, pushedValues } from '../support/gradient-check.js';
import { expectModesAgree } from '../support/modes-check.js';

const source = `
/** A one-layer network's loss over a batch: the scratch array is filled by each sample first. */
/** @differentiable(forward, wrt: w, b) */
export function batchLoss(w: Float64Array, b: Float64Array, inputs: Float64Array, nIn: number, nOut: number, batch: number): number {
  const out = new Float64Array(nOut);
  let total = 0;
  for (let s = 0; s < batch; s++) {
    for (let o = 0; o < nOut; o++) {
      let sum = b[o]!;
      for (let i = 0; i < nIn; i++) sum += w[o * nIn + i]! * inputs[s * nIn + i]!;
      out[o] = Math.tanh(sum);
    }
    let sq = 0;
    for (let o = 0; o < nOut; o++) sq += out[o]! * out[o]!;
    total += Math.sqrt(sq + 1);
  }
  return total / batch;
}

/** Two accumulators, each under a branch, a number from before the loop (k), an active start, and a linear tail. */
/** @differentiable(forward) */
export function branches(x: number[], k: number): number {
  let up = 2 * k;
  let down = 0;
  const scale = k * k;
  for (let i = 0; i < x.length; i++) {
    if (x[i]! > 0) up += scale * x[i]! * x[i]!;
    else down -= Math.sin(k * x[i]!);
  }
  const r = (up - 3 * down) / x.length;
  return -r * 2 + k;
}

/** Not fused: the sum goes through a branch after the loop, whose test the loop cannot know (nor run again: nothing it would tape). */
/** @differentiable(forward, wrt: x) */
export function branchAfter(x: number[], flag: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  let r = s / 2;
  if (flag > 0) r = -r + 1;
  return r;
}

/** A carried number without an adjoint (powers of t, as in least squares): the iterations run in order. */
/** @differentiable(forward, wrt: x) */
export function powers(x: Float64Array, t: number): number {
  let sum = 0;
  let mul = 1;
  for (let j = 0; j < x.length; j++) {
    sum -= x[j]! * mul;
    mul *= t;
  }
  return 0.5 * sum;
}

/** A helper called in the loop, writing into a scratch array, and reading a table filled before the loop. */
/** @differentiable(forward, wrt: mu, q) */
export function mixture(x: Float64Array, mu: Float64Array, q: Float64Array, d: number, n: number): number {
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) scale[j] = Math.exp(q[j]!);
  const centred = new Float64Array(d);
  let slse = 0;
  for (let p = 0; p < n; p++) {
    subtract(d, x, p * d, mu, centred);
    slse += norm(d, centred, scale);
  }
  return slse - n * q[0]!;
}

function subtract(d: number, x: Float64Array, offset: number, mu: Float64Array, out: Float64Array): void {
  for (let j = 0; j < d; j++) out[j] = x[offset + j]! - mu[j]!;
}

function norm(d: number, v: Float64Array, scale: Float64Array): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += scale[j]! * v[j]! * v[j]!;
  return Math.log(s + 1);
}

/** A differentiated number stepped like a counter (x++) passes its adjoint on: an accumulator; the loop's test reads an active number. */
/** @differentiable(forward) */
export function stepped(x: number, n: number, w: number[]): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    x++;
    s += w[i]! * w[i]! * n;
  }
  return s + x * 2;
}

/** Least squares: the loop over samples is fused; the loop over coefficients, squared after it, runs again in the sample's reverse (mul is computed again, not taped). */
/** @differentiable(forward, wrt: x) */
export function leastSquares(x: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = -1 + (i * 2) / (n - 1);
    let inner = Math.sign(t);
    let mul = 1;
    for (let j = 0; j < x.length; j++) {
      inner -= x[j]! * mul;
      mul *= t;
    }
    sum += inner * inner;
  }
  return sum / 2;
}

/** A loop run again inside a taped loop: its start (r's value) and what it reads come from the outer iteration's reverse. */
/** @differentiable(forward, wrt: x) */
export function rerunInTaped(x: Float64Array, t: number): number {
  let r = 0.5;
  for (let k = 0; k < 3; k++) {
    let s = r;
    let mul = 1;
    for (let j = 0; j < x.length; j++) {
      s += x[j]! * mul;
      mul *= t;
    }
    r = Math.sin(s * s);
  }
  return r;
}

/** Iterations that add only constants have no reverse, but the sum's start still gets the result's adjoint (fused, then run again). */
/** @differentiable(forward) */
export function constantTerms(x: number[], k: number): number {
  let s = k * k;
  for (let i = 0; i < x.length; i++) s += 2;
  let t = k;
  for (let i = 0; i < x.length; i++) t += 1;
  return s * 3 + x[0]! + Math.sqrt(t * t + 1);
}

/** The scratch array is written again after a read in the same iteration: that read is taped, the one after the write read again. */
/** @differentiable(forward, wrt: x) */
export function rewritten(x: Float64Array, n: number, m: number): number {
  const buf = new Float64Array(m);
  let total = 0;
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < m; j++) buf[j] = Math.sin(x[s]! * (j + 1));
    let t = 0;
    for (let j = 0; j < m; j++) t += buf[j]! * buf[j]!;
    buf[0] = t * x[s]!;
    total += buf[0]! * buf[1]! * x[s]!;
  }
  return total / n;
}

/** Not fused: a product carried from one iteration to the next. */
/** @differentiable(forward) */
export function product(x: number[]): number {
  let p = 1;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    p *= x[i]!;
    s += p;
  }
  return s;
}

/** Not fused: the scratch array is read before the iteration writes it (the previous sample's value). */
/** @differentiable(forward, wrt: x) */
export function previous(x: Float64Array): number {
  const last = new Float64Array(1);
  let total = 0;
  for (let s = 0; s < x.length; s++) {
    total += last[0]! * x[s]!;
    last[0] = Math.sin(x[s]!);
  }
  return total;
}

/** Not fused: the accumulator is read inside the loop. */
/** @differentiable(forward) */
export function readInside(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * Math.cos(s);
  return s;
}

/** Not fused: the sum is used non-linearly after the loop. */
/** @differentiable(forward) */
export function logOfSum(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp(x[i]!);
  return Math.log(s);
}

/** Not fused: a number that the loop multiplies in is known only after it. */
/** @differentiable(forward) */
export function scaledAfter(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  const m = x[0]! * 3;
  return s * m;
}

/** Not fused: an array the loop reads is written after it. */
/** @differentiable(forward) */
export function writtenAfter(x: number[]): number {
  const a = x.slice();
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  a[0] = 3 * a[1]!;
  return s + a[0]! * a[0]!;
}

/** The outer loop is fused; the inner one, inside it, is taped within each iteration (its sum is squared). */
/** @differentiable(forward) */
export function nested(x: number[], k: number): number {
  let s = 0;
  for (let r = 0; r < 3; r++) {
    let t = 0;
    for (let i = 0; i < x.length; i++) t += x[i]! * k;
    s += t * t;
  }
  return s;
}
`;

type Strategy = 'fused' | 'rerun' | 'taped';

const cases: Array<{ name: string; strategy: Strategy; wrt?: string[]; args: Array<() => Argument[]> }> = [
  {
    name: 'batchLoss',
    strategy: 'fused',
    wrt: ['w', 'b'],
    args: [
      () => [new Float64Array([0.3, -0.2, 0.5, 0.1, 0.7, -0.4]), new Float64Array([0.1, -0.3]), new Float64Array([1, 2, 3, -1, 0.5, 0.25, 2, -2, 1]), 3, 2, 3],
      () => [new Float64Array([-0.6, 0.2, 0.05, 0.9, -0.1, 0.4]), new Float64Array([0.5, 0.2]), new Float64Array([0.2, -1, 0.4, 1.5, 0.3, -0.7]), 3, 2, 2],
    ],
  },
  {
    name: 'branches',
    strategy: 'fused',
    args: [() => [[0.5, -1.2, 2, -0.3], 0.7], () => [[-0.5, 1.2, 0.4], -1.3]],
  },
  { name: 'branchAfter', strategy: 'taped', wrt: ['x'], args: [() => [[0.5, -1.2, 2, -0.3], 1], () => [[1.1, 0.9, 1.3], -1]] },
  {
    name: 'powers',
    strategy: 'fused',
    wrt: ['x'],
    args: [() => [new Float64Array([0.5, -1.2, 2, -0.3]), 0.7], () => [new Float64Array([1.5, 0.2, -0.4]), -1.1]],
  },
  {
    name: 'mixture',
    strategy: 'fused',
    wrt: ['mu', 'q'],
    args: [
      () => [new Float64Array([0.5, -1.2, 2, -0.3, 0.1, 0.9]), new Float64Array([0.2, -0.4]), new Float64Array([0.3, -0.1]), 2, 3],
      () => [new Float64Array([1, 2, 3, 4, 5, 6]), new Float64Array([1, 0.5, -2]), new Float64Array([-0.2, 0.4, 0.1]), 3, 2],
    ],
  },
  { name: 'stepped', strategy: 'fused', args: [() => [0.3, 2.5, [0.5, -1.2, 2, -0.3]], () => [-1.3, 1.5, [1.1, 0.9]]] },
  { name: 'leastSquares', strategy: 'fused', wrt: ['x'], args: [() => [new Float64Array([0.5, -1.2, 2]), 5], () => [new Float64Array([1.5, 0.2, -0.4, 0.3]), 3]] },
  { name: 'rerunInTaped', strategy: 'rerun', wrt: ['x'], args: [() => [new Float64Array([0.5, -1.2, 0.3]), 0.7], () => [new Float64Array([0.2, -0.4]), -1.1]] },
  // (no loop is written out as fused or run again: neither has a reverse)
  { name: 'constantTerms', strategy: 'taped', args: [() => [[0.5, -1.2, 2], 0.7], () => [[1.1], -1.3]] },
  { name: 'rewritten', strategy: 'fused', wrt: ['x'], args: [() => [new Float64Array([0.5, -1.2, 0.9]), 3, 2], () => [new Float64Array([1.3, 0.2]), 2, 3]] },
  { name: 'product', strategy: 'taped', args: [() => [[0.5, -1.2, 2, -0.3]], () => [[1.1, 0.9, 1.3]]] },
  { name: 'previous', strategy: 'taped', wrt: ['x'], args: [() => [new Float64Array([0.5, -1.2, 2, -0.3])], () => [new Float64Array([1.1, 0.9, 1.3])]] },
  { name: 'readInside', strategy: 'taped', args: [() => [[0.5, -1.2, 2, -0.3]], () => [[1.1, 0.9, 1.3]]] },
  { name: 'logOfSum', strategy: 'taped', args: [() => [[0.5, -1.2, 2, -0.3]], () => [[1.1, 0.9, 1.3]]] },
  { name: 'scaledAfter', strategy: 'taped', args: [() => [[0.5, -1.2, 2, -0.3]], () => [[1.1, 0.9, 1.3]]] },
  { name: 'writtenAfter', strategy: 'taped', args: [() => [[0.5, -1.2, 2, -0.3]], () => [[1.1, 0.9, 1.3]]] },
  { name: 'nested', strategy: 'fused', args: [() => [[0.5, -1.2, 2, -0.3], 0.7], () => [[1.1, 0.9, 1.3], -0.4]] },
];

const FUSED = 'The reverse of this iteration, right after it';
const RERUN = 'The loop again, each iteration reversed right after it';

function strategyOf(text: string): Strategy {
  return text.includes(FUSED) ? 'fused' : text.includes(RERUN) ? 'rerun' : 'taped';
}

describe('loops of independent iterations', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const compiled = await compileSource(source, 'independent.ts');
    expect(strategyOf(functionText(compiled.text, `backprop_${c.name}`)), `how ${c.name}'s loop is differentiated`).toBe(c.strategy);
    c.args.forEach((args, k) => expectModesAgree(compiled, c.name, args, { wrt: c.wrt, context: ` at point ${k}` }));
  });

  it("least squares: the inner loop runs again in each sample's reverse, and nothing is taped", async () => {
    const compiled = await compileSource(source, 'independent.ts');
    const text = functionText(compiled.text, 'backprop_leastSquares');
    expect(text).toContain(FUSED);
    expect(text).toContain(RERUN);
    expect(text).not.toContain('tape.');
  });

  it('a fused loop tapes nothing per iteration, and hands the adjoints of numbers from before it over once', async () => {
    const compiled = await compileSource(source, 'independent.ts');
    const text = functionText(compiled.text, 'backprop_branches');
    expect(text).toContain('let d_k_inLoop = 0;');
    // k and k * k: each one push after the loop, one pop where the reverse sweep reaches it
    expect(pushedValues(text).sort()).toEqual(['d_k_inLoop', 'd_scale_inLoop']);
    expect(text).toContain('d_k += tape.pop();');
    expect(text).toContain('d_scale += tape.pop();');
  });
});
