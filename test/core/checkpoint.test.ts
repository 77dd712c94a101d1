/**
 * Binomial checkpointing of loops (`// @checkpoint`, the option `checkpointLoops`):
 *
 *   - the schedule alone: every iteration reversed exactly once, last first; never more stored
 *     states than slots; exactly the binomial optimum of forward steps (Griewank & Walther);
 *   - gradients of checkpointed loops equal those of the same loops taped (to rounding) and
 *     central finite differences: breaks, continue and return, nested loops, loops writing
 *     arrays, helpers, n = 0, 1, 2 and large n;
 *   - the memory: the tape holds one iteration, the schedule at most its slots.
 */
import { compileSync } from '@adjoint/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { revolveClass } from '../../packages/core/src/phases/4-differentiate/checkpoint-schedule.js';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';
import { loadModule, type ModuleExports } from '../support/load.js';
import { afterEachPush } from '../support/tape-probe.js';

// ---------------------------------------------------------------------------------------------
// The schedule

interface Schedule {
  capo: number;
  from: number;
  slot: number;
  peak: number;
  readonly slots: number;
  next(): number;
}
interface ScheduleClass {
  new (steps: number, slots: number, width: number): Schedule;
  slotsFor(steps: number, repetitions: number): number;
  advance: number;
  store: number;
  restore: number;
  reverse: number;
  done: number;
}

const Revolve = new Function(
  ts.transpileModule(`${revolveClass('Revolve').text}\nreturn Revolve;`, { compilerOptions: { target: ts.ScriptTarget.ES2022 } })
    .outputText,
)() as ScheduleClass;

/** C(n, k), exactly for the sizes used here. */
function binomial(n: number, k: number): number {
  let b = 1;
  for (let i = 1; i <= k; i++) b = (b * (n - k + i)) / i;
  return Math.round(b);
}

/** The fewest forward steps that reverse n steps with s stored states: t·n − β(s + 1, t − 1), t least with β(s, t) ≥ n. */
function binomialOptimum(n: number, s: number): number {
  if (n <= 1) return 0;
  let t = 0;
  while (binomial(s + t, s) < n) t++;
  return t * n - binomial(s + t, s + 1);
}

