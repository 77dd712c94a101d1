/**
 * Second order. A function marked `@differentiable(hessian)` gets a companion written in the
 * subset Adjoint accepts (its tapes are arrays local to each function), so the generated gradient
 * can be differentiated again: here a marked `probe` imports grad_f from the companion and returns
 * v·∇f(x), whose gradient is H·v (reverse over reverse). It is checked against differences of
 * gradients: H·v ≈ (∇f(x + hv) − ∇f(x − hv)) / 2h, with Richardson extrapolation.
 */
import { compile } from '@adjoint/core';
import { describe, expect, it } from 'vitest';
import { closeTo, leaves, type Argument } from '../support/finite-difference.js';
import { loadModule, type ModuleExports } from '../support/load.js';

interface Case {
  name: string;
  source: string;
  /** The marked function's parameters, the differentiated ones first. */
  params: string;
  /** Names and types of the differentiated parameters. */
  wrt: Array<{ name: string; type: string }>;
  /** Names of the parameters that are not differentiated, passed through. */
  rest: string[];
  args: Argument[];
}

const cases: Case[] = [
  {
    name: 'a loop over an array with a number parameter',
    source: `
/** @differentiable(hessian, wrt: x, s) */
export function f(x: number[], s: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const t = x[i]! * s;
    total += Math.sin(t) * t + x[i]! * x[(i + 1) % x.length]!;
  }
  return total * total;
}`,
    params: 'x: number[], s: number',
    wrt: [{ name: 'x', type: 'number[]' }, { name: 's', type: 'number' }],
    rest: [],
    args: [[0.3, -0.7, 1.1, 0.5], 0.8],
  },
  {
    name: 'helpers, recursion and branches',
    source: `
function softplus(z: number): number {
  return z > 20 ? z : Math.log(1 + Math.exp(z));
}
function power(z: number, n: number): number {
  return n === 0 ? 1 : z * power(z, n - 1);
}
/** @differentiable(hessian) */
export function f(a: number, b: number): number {
  const u = softplus(a * b - 0.3);
  return power(u, 3) + Math.exp(-a * a) * Math.cos(b);
}`,
    params: 'a: number, b: number',
    wrt: [{ name: 'a', type: 'number' }, { name: 'b', type: 'number' }],
    rest: [],
    args: [0.4, -1.3],
  },
  {
    name: 'in-place writes to a local Float64Array in a loop that breaks',
    source: `
/** @differentiable(hessian, wrt: w) */
export function f(w: Float64Array, steps: number): number {
  const state = new Float64Array(w.length);
  let energy = 0;
  for (let k = 0; k < steps; k++) {
    for (let i = 0; i < w.length; i++) state[i] = Math.tanh(state[i]! + w[i]! * (i + 1));
    energy += state[0]! * state[state.length - 1]!;
    if (energy > 50) break;
  }
  return energy + state[1]! * state[1]!;
}`,
    params: 'w: Float64Array, steps: number',
    wrt: [{ name: 'w', type: 'Float64Array' }],
    rest: ['steps'],
    args: [new Float64Array([0.2, -0.4, 0.9]), 4],
  },
];

