/** @adjoint/unplugin/webpack: an ES module and a CommonJS consumer, watch mode, and errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import webpack, { type Stats } from 'webpack';
import { describe, expect, test } from 'vitest';
import adjoint from '@adjoint/unplugin/webpack';
import { expectBuiltGradient, fixture, run } from './support.js';

describe('webpack with @adjoint/unplugin/webpack', () => {
  test('webpack.config.cjs (CommonJS) bundles an ES module consumer and a CommonJS consumer', async () => {
    const dir = fixture('webpack');
    const result = await run(process.execPath, ['build.cjs'], dir);
    expect(result.code, result.output).toBe(0);
    await expectBuiltGradient(path.join(dir, 'dist/main.js'), 'cjs');
    await expectBuiltGradient(path.join(dir, 'dist/main-cjs.js'), 'cjs');
  });

  test('watch mode rebuilds when model.ts changes', async () => {
    const dir = fixture('webpack');
    const compiler = webpack({
      mode: 'development',
      devtool: false,
      target: 'node',
      context: dir,
      entry: './src/main.js',
      output: { path: path.join(dir, 'dist-watch'), filename: 'main.js', library: { type: 'commonjs2' } },
      plugins: [adjoint()],
    });
    const builds: string[] = [];
    const watching = compiler.watch({ aggregateTimeout: 50 }, (error, stats) => {
      builds.push(error ? `ERROR ${error.message}` : stats!.hasErrors() ? `ERROR ${stats!.toString('errors-only')}` : readFileSync(path.join(dir, 'dist-watch/main.js'), 'utf8'));
    });
    // (undefined when webpack refuses to watch: it has called the handler with the error)
    if (!watching) throw new Error(`webpack did not start watching: ${builds.join('\n')}`);
    const waitForBuild = async (count: number) => {
      const deadline = Date.now() + 30_000;
      while (builds.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(builds.length).toBeGreaterThanOrEqual(count);
    };
    try {
      await waitForBuild(1);
      expect(builds[0]).toContain('grad_loss');
      expect(builds[0]).not.toContain('0.5 *');
      const model = path.join(dir, 'src/model.ts');
      writeFileSync(model, readFileSync(model, 'utf8').replace('return total / ys.length;', 'return (0.5 * total) / ys.length;'));
      await waitForBuild(2);
      expect(builds.at(-1)).toContain('0.5 *');
    } finally {
      await new Promise<void>((resolve) => watching.close(() => resolve()));
    }
  });

  test("Adjoint's errors are webpack's errors, with file and position", async () => {
    const dir = fixture('webpack');
    writeFileSync(path.join(dir, 'src/noisy.ts'), '/** @differentiable */\nexport function noisy(x: number): number {\n  return Math.clz32(x) * x;\n}\n');
    writeFileSync(path.join(dir, 'src/main.js'), "import { grad_noisy } from './noisy.grad';\nexport const g = grad_noisy(1);\n");
    const stats = await new Promise<Stats>((resolve, reject) =>
      webpack({ mode: 'development', target: 'node', context: dir, entry: './src/main.js', output: { path: path.join(dir, 'dist-error') }, plugins: [adjoint()] }, (error, result) =>
        error ? reject(error) : resolve(result!),
      ),
    );
    expect(stats.hasErrors()).toBe(true);
    const text = stats.toString({ all: false, errors: true, colors: false });
    expect(text).toContain("error AD1005: 'Math.clz32' is not a function Adjoint has a derivative rule for.");
    expect(text).toContain('noisy.ts:3:10');
  });
});