/** The same optimum by dynamic programming over every first split (small n only). */
function optimumBySearch(n: number, s: number, memo = new Map<string, number>()): number {
  if (n <= 1) return 0;
  if (s === 1) return (n * (n - 1)) / 2;
  const key = `${n},${s}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let best = Infinity;
  for (let k = 1; k < n; k++) best = Math.min(best, k + optimumBySearch(k, s, memo) + optimumBySearch(n - k, s - 1, memo));
  memo.set(key, best);
  return best;
}

/**
 * Runs the schedule on a pretend loop whose state is the iteration number: each advance must start
 * from the current state, each restore give the state stored in its slot, each reverse find the
 * state of the iteration it reverses. Returns the first action that does not, if any.
 */
function simulate(steps: number, slots: number) {
  const schedule = new Revolve(steps, slots, 1);
  const stored = new Map<number, number>();
  let state: number | undefined = 0;
  let advanced = 0;
  let wrong: string | undefined;
  const reversed: number[] = [];
  for (let action = schedule.next(); action !== Revolve.done && !wrong; action = schedule.next()) {
    if (action === Revolve.advance) {
      if (state !== schedule.from) wrong = `advance from ${schedule.from} at state ${state}`;
      advanced += schedule.capo - schedule.from;
      state = schedule.capo;
    } else if (action === Revolve.store) {
      if (schedule.slot >= slots) wrong = `store into slot ${schedule.slot} of ${slots}`;
      stored.set(schedule.slot, state!);
    } else if (action === Revolve.restore) {
      state = stored.get(schedule.slot);
      if (state !== schedule.capo) wrong = `restore of ${state} for ${schedule.capo}`;
    } else if (action === Revolve.reverse) {
      if (state !== schedule.capo) wrong = `reverse of ${schedule.capo} at state ${state}`;
      reversed.push(schedule.capo);
      state = undefined;
    } else {
      wrong = `unknown action ${action}`;
    }
  }
  return { advanced, reversed, peak: schedule.peak, wrong };
}

describe('the revolve schedule', () => {
  const sizes: Array<[number, number]> = [
    [0, 1],
    [1, 1],
    [2, 1],
    [9, 1],
    [2, 2],
    [10, 2],
    [10, 3],
    [37, 4],
    [100, 5],
    [120, 3],
    [1000, 10],
    [5000, 7],
    [20000, 47],
  ];
  it.each(sizes)(
    'reverses n = %i steps with s = %i slots: each step once, last first, with the binomial optimum of forward steps',
    (n, s) => {
      const { advanced, reversed, peak, wrong } = simulate(n, s);
      expect(wrong).toBeUndefined();
      expect(reversed).toEqual(Array.from({ length: n }, (_, i) => n - 1 - i));
      expect(peak).toBeLessThanOrEqual(s);
      expect(advanced).toBe(binomialOptimum(n, s));
    },
  );

  it('matches the optimum found by searching every split, for n ≤ 40 and s ≤ 5', () => {
    for (let s = 1; s <= 5; s++) {
      for (let n = 1; n <= 40; n++) {
        const { advanced, wrong } = simulate(n, s);
        expect(wrong).toBeUndefined();
        expect(advanced, `n=${n} s=${s}`).toBe(optimumBySearch(n, s));
      }
    }
  });

  it('holds O(log n) states with O(log n) repetitions, or n^(1/r) states with r repetitions', () => {
    // n ≤ C(s + r, s): 10⁶ steps with 20 states need r = 8; with r = 3, 180 states
    expect(binomialOptimum(1e6, 20)).toBeLessThanOrEqual(8 * 1e6);
    expect(Revolve.slotsFor(1e6, 3)).toBe(180);
    expect(binomial(180 + 3, 3)).toBeGreaterThanOrEqual(1e6);
    expect(binomial(179 + 3, 3)).toBeLessThan(1e6);
    for (const [n, r] of [
      [1, 3],
      [2, 1],
      [1000, 2],
      [123456, 4],
    ]) {
      const s = Revolve.slotsFor(n!, r!);
      expect(binomial(s + r!, s)).toBeGreaterThanOrEqual(n!);
      expect(s === 1 || binomial(s - 1 + r!, s - 1) < n!).toBe(true);
      expect(simulate(n!, s).advanced).toBeLessThanOrEqual(r! * n!);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Gradients of checkpointed loops

const SOURCE = `
/** @differentiable(wrt: params) */
export function pendulum(params: Float64Array, steps: number, h: number): number {
  const k = params[0]!;
  const c = params[1]!;
  let x = params[2]!;
  let v = params[3]!;
  // @checkpoint
  for (let i = 0; i < steps; i++) {
    const a = -k * Math.sin(x) - c * v;
    v += h * a;
    x += h * v;
  }
  return (x - 1) * (x - 1) + v * v;
}

/** @differentiable(wrt: params) */
export function pendulumTwoStates(params: Float64Array, steps: number, h: number): number {
  const k = params[0]!;
  let x = params[1]!;
  let v = params[2]!;
  // @checkpoint(snapshots: 2)
  for (let i = 0; i < steps; i++) {
    v -= h * k * Math.sin(x);
    x += h * v;
  }
  return x * v;
}

/** @differentiable(wrt: x, r) */
export function logistic(x: number, r: number, steps: number): number {
  let y = x;
  let i = 0;
  // @checkpoint(repetitions: 1)
  do {
    y = r * y * (1 - y);
    i++;
  } while (i < steps);
  return y;
}

/** Falls until it hits the ground or time runs out: the trip count depends on the inputs. */
/** @differentiable(wrt: x0, v0, g) */
export function fall(x0: number, v0: number, g: number): number {
  let x = x0;
  let v = v0;
  let t = 0;
  // @checkpoint(snapshots: 3)
  while (t < 1000) {
    v -= g * 0.01;
    x += v * 0.01;
    t++;
    if (x < 0) break;
  }
  return x * x + v * t;
}

/** @differentiable(wrt: a, s) */
export function skipAndStop(a: Float64Array, s: number): number {
  let acc = 0;
  // @checkpoint(snapshots: 2)
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < 0) continue;
    acc = acc * s + Math.sin(a[i]! * s);
    if (acc > 2.5) return acc * 2;
  }
  return acc;
}

