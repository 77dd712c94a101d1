/** @adjoint/unplugin/rollup: rollup -c (ES module and CommonJS outputs), watch mode, and errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { rollup, watch, type RollupError } from 'rollup';
import { describe, expect, test } from 'vitest';
import adjoint from '@adjoint/unplugin/rollup';
import { bin, expectBuiltGradient, fixture, run } from './support.js';

describe('rollup with @adjoint/unplugin/rollup', () => {
  test('rollup -c serves ./model.grad from memory; the ES module and CommonJS outputs both give the gradient', async () => {
    const dir = fixture('rollup');
    const result = await run(bin('rollup'), ['-c'], dir);
    expect(result.code, result.output).toBe(0);
    await expectBuiltGradient(path.join(dir, 'dist/main.mjs'), 'esm');
    await expectBuiltGradient(path.join(dir, 'dist/main.cjs'), 'cjs');
    const map = JSON.parse(readFileSync(path.join(dir, 'dist/main.mjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../src/model.grad.ts');
  });

  test('watch mode rebuilds when model.ts changes', async () => {
    const dir = fixture('rollup');
    const output = path.join(dir, 'dist/watched.mjs');
    const watcher = watch({ input: path.join(dir, 'src/main.js'), plugins: [adjoint()], output: { file: output, format: 'es' }, watch: { buildDelay: 50 } });
    const builds: string[] = [];
    const waitForBuild = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (builds.length >= count ? resolve() : setTimeout(check, 50));
        setTimeout(() => reject(new Error(`only ${builds.length} builds`)), 30_000);
        check();
      });
    watcher.on('event', (event) => {
      if (event.code === 'BUNDLE_END') void event.result.close();
      if (event.code === 'END') builds.push(readFileSync(output, 'utf8'));
      if (event.code === 'ERROR') builds.push(`ERROR ${event.error.message}`);
    });
    try {
      await waitForBuild(1);
      expect(builds[0]).not.toContain('0.5 *');
      const model = path.join(dir, 'src/model.ts');
      writeFileSync(model, readFileSync(model, 'utf8').replace('return total / ys.length;', 'return (0.5 * total) / ys.length;'));
      await waitForBuild(2);
      expect(builds[1]).toContain('0.5 *');
    } finally {
      await watcher.close();
    }
  });

  test("Adjoint's errors are Rollup's errors, with file and position", async () => {
    const dir = fixture('rollup');
    writeFileSync(path.join(dir, 'src/noisy.ts'), '/** @differentiable */\nexport function noisy(x: number): number {\n  return Math.clz32(x) * x;\n}\n');
    writeFileSync(path.join(dir, 'src/main.js'), "import { grad_noisy } from './noisy.grad';\nexport const g = grad_noisy(1);\n");
    const error = await rollup({ input: path.join(dir, 'src/main.js'), plugins: [adjoint()] }).then(
      () => undefined,
      (e: unknown) => e as RollupError,
    );
    expect(error?.plugin).toBe('adjoint');
    expect(error?.code).toBe('PLUGIN_ERROR');
    expect(error?.message).toContain("error AD1005: 'Math.clz32' is not a function Adjoint has a derivative rule for.");
    expect(error?.id).toBe(path.join(dir, 'src/noisy.ts'));
    expect(error?.loc).toMatchObject({ file: path.join(dir, 'src/noisy.ts'), line: 3, column: 9 });
  });
});
