/**
 * The benchmark scripts run outside vitest, under tsx, against the built packages: nothing else
 * would notice when one stops loading (the compile worker imported a module that only vitest's
 * aliases resolve, and `pnpm bench` failed for weeks). These run the two compile-time scripts on a
 * small source, as `pnpm bench` and a person profiling the compiler do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const folder = mkdtempSync(join(tmpdir(), 'adjoint-bench-scripts-'));
const source = join(folder, 'small.ts');
writeFileSync(
  source,
  '/** @differentiable */\nexport function f(x: number[]): number {\n  let s = 0;\n  for (const v of x) s += v * v;\n  return s;\n}\n',
);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const script = (name: string, args: string[]) =>
  execFileSync(tsx, [join(root, 'test/bench', name), ...args], { cwd: root, encoding: 'utf8' });

describe('the benchmark scripts', () => {
  it('compile-worker.ts generates and times a companion', () => {
    const lines = script('compile-worker.ts', ['--raw', source]).trim().split('\n');
    expect(lines[0]).toBe(`start ${source}`);
    expect(lines[1]).toMatch(new RegExp(`^done ${source} [\\d.]+ \\d+ raw [\\d.]+$`));
    expect(existsSync(join(folder, 'small.grad.ts'))).toBe(true);
  });

  it('compile-phases.ts charges the compilation to the phases', () => {
    const output = script('compile-phases.ts', [source]);
    for (const phase of ['parse', 'type check', 'lower', 'differentiate', 'emit'])
      expect(output).toMatch(new RegExp(`^  ${phase} +[\\d.]+ s$`, 'm'));
  });
});