/** Sums written in place, out[j] = out[j] + …, each step. */
/** @differentiable(wrt: x) */
export function accumulate(x: number[], steps: number): number {
  const out = [0, 0, 0];
  // @checkpoint
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < 3; j++) out[j] = out[j]! + Math.sin(x[j]! * t);
  }
  return out[0]! * out[1]! + out[2]!;
}

/** An explicit heat equation: arrays made before the loop, written in place by inner loops. */
/** @differentiable(wrt: u0, alpha) */
export function heat(u0: Float64Array, alpha: number, steps: number): number {
  const u = u0.slice();
  const next = new Float64Array(u.length);
  // @checkpoint(snapshots: 4)
  for (let s = 0; s < steps; s++) {
    for (let i = 1; i < u.length - 1; i++) next[i] = u[i]! + alpha * (u[i - 1]! - 2 * u[i]! + u[i + 1]!);
    for (let i = 1; i < u.length - 1; i++) u[i] = next[i]!;
  }
  let e = 0;
  for (const value of u) e += value * value * value;
  return e;
}

/** Checkpointed loops inside a checkpointed loop. */
/** @differentiable(wrt: x) */
export function nested(x: number, n: number, m: number): number {
  let y = x;
  // @checkpoint(snapshots: 2)
  for (let i = 0; i < n; i++) {
    let z = y;
    // @checkpoint(snapshots: 2)
    for (let j = 0; j < m; j++) z = Math.sin(z) + 0.5 * y;
    y = z * 0.9 + 0.1 * x;
  }
  return y;
}

/** Checkpointed loops nested, both writing arrays made before them (the inner's state is saved in the outer's taped iteration). */
/** @differentiable(wrt: x) */
export function nestedArrays(x: number, n: number, m: number): number {
  const a = new Float64Array([x, x, x, x]);
  const b = [x, 2 * x, 0.5];
  // @checkpoint(snapshots: 2)
  for (let i = 0; i < n; i++) {
    // @checkpoint(snapshots: 2)
    for (let j = 0; j < m; j++) {
      a[j % 4] = Math.sin(a[(j + 1) % 4]!) * b[j % 3]! + 0.1 * x;
      b[(i + j) % 3] = b[(i + j) % 3]! * 0.9 + a[j % 4]! * 0.2;
    }
    b[i % 3] += Math.cos(a[i % 4]!);
  }
  return a[0]! + a[1]! * b[1]! + b[2]! * b[0]!;
}

/** A checkpointed loop inside a taped one, writing the rows of a matrix and the fields of an object it was given. */
/** @differentiable(wrt: m, o) */
export function relaxGrid(m: number[][], o: { x: number; y: number }, sweeps: number, rounds: number): number {
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    // @checkpoint(snapshots: 2)
    for (let s = 0; s < sweeps; s++) {
      for (let i = 0; i < m.length; i++) {
        const row = m[i]!;
        for (let j = 0; j < row.length; j++) row[j] = row[j]! * o.x + Math.sin(o.y * row[j]!) * 0.1;
      }
      o.y = o.y * 0.95 + m[0]![0]! * 0.01;
    }
    total += m[m.length - 1]![0]! * o.y;
  }
  return total + o.x * o.y;
}

/** Writes into its parameter: the gradient must leave the same effect. */
/** @differentiable(wrt: w, rate) */
export function relax(w: Float64Array, rate: number, steps: number): number {
  // @checkpoint(snapshots: 3)
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - rate * Math.sin(w[i]!);
  }
  let total = 0;
  for (const value of w) total += value * value;
  return total;
}

function force(x: number, k: number): number {
  return -k * Math.sin(x);
}

function kick(state: Float64Array, h: number, k: number): void {
  state[1] = state[1]! + h * force(state[0]!, k);
  state[0] = state[0]! + h * state[1]!;
}

