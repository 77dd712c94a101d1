/**
 * The generated companions are ordinary TypeScript that type-checks in a user's project: under the
 * tsconfig.json that `tsc --init` writes (module nodenext, strict, noUncheckedIndexedAccess,
 * exactOptionalPropertyTypes, verbatimModuleSyntax, isolatedModules, …), unchanged, plus
 * noUnusedLocals and noUnusedParameters, with TypeScript 6 and with TypeScript 7 (the native port,
 * what `npm install typescript` gives now). Checked: every golden companion, every example's, and
 * one of each construct of docs/supported.md that the goldens do not already show.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '@adjoint/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskHost } from '../support/disk-host.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compilers = {
  'TypeScript 6': path.join(root, 'node_modules/typescript/bin/tsc'),
  'TypeScript 7': path.join(root, 'node_modules/typescript7/bin/tsc'),
};

/** Sources of constructs from docs/supported.md that no golden case holds, by module path. */
const constructs: Record<string, string> = {
  'constructs/destructuring.ts': `/** @differentiable */
export function f(p: [number, number], o: { a: number; b: { c: number } }): number {
  const [x, y] = p;
  const { a, b: { c } } = o;
  let u = 0;
  let w = 0;
  [u, w] = [x * a, y * c];
  return u + w;
}
`,
  'constructs/operators.ts': `/** @differentiable */
export function f(x: number, v: number[], flag: boolean): number {
  let s = x;
  s += v[0]!;
  s -= 0.5;
  s *= x;
  s /= 2;
  s **= 2;
  s %= 1000;
  v[1]!++;
  ++v[0]!;
  v[2]! += s;
  const t = flag && x > 0 ? -s : +s;
  return (t ?? 0) + (v[2]! || 1) + (v[1]! - v[0]!);
}
`,
  'constructs/loops.ts': `/** @differentiable(wrt: xs) */
export function f(xs: Float64Array, n: number): number {
  let s = 0;
  let k = n;
  while (k--) s += xs[k % xs.length]!;
  do s *= 0.9; while (s > 100);
  for (const x of xs) {
    if (x < 0) continue;
    s += x * x;
  }
  for (let t = 1; t < 8; t *= 2) s += t * xs[0]!;
  return s;
}
`,
  'constructs/containers.ts': `/** @differentiable */
export function f(x: number[], m: number[][]): number {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * 2;
  out.push(m[0]![0]!);
  const copy = out.slice();
  const typed = new Float64Array(copy);
  const filled = new Array(3).fill(x[0]!);
  const from = Array.from(x);
  const idx = [0, 0, 1];
  let s = 0;
  for (const i of idx) s += typed[i]! + filled[i]! + from[i % from.length]!;
  return s;
}
`,
  'constructs/writes.ts': `/** @differentiable */
export function f(state: Float64Array, o: { a: number }, k: number): number {
  for (let i = 0; i < state.length; i++) state[i] = state[i]! * k;
  o.a *= k;
  return state[0]! + o.a;
}
`,
  'constructs/imported.ts': `import { stopGradient } from '@adjoint/runtime';
import { helper, stable } from './helpers.js';

/** @differentiable */
export function f(x: number, v: number[]): number {
  return helper(x, v) + stable(x) * stopGradient(x);
}
`,
  'constructs/helpers.ts': `export function helper(x: number, v: number[]): number {
  let s = 0;
  for (const e of v) s += Math.sin(e * x);
  return s;
}

export function stable(x: number): number {
  return Math.sin(x);
}

/** @adjointOf stable */
export function stableAdjoint(x: number, dResult: number): { x: number } {
  return { x: dResult * Math.cos(x) };
}
`,
  'constructs/passed-through.ts': `interface Options { name: string; scale: number }

/** @differentiable(wrt: x, w) */
export function f(x: number[], w: number, label: string, idx: Int32Array, flag: boolean, options: Options, callback: (v: number) => number): number {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += x[idx[i]!]! * w;
  return flag ? s : -s;
}
`,
  'constructs/vector.ts': `/** @differentiable(forward) */
export function f(r: number, theta: number): { x: number; y: number; path: number[] } {
  return { x: r * Math.cos(theta), y: r * Math.sin(theta), path: [r, theta] };
}
`,
  'constructs/layout.ts': `/** @differentiable(forward) */
export function f(M: number[][], p: { w: number[]; b: number }, x: number): number {
  const t = M[0]!;
  M[0] = M[1]!;
  M[1] = t;
  p.w = [x * p.b, p.w[0]!];
  M.push([x, x]);
  const tail = M[0]!.slice(M[0]!.length / 2);
  return M[0]![0]! * p.w[0]! + tail[0]! + (M[0]![5] ?? x);
}
`,
  'constructs/second-order.ts': `/** @differentiable(hessian) */
export function f(M: number[][], a: number[], x: number): [number, number] {
  a[0] = (a[2] ?? x) * x;
  return [M[0]![0]! * a[0]! * x, M[1]![1]! * x * x];
}
`,
  'constructs/names.ts': `import * as m from './helpers.js';

/** @differentiable */
export function f(__proto__: number, o: { constructor: number; 'a-b': number }, Math: number): number {
  const q = { ['__proto__']: __proto__ * o.constructor, 'c-d': o['a-b'] };
  return m.stable(q.__proto__) * q['c-d'] * Math;
}
`,
};

