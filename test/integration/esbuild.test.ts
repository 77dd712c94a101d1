/** @adjoint/unplugin/esbuild: an ES module and a CommonJS consumer, rebuilds on change, and errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, test } from 'vitest';
import adjoint from '@adjoint/unplugin/esbuild';
import { expectBuiltGradient, fixture, run } from './support.js';

describe('esbuild with @adjoint/unplugin/esbuild', () => {
  test('the build script bundles an ES module consumer as ESM and a CommonJS consumer (require) as CommonJS', async () => {
    const dir = fixture('esbuild');
    const result = await run(process.execPath, ['build.mjs'], dir);
    expect(result.code, result.output).toBe(0);
    await expectBuiltGradient(path.join(dir, 'dist/main.mjs'), 'esm');
    await expectBuiltGradient(path.join(dir, 'dist/main.cjs'), 'cjs');
  });

  test('a rebuild after model.ts changes regenerates the companion (esbuild is told to watch model.ts)', async () => {
    const dir = fixture('esbuild');
    const context = await esbuild.context({
      entryPoints: [path.join(dir, 'src/main.ts')],
      bundle: true,
      format: 'esm',
      write: false,
      metafile: true,
      plugins: [adjoint()],
    });
    try {
      const first = await context.rebuild();
      expect(first.outputFiles![0]!.text).not.toContain('0.5 *');
      const model = path.join(dir, 'src/model.ts');
      writeFileSync(model, readFileSync(model, 'utf8').replace('return total / ys.length;', 'return (0.5 * total) / ys.length;'));
      const second = await context.rebuild();
      expect(second.outputFiles![0]!.text).toContain('0.5 *');
    } finally {
      await context.dispose();
    }
  });

  test('adjoint({ checkpointLoops: true }) checkpoints the loops of the served companion, with the same gradient', async () => {
    const dir = fixture('esbuild');
    const outfile = path.join(dir, 'dist/checkpointed.mjs');
    await esbuild.build({ entryPoints: [path.join(dir, 'src/main.ts')], bundle: true, format: 'esm', outfile, logLevel: 'silent', plugins: [adjoint({ checkpointLoops: true })] });
    expect(readFileSync(outfile, 'utf8')).toContain('slotsFor'); // the schedule (esbuild renames its class)
    await expectBuiltGradient(outfile, 'esm');
  });

  test('a model.ts saved in UTF-16 with a byte-order mark is decoded, as tsc decodes it', async () => {
    const dir = fixture('esbuild');
    const model = path.join(dir, 'src/model.ts');
    writeFileSync(model, Buffer.from(`\uFEFF${readFileSync(model, 'utf8')}`, 'utf16le'));
    const outfile = path.join(dir, 'dist/utf16.mjs');
    await esbuild.build({ entryPoints: [path.join(dir, 'src/main.ts')], bundle: true, format: 'esm', outfile, logLevel: 'silent', plugins: [adjoint()] });
    await expectBuiltGradient(outfile, 'esm');
  });

  test("Adjoint's errors are esbuild's errors, with file and position", async () => {
    const dir = fixture('esbuild');
    writeFileSync(path.join(dir, 'src/noisy.ts'), '/** @differentiable */\nexport function noisy(x: number): number {\n  return Math.clz32(x) * x;\n}\n');
    writeFileSync(path.join(dir, 'src/main.ts'), "import { grad_noisy } from './noisy.grad';\nexport const g = grad_noisy(1);\n");
    const failure = await esbuild
      .build({ entryPoints: [path.join(dir, 'src/main.ts')], bundle: true, write: false, logLevel: 'silent', plugins: [adjoint()] })
      .then(
        () => undefined,
        (e: unknown) => e as esbuild.BuildFailure,
      );
    const error = failure?.errors[0];
    expect(error?.text).toContain("error AD1005: 'Math.clz32' is not a function Adjoint has a derivative rule for.");
    expect(error?.location).toMatchObject({ line: 3, column: 9 });
    // esbuild gives the file relative to its working directory (the process's)
    expect(path.resolve(error!.location!.file)).toBe(path.join(dir, 'src/noisy.ts'));
  });
});