/** @differentiable(wrt: state0, k) */
export function orbit(state0: Float64Array, k: number, h: number, steps: number): number {
  const state = state0.slice();
  let energy = 0;
  // @checkpoint
  for (let i = 0; i < steps; i++) {
    kick(state, h, k);
    energy += force(state[0]!, k) * h;
  }
  return state[0]! * state[0]! + state[1]! + energy;
}
`;

interface Probe {
  tapePeak: number;
  storedPeak: number;
  slots: number;
  advanced: number;
}

/**
 * The companion with counters: the tape's peak size, the most states the schedule stored, and the
 * iterations it advanced (text edits on the classes the compiler emits).
 */
function instrumented(text: string): string {
  const edits: Array<[string, string]> = [
    [
      'if (stored.length > this.peak) this.peak = stored.length;',
      'if (stored.length > this.peak) this.peak = stored.length;\n      probe.storedPeak = Math.max(probe.storedPeak, this.peak);\n      probe.slots = this.slots;',
    ],
    ['return Revolve.advance;', 'probe.advanced += this.capo - this.from;\n    return Revolve.advance;'],
  ];
  let result = afterEachPush(text, (top) => `if (${top} > probe.tapePeak) probe.tapePeak = ${top};`);
  if (result === undefined) throw new Error('the companion has no Tape class to instrument');
  // a companion without checkpointed loops has no schedule class
  for (const [from, to] of text.includes('class Revolve') ? edits : []) {
    if (!result.includes(from)) throw new Error(`the companion has no '${from}' to instrument`);
    result = result.replace(from, to);
  }
  return `${result}\nexport const probe = { tapePeak: 0, storedPeak: 0, slots: 0, advanced: 0 };\n`;
}

function companionOf(source: string, options: { checkpointLoops?: boolean } = {}): string {
  const result = compileSync([{ path: 'case.ts', text: source }], { header: false, ...options });
  const errors = result.diagnostics.filter((d) => d.category === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.location?.line}: ${d.message}`).join('\n'));
  return result.outputs[0]!.text;
}

const withoutMarks = (source: string) => source.replace(/^\s*\/\/ @checkpoint.*\n/gm, '');
const checkpointed = loadModule(instrumented(companionOf(SOURCE)), 'case.grad.ts');
const taped = loadModule(instrumented(companionOf(withoutMarks(SOURCE))), 'case.grad.ts');
const byOption = loadModule(instrumented(companionOf(withoutMarks(SOURCE), { checkpointLoops: true })), 'case.grad.ts');
const source = loadModule(SOURCE, 'case.ts');

type Gradient = { value: number; grad: Record<string, Argument> };
const call = (module: ModuleExports, name: string, args: Argument[]) =>
  (module[name] as (...a: Argument[]) => Gradient)(...structuredClone(args));
const probeOf = (module: ModuleExports) => module.probe as Probe;
const resetProbe = (module: ModuleExports) => Object.assign(probeOf(module), { tapePeak: 0, storedPeak: 0, slots: 0, advanced: 0 });

/** Checks valueAndGrad_name of the checkpointed companion against the taped one and finite differences. */
function expectSameGradient(name: string, params: string[], args: Argument[], options: { fd?: boolean; tolerance?: number } = {}) {
  const f = source[name] as (...a: Argument[]) => number;
  const actual = call(checkpointed, `valueAndGrad_${name}`, args);
  const reference = call(taped, `valueAndGrad_${name}`, args);
  const optioned = call(byOption, `valueAndGrad_${name}`, args);
  expect(actual.value).toBe(f(...structuredClone(args)));
  const entries = leaves(actual.grad);
  const referenceEntries = leaves(reference.grad);
  expect(entries.map(([path]) => path)).toEqual(referenceEntries.map(([path]) => path));
  entries.forEach(([path, value], i) => {
    // the same operations in the same order: equal to rounding
    expect(
      closeTo(value, referenceEntries[i]![1], 1e-12),
      `${name} ∂/∂${path.join('.')}: ${value} checkpointed, ${referenceEntries[i]![1]} taped`,
    ).toBe(true);
    expect(closeTo(leaves(optioned.grad)[i]![1], value, 1e-12), `${name} ∂/∂${path.join('.')} with checkpointLoops`).toBe(true);
    if (options.fd === false) return;
    const [param, ...rest] = path;
    const expected = partialAt(f, args, [params.indexOf(param as string), ...rest]);
    expect(
      closeTo(value, expected, options.tolerance ?? 1e-6),
      `${name} ∂/∂${path.join('.')}: ${value} vs finite differences ${expected}`,
    ).toBe(true);
  });
  return actual;
}

