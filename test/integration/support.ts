/**
 * Builds fixture projects with the real tools and runs what they built. Each fixture is copied
 * to a temporary folder with `shared/model.ts` as `src/model.ts` and a `node_modules` link to the
 * workspace's, so builds never write into the repository and tests can edit sources freely.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { closeTo, leaves, partialAt, type Argument } from '../support/finite-difference.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.join(repoRoot, 'test/fixtures');
export const bin = (name: string) => path.join(repoRoot, 'node_modules/.bin', name);

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of `test/fixtures/<name>`; `modelInto` names the folders that get `model.ts`. */
export function fixture(name: string, modelInto: string[] = ['src']): string {
  const dir = mkdtempSync(path.join(tmpdir(), `adjoint-${name.replace(/\W/g, '-')}-`));
  made.push(dir);
  cpSync(path.join(fixtures, name), dir, { recursive: true });
  for (const folder of modelInto) cpSync(path.join(fixtures, 'shared/model.ts'), path.join(dir, folder, 'model.ts'));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, without ANSI colours. */
  output: string;
}

/** Runs a command to completion (killed after `timeout` ms). */
export function run(command: string, args: string[], cwd: string, timeout = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output: stripAnsi(stdout + stderr) });
    });
  });
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** A long-running command (a watcher) whose output can be waited on. */
export class Background {
  private child: ChildProcess;
  output = '';

  constructor(command: string, args: string[], cwd: string) {
    this.child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    this.child.stdout!.on('data', (chunk) => (this.output += stripAnsi(String(chunk))));
    this.child.stderr!.on('data', (chunk) => (this.output += stripAnsi(String(chunk))));
  }

  /** Waits until the output after `from` matches `pattern`. */
  async waitFor(pattern: RegExp, from = 0, timeout = 45_000): Promise<void> {
    const start = Date.now();
    while (!pattern.test(this.output.slice(from))) {
      if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${pattern}; output:\n${this.output}`);
      if (this.child.exitCode !== null) throw new Error(`exited (${this.child.exitCode}) before ${pattern}; output:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** The point every fixture's `gradient` is called at. */
export const point = {
  weights: [0.4, -1.3, 0.25],
  bias: 0.1,
  xs: [
    [1, 0.5, -2],
    [0.3, -1.1, 0.7],
    [-0.8, 2.2, 1.5],
    [1.7, 0.1, -0.4],
  ],
  ys: [1, 0, 1, 0],
};

/** `shared/model.ts`, in plain JavaScript. */
export function loss(weights: number[], bias: number, xs: number[][], ys: number[]): number {
  let total = 0;
  for (let i = 0; i < ys.length; i++) {
    let z = bias;
    for (let j = 0; j < weights.length; j++) z += weights[j]! * xs[i]![j]!;
    const p = 1 / (1 + Math.exp(-z));
    total += (p - ys[i]!) ** 2;
  }
  return total / ys.length;
}

/**
 * Loads a built module in a fresh node process, as an ES module (`import()`) or as CommonJS
 * (`require`), and returns what its export `name` gives for `args`.
 */
export async function callBuilt(file: string, kind: 'esm' | 'cjs', name: string, args: unknown[]): Promise<unknown> {
  expect(existsSync(file), `${file} was built`).toBe(true);
  const script = [
    `const [file, kind, name, args] = process.argv.slice(1);`,
    `(async () => {`,
    `  const m = kind === 'cjs' ? require(file) : await import(require('node:url').pathToFileURL(file).href);`,
    `  process.stdout.write(JSON.stringify(m[name](...JSON.parse(args))));`,
    `})().catch((e) => { console.error(e); process.exit(1); });`,
  ].join('\n');
  const result = await run(process.execPath, ['-e', script, file, kind, name, JSON.stringify(args)], path.dirname(file));
  expect(result.code, result.output).toBe(0);
  return JSON.parse(result.stdout);
}

/** Checks `{ weights, bias }` against central finite differences of `loss` at `point`. */
export function expectLossGradient(grad: unknown): void {
  const g = grad as { weights: number[]; bias: number };
  expect(Object.keys(g).sort()).toEqual(['bias', 'weights']);
  const args: Argument[] = [point.weights, point.bias, point.xs, point.ys];
  const f = (...a: Argument[]) => loss(a[0] as number[], a[1] as number, a[2] as number[][], a[3] as number[]);
  const actual = [...g.weights, g.bias];
  const expected = [...leaves(point.weights, [0]), ...leaves(point.bias, [1])].map(([p]) => partialAt(f, args, p));
  actual.forEach((value, i) => expect(closeTo(value, expected[i]!, 1e-6), `${actual} vs finite differences ${expected}`).toBe(true));
}

/** Calls `gradient(point)` of a built module and checks it. */
export async function expectBuiltGradient(file: string, kind: 'esm' | 'cjs'): Promise<void> {
  expectLossGradient(await callBuilt(file, kind, 'gradient', [point]));
}
