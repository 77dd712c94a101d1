/**
 * Second order. A function marked `@differentiable(hessian)` keeps the companion any marked
 * function gets (shared tapes: its first-order exports are byte for byte those of the unmarked
 * function), and gains hvp_f, valueGradAndHvp_f and hessian_f, which Adjoint builds by
 * differentiating a view of that companion again (the same functions with tapes local to each, in
 * the subset Adjoint accepts): forward mode over the reverse-mode valueAndGrad_f. A marked
 * function that imports grad_f from the companion is differentiated through that view too. Here
 * they are checked three ways: against a marked `probe` that imports grad_f from the companion and
 * returns v·∇f(x), whose gradient is H·v (reverse over reverse), against differences of gradients,
 * H·v ≈ (∇f(x + hv) − ∇f(x − hv)) / 2h with Richardson extrapolation, and for the symmetry of H.
 */
import { compile } from '@adjoint/core';
import { describe, expect, it } from 'vitest';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';
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

const compiled = new Map<Case, ReturnType<typeof compileSecondOrder>>();

/** Compiles f, then a marked probe(x, v) = v·grad_f(x) against f's companion, and loads both (once per case). */
function secondOrder(c: Case) {
  if (!compiled.has(c)) compiled.set(c, compileSecondOrder(c));
  return compiled.get(c)!;
}

async function compileSecondOrder(c: Case) {
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
  return { companion, gradModule, probeModule, probe, probeCompanion };
}