/** Compiles f, then a marked probe(x, v) = v·grad_f(x) against f's companion, and loads both. */
async function secondOrder(c: Case) {
  const first = await compile([{ path: 'case.ts', text: c.source }]);
  expect(first.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
  const companion = first.outputs[0]!.text;
  const directions = c.wrt.map((p) => ({ name: `v_${p.name}`, type: p.type }));
  const dot = c.wrt.map((p, i) =>
    p.type === 'number' ? `total += g.${p.name} * ${directions[i]!.name};` : `for (let i = 0; i < ${p.name}.length; i++) total += g.${p.name}[i]! * ${directions[i]!.name}[i]!;`,
  );
  const probe = `
import { grad_f } from './case.grad';
/** @differentiable(wrt: ${c.wrt.map((p) => p.name).join(', ')}) */
export function probe(${c.params}, ${directions.map((d) => `${d.name}: ${d.type}`).join(', ')}): number {
  const g = grad_f(${[...c.wrt.map((p) => p.name), ...c.rest].join(', ')});
  let total = 0;
  ${dot.join('\n  ')}
  return total;
}`;
  const second = await compile([
    { path: 'case.ts', text: c.source },
    { path: 'case.grad.ts', text: companion },
    { path: 'probe.ts', text: probe },
  ]);
  expect(second.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
  const probeCompanion = second.outputs.find((o) => o.companionPath === 'probe.grad.ts')!.text;
  const gradModule = loadModule(companion, 'case.grad.ts');
  const probeModule = loadModule(probeCompanion, 'probe.grad.ts', { './case.grad': gradModule });
  return { companion, gradModule, probeModule };
}

/** H·v by differences of gradients: (∇f(x + hv) − ∇f(x − hv)) / 2h, extrapolated. */
function hessianVectorByDifferences(gradModule: ModuleExports, c: Case, direction: Argument[]): unknown {
  const grad = gradModule.grad_f as (...args: Argument[]) => Record<string, Argument>;
  const shifted = (step: number) => {
    const args = structuredClone(c.args);
    c.wrt.forEach((p, i) => {
      const index = c.args.length - c.rest.length - c.wrt.length + i;
      args[index] = typeof args[index] === 'number' ? (args[index] as number) + step * (direction[i] as number) : shift(args[index]!, direction[i]!, step);
    });
    return grad(...args);
  };
  const central = (h: number) => combine(shifted(h), shifted(-h), (a, b) => (a - b) / (2 * h));
  return combine(central(5e-4), central(1e-3), (half, full) => (4 * half - full) / 3);
}

function shift(value: Argument, direction: Argument, step: number): Argument {
  const copy = structuredClone(value) as number[];
  (direction as number[]).forEach((d, i) => (copy[i]! += step * d));
  return copy;
}

function combine(a: unknown, b: unknown, op: (x: number, y: number) => number): unknown {
  if (typeof a === 'number') return op(a, b as number);
  if (ArrayBuffer.isView(a)) return Array.from(a as Float64Array, (x, i) => op(x, (b as Float64Array)[i]!));
  if (Array.isArray(a)) return a.map((x, i) => combine(x, (b as unknown[])[i], op));
  return Object.fromEntries(Object.entries(a as object).map(([k, x]) => [k, combine(x, (b as Record<string, unknown>)[k], op)]));
}

describe('a hessian-marked companion can be differentiated again (reverse over reverse)', () => {
  it('keeps its tapes in local arrays, not in the shared Tape class', async () => {
    const { companion } = await secondOrder(cases[0]!);
    expect(companion).not.toContain('class Tape');
    expect(companion).toMatch(/const tape: number\[\] = \[\];/);
    expect(companion).toMatch(/tape\[--tapeTop\]/);
  });

  for (const c of cases) {
    it(`H·v of ${c.name} matches differences of gradients`, async () => {
      const { gradModule, probeModule } = await secondOrder(c);
      const direction: Argument[] = c.wrt.map((p, i) => (p.type === 'number' ? 0.7 - 0.3 * i : Array.from(leaves(c.args[i]!), (_, k) => ((k * 37) % 11) / 10 - 0.5)));
      const lead = c.args.slice(0, c.wrt.length);
      const gradProbe = probeModule.grad_probe as (...args: Argument[]) => Record<string, Argument>;
      const hv = gradProbe(...lead, ...c.args.slice(c.wrt.length), ...direction.map((d, i) => (c.wrt[i]!.type === 'Float64Array' ? new Float64Array(d as number[]) : d)));
      const expected = hessianVectorByDifferences(gradModule, c, direction);
      const actualLeaves = leaves(hv);
      const expectedLeaves = leaves(expected);
      expect(actualLeaves.length).toBe(expectedLeaves.length);
      actualLeaves.forEach(([path, value], k) => expect(closeTo(value, expectedLeaves[k]![1], 1e-5), `${path.join('.')}: ${value} vs ${expectedLeaves[k]![1]}`).toBe(true));
    });
  }
});

describe('a companion written for speed cannot be differentiated again', () => {
  it("reports AD2040 at the companion's function, with the fix, instead of one error per tape operation", async () => {
    const source = `
/** @differentiable */
export function f(x: number[]): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += Math.sin(x[i]!) * x[i]!;
  return total;
}`;
    const first = await compile([{ path: 'case.ts', text: source }]);
    const companion = first.outputs[0]!.text;
    expect(companion).toContain('class Tape');
    const probe = `
import { grad_f } from './case.grad';
/** @differentiable */
export function probe(x: number[]): number {
  return grad_f(x).x[0]!;
}`;
    const second = await compile([
      { path: 'case.ts', text: source },
      { path: 'case.grad.ts', text: companion },
      { path: 'probe.ts', text: probe },
    ]);
    const errors = second.diagnostics.filter((d) => d.category === 'error');
    expect(errors.map((d) => d.code)).toEqual(['AD2040']);
    expect(errors[0]!.location?.file).toBe('case.grad.ts');
    expect(errors[0]!.message).toBe("'backprop_f' comes from case.grad.ts, a companion generated for speed (its tapes are shared by its functions), which Adjoint cannot differentiate again.");
    expect(errors[0]!.fix).toContain('@differentiable(hessian)');
    expect(second.outputs.map((o) => o.companionPath)).not.toContain('probe.grad.ts');
  });
});