describe('gradients of checkpointed loops', () => {
  const pendulumParams = new Float64Array([2, 0.1, 0.5, 0.3]);
  it.each([0, 1, 2, 3, 7, 100, 2000])('equal the taped gradient and finite differences for n = %i', (n) => {
    expectSameGradient('pendulum', ['params', 'steps', 'h'], [pendulumParams, n, 0.01]);
  });

  it('with two stored states and with one repetition', () => {
    for (const n of [0, 1, 2, 5, 64])
      expectSameGradient('pendulumTwoStates', ['params', 'steps', 'h'], [new Float64Array([1.5, 0.4, -0.2]), n, 0.05]);
    // a do…while runs once even for steps = 0
    for (const n of [0, 1, 2, 9, 30]) expectSameGradient('logistic', ['x', 'r', 'steps'], [0.3, 3.1, n]);
  });

  it('through break, continue and an early return (trip counts known only at run time)', () => {
    expectSameGradient('fall', ['x0', 'v0', 'g'], [2, 1.5, 9.81]);
    expectSameGradient('fall', ['x0', 'v0', 'g'], [200, 1, 0.01]); // runs to t = 1000
    expectSameGradient('skipAndStop', ['a', 's'], [new Float64Array([0.4, -1, 0.9, 1.3, -0.2, 0.7, 1.1, 0.5]), 1.7]);
    expectSameGradient('skipAndStop', ['a', 's'], [new Float64Array([0.4, -1, 0.3, 0.1]), 0.9]); // no return
  });

  it('through nested loops and arrays written in place', () => {
    const u0 = new Float64Array([0, 0.4, 0.9, 1.2, 0.7, 0.2, 0]);
    for (const steps of [0, 1, 2, 25]) expectSameGradient('heat', ['u0', 'alpha', 'steps'], [u0, 0.2, steps]);
    for (const [n, m] of [
      [0, 3],
      [1, 1],
      [2, 3],
      [6, 5],
    ])
      expectSameGradient('nested', ['x', 'n', 'm'], [0.7, n!, m!]);
    for (const [n, m] of [
      [0, 2],
      [1, 0],
      [1, 9],
      [5, 4],
      [7, 1],
    ])
      expectSameGradient('nestedArrays', ['x', 'n', 'm'], [0.3, n!, m!]);
    for (const [sweeps, rounds] of [
      [0, 2],
      [1, 1],
      [3, 2],
      [6, 3],
    ]) {
      const args: Argument[] = [
        [
          [0.5, -0.3, 0.8],
          [0.1, 0.9, -0.4],
        ],
        { x: 0.9, y: 0.7 },
        sweeps!,
        rounds!,
      ];
      expectSameGradient('relaxGrid', ['m', 'o', 'sweeps', 'rounds'], args);
      // f writes into m and o; the gradient leaves them as f does
      const afterF = structuredClone(args);
      (source.relaxGrid as (...a: Argument[]) => number)(...afterF);
      const afterGrad = structuredClone(args);
      (checkpointed.grad_relaxGrid as (...a: Argument[]) => unknown)(...afterGrad);
      expect(afterGrad).toEqual(afterF);
    }
  });

  it('updating an element in place, whose reset and add-back the iteration drops (restored-zeros.ts)', () => {
    for (const n of [0, 1, 4, 30]) expectSameGradient('accumulate', ['x', 'steps'], [[0.3, -0.7, 1.1], n]);
    // the reverse of out[j] = out[j] + …, in the block of the checkpointed iteration, leaves d_out[j] as it was
    const backprop = companionOf(SOURCE).split('function backprop_accumulate(')[1]!.split('\n}\n')[0]!;
    expect(backprop).toMatch(/const d_sum = d_out\[j_2\]!;/);
    expect(backprop).not.toMatch(/d_out\[j_2\] = 0;/);
  });

  it('through helpers, and leaving the same effect on a parameter it writes', () => {
    for (const steps of [1, 2, 40])
      expectSameGradient('orbit', ['state0', 'k', 'h', 'steps'], [new Float64Array([0.3, -0.1]), 1.3, 0.05, steps]);
    const w = new Float64Array([0.5, -1.2, 2]);
    expectSameGradient('relax', ['w', 'rate', 'steps'], [w, 0.1, 12]);
    const afterF = w.slice();
    (source.relax as (...a: Argument[]) => number)(afterF, 0.1, 12);
    const afterGrad = w.slice();
    (checkpointed.grad_relax as (...a: Argument[]) => unknown)(afterGrad, 0.1, 12);
    expect(Array.from(afterGrad)).toEqual(Array.from(afterF));
  });

  it('for a large n, to rounding of the taped gradient', () => {
    expectSameGradient('pendulum', ['params', 'steps', 'h'], [pendulumParams, 200_000, 1e-4], { fd: false });
  });
});

