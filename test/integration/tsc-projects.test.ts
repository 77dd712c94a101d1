/** The tsc plugin with --incremental (a CommonJS project) and with project references (tspc -b). */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { bin, callBuilt, expectBuiltGradient, fixture, run } from './support.js';

describe('tspc with @adjoint/tsc-plugin across builds', () => {
  test('a CommonJS project builds incrementally: unchanged sources emit nothing, a changed source regenerates its companion', async () => {
    const dir = fixture('tsc/cjs');
    const tspc = (...args: string[]) => run(bin('tspc'), ['-p', '.', '--pretty', 'false', '--listEmittedFiles', ...args], dir);
    const first = await tspc();
    expect(first.code, first.output).toBe(0);
    expect(first.stdout).toContain('dist/model.grad.js');
    expect(readFileSync(path.join(dir, 'dist/main.js'), 'utf8')).toContain('require("./model.grad.js")');
    await expectBuiltGradient(path.join(dir, 'dist/main.js'), 'cjs');

    const again = await tspc();
    expect(again.code, again.output).toBe(0);
    expect(again.stdout).not.toContain('model.grad.js');

    // The same loss written differently: the companion is regenerated, and still right.
    const model = path.join(dir, 'src/model.ts');
    writeFileSync(model, readFileSync(model, 'utf8').replace('total += (p - ys[i]!) ** 2;', 'const e = p - ys[i]!;\n    total += e * e;'));
    const changed = await tspc();
    expect(changed.code, changed.output).toBe(0);
    expect(changed.stdout).toContain('dist/model.grad.js');
    expect(changed.stdout).not.toContain('dist/main.js');
    await expectBuiltGradient(path.join(dir, 'dist/main.js'), 'cjs');
  });

  test('project references: app imports the companion of a referenced project, and a second tspc -b finds both up to date', async () => {
    const dir = fixture('tsc/references', []);
    const first = await run(bin('tspc'), ['-b', 'app', '--pretty', 'false'], dir);
    expect(first.output).toBe('');
    expect(first.code).toBe(0);
    // energy = k x²/2 + m v²/2: ∂/∂k = x²/2, ∂/∂x = k x, ∂/∂v = m v.
    const [k, x, v, m] = [3, 0.4, -1.2, 2];
    const result = (await callBuilt(path.join(dir, 'dist/app/main.js'), 'esm', 'energyAndGradient', [k, x, v, m])) as {
      value: number;
      grad: { k: number; x: number; v: number };
    };
    expect(result.value).toBeCloseTo(0.5 * k * x * x + 0.5 * m * v * v, 14);
    expect(result.grad.k).toBeCloseTo((x * x) / 2, 14);
    expect(result.grad.x).toBeCloseTo(k * x, 14);
    expect(result.grad.v).toBeCloseTo(m * v, 14);

    const second = await run(bin('tspc'), ['-b', 'app', '--verbose', '--pretty', 'false'], dir);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/Project 'lib\/tsconfig.json' is up to date/);
    expect(second.output).toMatch(/Project 'app\/tsconfig.json' is up to date/);
  });
});