let project: string;

beforeAll(async () => {
  project = mkdtempSync(path.join(tmpdir(), 'adjoint-typecheck-'));
  writeFileSync(path.join(project, 'package.json'), '{ "type": "module" }\n');
  // the companions beside their sources, as `adjoint` writes them
  cpSync(path.join(root, 'test/golden/cases'), path.join(project, 'golden'), { recursive: true });
  for (const f of readdirSync(path.join(root, 'test/golden/expected'))) cpSync(path.join(root, 'test/golden/expected', f), path.join(project, 'golden', f));
  cpSync(path.join(root, 'examples'), path.join(project, 'examples'), { recursive: true, filter: (f) => !f.includes('output') });
  mkdirSync(path.join(project, 'constructs'));
  for (const [file, text] of Object.entries(constructs)) writeFileSync(path.join(project, file), text);
  const { outputs, diagnostics } = await compile(Object.keys(constructs).map((file) => ({ path: path.join(project, file) })), { host: diskHost });
  expect(diagnostics.filter((d) => d.category === 'error')).toEqual([]);
  for (const output of outputs) writeFileSync(output.companionPath, output.text);
  expect(outputs.length).toBe(Object.keys(constructs).length - 1);
  // a source imports @adjoint/runtime, installed as npm would (built: package.json and dist)
  const runtime = path.join(project, 'node_modules/@adjoint/runtime');
  mkdirSync(runtime, { recursive: true });
  for (const part of ['package.json', 'dist']) cpSync(path.join(root, 'packages/runtime', part), path.join(runtime, part), { recursive: true });
  // a companion-like file with one error, so that a run that checks nothing cannot pass
  writeFileSync(path.join(project, 'constructs/sentinel.grad.ts'), "export const sentinel: number = 'not a number';\n");
}, 300_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe.each(Object.entries(compilers))('companions under the tsconfig.json of tsc --init (%s)', (_, tsc) => {
  it('type-check with every flag it sets, and noUnusedLocals and noUnusedParameters', () => {
    rmSync(path.join(project, 'tsconfig.json'), { force: true });
    const init = spawnSync(process.execPath, [tsc, '--init'], { cwd: project, encoding: 'utf8' });
    expect(init.status, init.stdout + init.stderr).toBe(0);
    const check = spawnSync(process.execPath, [tsc, '-p', '.', '--noEmit', '--noUnusedLocals', '--noUnusedParameters'], { cwd: project, encoding: 'utf8' });
    // only the companions are ours: a source may break a flag (an unused parameter, say)
    const errors = check.stdout.split('\n').filter((line) => /\.grad\.ts[(:]/.test(line));
    expect(errors.filter((line) => !line.startsWith('constructs/sentinel.grad.ts'))).toEqual([]);
    expect(errors).toEqual([expect.stringMatching(/^constructs\/sentinel\.grad\.ts\(1,14\): error TS2322/)]);
    const companions = readdirSync(project, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.grad.ts') && !f.startsWith('node_modules'));
    expect(companions.length).toBeGreaterThan(40);
  });
});