describe('memory of checkpointed loops', () => {
  it('the tape holds one iteration and the schedule its slots, whatever n', () => {
    const params = new Float64Array([2, 0.1, 0.5, 0.3]);
    for (const n of [10, 1000, 100_000]) {
      resetProbe(checkpointed);
      resetProbe(taped);
      call(checkpointed, 'valueAndGrad_pendulum', [params, n, 1e-3]);
      call(taped, 'valueAndGrad_pendulum', [params, n, 1e-3]);
      const probe = probeOf(checkpointed);
      // the taped loop saves 3 numbers an iteration; the checkpointed one the trip count and one iteration's 3
      expect(probeOf(taped).tapePeak).toBeGreaterThanOrEqual(3 * n);
      expect(probe.tapePeak).toBeLessThanOrEqual(4);
      expect(probe.slots).toBe(Revolve.slotsFor(n, 3));
      expect(probe.storedPeak).toBeLessThanOrEqual(probe.slots);
      // the default allows 3 repetitions: at most 3n iterations run again
      expect(probe.advanced).toBeLessThanOrEqual(3 * n);
      expect(probe.advanced).toBe(binomialOptimum(n, probe.slots));
    }
  });

  it('a mark with snapshots: 2 stores at most 2 states', () => {
    resetProbe(checkpointed);
    call(checkpointed, 'valueAndGrad_pendulumTwoStates', [new Float64Array([1.5, 0.4, -0.2]), 300, 0.01]);
    expect(probeOf(checkpointed).storedPeak).toBe(2);
    expect(probeOf(checkpointed).advanced).toBe(binomialOptimum(300, 2));
  });
});

describe('a function marked hessian with a checkpointed loop', () => {
  it('checkpoints it in grad_f as without hessian, tapes it in hvp_f with warning AD2034, and both are right', () => {
    const text = `/** @differentiable(hessian, wrt: x) */\nexport function f(x: number, n: number): number {\n  let y = x;\n  // @checkpoint\n  for (let i = 0; i < n; i++) y = Math.sin(y) * x;\n  return y;\n}\n`;
    const result = compileSync([{ path: 'case.ts', text }], { header: false });
    expect(result.diagnostics.map((d) => [d.code, d.category, d.location?.line])).toEqual([['AD2034', 'warning', 5]]);
    const unmarked = compileSync([{ path: 'case.ts', text: text.replace('hessian, ', '') }], { header: false });
    expect(unmarked.diagnostics).toEqual([]);
    const backprop = (companion: string) =>
      companion.slice(companion.indexOf('function backprop_f('), companion.indexOf('\n}\n', companion.indexOf('function backprop_f(')));
    expect(backprop(result.outputs[0]!.text)).toContain('Revolve');
    expect(backprop(result.outputs[0]!.text)).toBe(backprop(unmarked.outputs[0]!.text));
    const companion = loadModule(result.outputs[0]!.text, 'case.grad.ts');
    const f = loadModule(text, 'case.ts').f as (...a: Argument[]) => number;
    const { value, grad } = (companion.valueAndGrad_f as (x: number, n: number) => Gradient)(0.8, 6);
    expect(value).toBe(f(0.8, 6));
    expect(closeTo(grad.x as number, partialAt(f, [0.8, 6], [0]), 1e-6)).toBe(true);
    // d²f/dx² by central differences of the gradient
    const gradAt = (x: number) => (companion.grad_f as (x: number, n: number) => Gradient['grad'])(x, 6).x as number;
    const h = 1e-4;
    const hvp = (companion.hvp_f as (x: number, n: number, v: number) => Gradient['grad'])(0.8, 6, 1).x as number;
    expect(closeTo(hvp, (gradAt(0.8 + h) - gradAt(0.8 - h)) / (2 * h), 1e-6)).toBe(true);
  });
});