/** H·v by differences of gradients: (∇f(x + hv) − ∇f(x − hv)) / 2h, extrapolated. */
function hessianVectorByDifferences(gradModule: ModuleExports, c: Case, direction: Argument[]): unknown {
  const grad = gradModule.grad_f as (...args: Argument[]) => Record<string, Argument>;
  const shifted = (step: number) => {
    const args = structuredClone(c.args);
    c.wrt.forEach((_, i) => {
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

/** The top-level declarations of a companion, each with its doc comment (prettier separates them by a blank line). */
function declarations(companion: string): string[] {
  return companion.split(/\n\n(?=\S)/);
}

describe('marking hessian does not tax first order', () => {
  for (const c of cases) {
    it(`${c.name}: every declaration of the unmarked companion is in the marked one, byte for byte, in order`, async () => {
      const { companion } = await secondOrder(c);
      const unmarked = await compile([{ path: 'case.ts', text: c.source.replace('@differentiable(hessian, ', '@differentiable(').replace('@differentiable(hessian)', '@differentiable') }]);
      expect(unmarked.diagnostics).toEqual([]);
      // the same shared tapes as any companion, not the local arrays the second stage differentiates
      expect(companion).toContain('class Tape');
      let from = 0;
      for (const declaration of declarations(unmarked.outputs[0]!.text)) {
        const at = companion.indexOf(declaration, from);
        expect(at, `not in the marked companion (after offset ${from}):\n${declaration}`).toBeGreaterThanOrEqual(0);
        from = at + declaration.length;
      }
    });
  }
});

describe('a hessian-marked companion can be differentiated again (reverse over reverse)', () => {
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

describe('a marked function calling into a hessian-marked companion this run does not generate', () => {
  it('is differentiated through the view made from the source named in the companion\'s header', async () => {
    const c = cases[0]!;
    const { companion, probe, probeCompanion } = await secondOrder(c);
    const files: Record<string, string> = { 'case.ts': c.source, 'case.grad.ts': companion };
    const alone = await compile([{ path: 'probe.ts', text: probe }], { host: { readFile: (path) => files[path] } });
    expect(alone.diagnostics).toEqual([]);
    expect(alone.outputs.map((o) => o.text)).toEqual([probeCompanion]);
  });
});

describe("grad_f's derivative rule: a call of grad_f reversed by forward over reverse", () => {
  const source = `
/** @differentiable(hessian, wrt: x) */
export function f(x: number[], s: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += Math.exp(s * x[i]!) * x[(i + 1) % x.length]!;
  return total;
}`;
  // q(x, s, v) = v·∇ₓf(x, s): ∂q/∂x = H·v, ∂q/∂v = ∇ₓf, ∂q/∂s = v·∂²f/∂s∂x
  const probe = (wrt: string) => `
import { grad_f } from './case.grad';
/** @differentiable(wrt: ${wrt}) */
export function q(x: number[], s: number, v: number[]): number {
  const g = grad_f(x, s).x;
  let total = 0;
  for (let i = 0; i < g.length; i++) total += g[i]! * v[i]!;
  return total;
}`;
  const point = (): [number[], number, number[]] => [[0.3, -0.7, 1.1], 0.8, [0.5, -0.2, 0.9]];

  async function compiled(wrt: string) {
    const result = await compile([
      { path: 'case.ts', text: source },
      { path: 'probe.ts', text: probe(wrt) },
    ]);
    expect(result.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
    const companion = result.outputs.find((o) => o.companionPath === 'case.grad.ts')!.text;
    const probeCompanion = result.outputs.find((o) => o.companionPath === 'probe.grad.ts')!.text;
    const gradModule = loadModule(companion, 'case.grad.ts');
    const probeModule = loadModule(probeCompanion, 'probe.grad.ts', { './case.grad': gradModule });
    const q = loadModule(probe(wrt), 'probe.ts', { './case.grad': gradModule }).q as (...a: Argument[]) => number;
    return { companion, probeCompanion, gradModule, probeModule, q };
  }

  it('a call varying only the differentiated arguments takes H·v from adjointOfGrad_f, and the companion\'s own grad_f', async () => {
    const { companion, probeCompanion, gradModule, probeModule, q } = await compiled('x, v');
    expect(companion).toContain('@adjointOf grad_f wrt: x');
    expect(probeCompanion).toMatch(/^import \{ adjointOfGrad_f, grad_f \} from '\.\/case\.grad';$/m);
    expect(probeCompanion).not.toContain('function backprop_grad_f');
    const [x, s, v] = point();
    const grad = (probeModule.grad_q as (...a: Argument[]) => { x: number[]; v: number[] })(x, s, v);
    expect(grad.x).toEqual((gradModule.hvp_f as (...a: Argument[]) => { x: number[] })(x, s, v).x);
    expect(grad.v).toEqual((gradModule.grad_f as (...a: Argument[]) => { x: number[] })(x, s).x);
    for (const [name, index] of [['x', 0], ['v', 2]] as const) {
      grad[name].forEach((entry, i) => {
        const numeric = partialAt(q, point(), [index, i]);
        expect(closeTo(entry, numeric, 1e-6), `∂q/∂${name}[${i}] = ${entry}, finite differences ${numeric}`).toBe(true);
      });
    }
  });

  it('a call varying an argument the rule does not cover is reversed through the body of grad_f', async () => {
    const { probeCompanion, probeModule, q } = await compiled('x, s, v');
    expect(probeCompanion).toContain('function backprop_grad_f');
    const [x, s, v] = point();
    const grad = (probeModule.grad_q as (...a: Argument[]) => { x: number[]; s: number; v: number[] })(x, s, v);
    expect(closeTo(grad.s, partialAt(q, point(), [1]), 1e-6), `∂q/∂s = ${grad.s}, finite differences ${partialAt(q, point(), [1])}`).toBe(true);
    grad.x.forEach((entry, i) => expect(closeTo(entry, partialAt(q, point(), [0, i]), 1e-6)).toBe(true));
  });
});

/** The argument list with the directions after it; Float64Array parameters get Float64Array directions. */
function withDirections(c: Case, direction: Argument[]): Argument[] {
  return [...c.args, ...direction.map((d, i) => (c.wrt[i]!.type === 'Float64Array' ? new Float64Array(d as number[]) : d))];
}

function unitDirections(c: Case): Argument[][] {
  const sizes = c.wrt.map((p, i) => (p.type === 'number' ? 0 : (c.args[i] as number[]).length));
  const total = sizes.reduce((a, n) => a + Math.max(n, 1), 0);
  return Array.from({ length: total }, (_, k) => {
    let offset = 0;
    return c.wrt.map((p, i) => {
      const n = Math.max(sizes[i]!, 1);
      const local = k - offset;
      offset += n;
      if (p.type === 'number') return local === 0 ? 1 : 0;
      return Array.from({ length: sizes[i]! }, (_, j) => (j === local ? 1 : 0));
    });
  });
}

describe('hvp_f (forward over reverse) and hessian_f', () => {
  for (const c of cases) {
    it(`${c.name}: hvp_f equals reverse over reverse and differences of gradients`, async () => {
      const { gradModule, probeModule } = await secondOrder(c);
      const direction: Argument[] = c.wrt.map((p, i) => (p.type === 'number' ? -0.4 + 0.5 * i : Array.from(leaves(c.args[i]!), (_, k) => ((k * 53) % 7) / 7 - 0.3)));
      const hvp = (gradModule.hvp_f as (...args: Argument[]) => Record<string, Argument>)(...withDirections(c, direction));
      const reverseOverReverse = (probeModule.grad_probe as (...args: Argument[]) => Record<string, Argument>)(...withDirections(c, direction));
      const differences = hessianVectorByDifferences(gradModule, c, direction);
      const hvpLeaves = leaves(hvp);
      expect(hvpLeaves.length).toBe(c.wrt.reduce((n, p, i) => n + (p.type === 'number' ? 1 : (c.args[i] as number[]).length), 0));
      hvpLeaves.forEach(([path, value], k) => {
        expect(closeTo(value, leaves(reverseOverReverse)[k]![1], 1e-10), `${path.join('.')}: forward over reverse ${value}, reverse over reverse ${leaves(reverseOverReverse)[k]![1]}`).toBe(true);
        expect(closeTo(value, leaves(differences)[k]![1], 1e-5), `${path.join('.')}: ${value} vs differences ${leaves(differences)[k]![1]}`).toBe(true);
      });
    });

    it(`${c.name}: hessian_f is symmetric, its columns are hvp_f of unit directions, and it matches differences of gradients`, async () => {
      const { gradModule } = await secondOrder(c);
      const hessian = (gradModule.hessian_f as (...args: Argument[]) => number[][])(...c.args);
      const units = unitDirections(c);
      expect(hessian.length).toBe(units.length);
      for (const [k, unit] of units.entries()) {
        expect(hessian[k]!.length).toBe(units.length);
        const column = leaves((gradModule.hvp_f as (...args: Argument[]) => unknown)(...withDirections(c, unit))).map(([, v]) => v);
        const differences = leaves(hessianVectorByDifferences(gradModule, c, unit)).map(([, v]) => v);
        column.forEach((value, i) => {
          expect(hessian[k]![i]).toBe(value);
          expect(closeTo(hessian[k]![i]!, hessian[i]![k]!, 1e-10), `H[${k}][${i}] = ${hessian[k]![i]}, H[${i}][${k}] = ${hessian[i]![k]}`).toBe(true);
          expect(closeTo(value, differences[i]!, 1e-5), `H[${k}][${i}] = ${value} vs differences ${differences[i]}`).toBe(true);
        });
      }
    });
  }

  it('f writing into its argument: hessian_f works on copies and leaves the argument unchanged', async () => {
    const source = `
/** @differentiable(hessian, wrt: x) */
export function f(x: number[]): number {
  for (let i = 0; i < x.length; i++) x[i] = Math.exp(x[i]!) * x[(i + 1) % x.length]!;
  return x[0]! * x[1]! + x[2]!;
}`;
    const { outputs, diagnostics } = await compile([{ path: 'case.ts', text: source }]);
    expect(diagnostics).toEqual([]);
    const module = loadModule(outputs[0]!.text, 'case.grad.ts');
    const point = [0.3, -0.2, 0.5];
    const x = [...point];
    const hessian = (module.hessian_f as (x: number[]) => number[][])(x);
    expect(x).toEqual(point);
    const grad = (p: number[]) => (module.grad_f as (x: number[]) => { x: number[] })([...p]).x;
    for (let k = 0; k < 3; k++) {
      const h = 1e-5;
      const plus = grad(point.map((v, i) => (i === k ? v + h : v)));
      const minus = grad(point.map((v, i) => (i === k ? v - h : v)));
      for (let i = 0; i < 3; i++) expect(closeTo(hessian[k]![i]!, (plus[i]! - minus[i]!) / (2 * h), 1e-6)).toBe(true);
    }
  });
});

describe('a companion written for speed cannot be differentiated again', () => {
  it("reports AD2040 at the companion's function, with the fix, instead of one error per tape operation", async () => {
    const source = `
/** @differentiable */
export function f(x: number[]): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += Math.sin(x[i]!) * x[i]!;
  // (not linear in total: the loop is taped, not fused, and the companion has a tape)
  return Math.sqrt(1 + total * total);
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

describe('the companion differentiated again, with parameters named as it names its own things', () => {
  // Found by the layout property test: the second stage named the parameters of grad_f in its mark
  // (`wrt: tape, hessian, hasOwnProperty`), where `hessian` read as the option and the companion's
  // names for parameters it had renamed (`distinctArguments` → `distinctArguments_2`) were unknown.
  it('parameters named hessian, forward, distinctArguments and zerosLike get their Hessian', async () => {
    const text = `/** @differentiable(hessian) */
export function f(hessian: number, forward: number[], distinctArguments: number[][], zerosLike: number): number {
  forward[0] = forward[0]! * hessian;
  return forward[0]! * distinctArguments[0]![1]! * zerosLike + hessian * hessian * zerosLike;
}
`;
    const { outputs, diagnostics } = await compile([{ path: 'names.ts', text }]);
    expect(diagnostics).toEqual([]);
    const companion = loadModule(outputs[0]!.text, 'names.grad.ts');
    const [h, w, m, z] = [0.7, [1.5, -2], [[0.5, 3]], 1.25];
    const hessian = (companion.hessian_f as (...a: Argument[]) => number[][])(h, [...w], [[...m[0]!]], z);
    // f = w₀·h·m₀₁·z + h²·z over (h, w₀, w₁, m₀₀, m₀₁, z)
    const expected = [
      [2 * z, m[0]![1]! * z, 0, 0, w[0]! * z, w[0]! * m[0]![1]! + 2 * h],
      [m[0]![1]! * z, 0, 0, 0, h * z, h * m[0]![1]!],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [w[0]! * z, h * z, 0, 0, 0, w[0]! * h],
      [w[0]! * m[0]![1]! + 2 * h, h * m[0]![1]!, 0, 0, w[0]! * h, 0],
    ];
    hessian.forEach((row, i) => row.forEach((entry, j) => expect(closeTo(entry, expected[i]![j]!, 1e-12), `H[${i}][${j}] = ${entry}, expected ${expected[i]![j]}`).toBe(true)));
  });

  it("reports AD2042 for a push onto an argument: the gradient restores the argument's length by assigning it", async () => {
    const text = `/** @differentiable(hessian) */
export function f(a: number[], x: number): number {
  a.push(x * x);
  return a[0]! * a[a.length - 1]!;
}

/** @differentiable */
export function g(a: number[], x: number): number {
  a.push(x * x);
  return a[0]! * a[a.length - 1]!;
}
`;
    const { outputs, diagnostics } = await compile([{ path: 'push.ts', text }]);
    expect(diagnostics.map((d) => d.code)).toEqual(['AD2042']);
    expect(diagnostics.map((d) => `${d.location?.line}:${d.location?.column}`)).toEqual(['3:3']);
    // f gets no gradient; g, which is not differentiated again, keeps its own
    expect(outputs.map((o) => o.functions)).toEqual([['g']]);
    // alone, g (not marked hessian) is differentiated as usual
    const alone = await compile([{ path: 'push.ts', text: text.slice(text.indexOf('/** @differentiable */')) }]);
    expect(alone.diagnostics).toEqual([]);
  });

  it('reports AD2014 for a Hessian of a function none of whose differentiated parameters holds a number; the others keep theirs', async () => {
    const text = `/** @differentiable(hessian, wrt: w) */
export function empty(w: [], xs: number[]): number {
  return xs.length;
}

/** @differentiable(hessian) */
export function square(x: number): number {
  return x * x;
}
`;
    const { outputs, diagnostics } = await compile([{ path: 'empty.ts', text }]);
    expect(diagnostics.map((d) => d.code)).toEqual(['AD2014']);
    expect(diagnostics.map((d) => `${d.location?.line}:${d.location?.column}`)).toEqual(['1:1']);
    expect(diagnostics[0]!.message).toContain("'empty' is marked @differentiable(hessian), but none of the parameters it is differentiated in holds a number (its parameters: 'w', 'xs')");
    expect(outputs.map((o) => o.functions)).toEqual([['square']]);
    const companion = loadModule(outputs[0]!.text, 'empty.grad.ts');
    expect((companion.hessian_square as (x: number) => number[][])(3)).toEqual([[2]]);
  });

  it('reports a push in a helper once, in the helper, naming the hessian mark that differentiates it again', async () => {
    const text = `function grow(a: number[], x: number): void {
  a.push(x * x);
}

/** @differentiable(hessian) */
export function f(a: number[], x: number): number {
  grow(a, x);
  return a[0]! * a[a.length - 1]!;
}
`;
    const { diagnostics } = await compile([{ path: 'push.ts', text }]);
    expect(diagnostics.map((d) => `${d.code} ${d.location?.line}:${d.location?.column}`)).toEqual(['AD2042 2:3']);
    expect(diagnostics[0]!.message).toContain("'grow' pushes onto an argument, and the second-order exports of 'f'");
    expect(diagnostics[0]!.fix).toContain("remove 'hessian' from the mark of 'f'");
  });
});
