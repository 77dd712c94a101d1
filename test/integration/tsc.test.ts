/** The tsc plugin in an ordinary tspc build: an ES module project, and Adjoint's errors. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { bin, callBuilt, expectBuiltGradient, fixture, point, loss, run } from './support.js';

describe('tspc with @adjoint/tsc-plugin', () => {
  test('an ES module project type-checks ./model.grad.js and emits the companion as .js and .d.ts', async () => {
    const dir = fixture('tsc/esm');
    const build = await run(bin('tspc'), ['-p', '.', '--pretty', 'false'], dir);
    expect(build.output).toBe('');
    expect(build.code).toBe(0);
    for (const file of ['model.grad.js', 'model.grad.d.ts', 'model.grad.js.map', 'main.js', 'main.d.ts']) {
      expect(existsSync(path.join(dir, 'dist', file)), file).toBe(true);
    }
    // Nothing is written beside the sources.
    expect(existsSync(path.join(dir, 'src/model.grad.ts'))).toBe(false);
    expect(readFileSync(path.join(dir, 'dist/model.grad.d.ts'), 'utf8')).toMatch(
      /export declare function grad_loss\(weights: number\[\], bias: number, xs: number\[\]\[\], ys: number\[\]\): \{\s*weights: number\[\];\s*bias: number;\s*\}/,
    );
    await expectBuiltGradient(path.join(dir, 'dist/main.js'), 'esm');
    expect(await callBuilt(path.join(dir, 'dist/main.js'), 'esm', 'value', [point])).toBe(loss(point.weights, point.bias, point.xs, point.ys));
  });

  test('"checkpointLoops": true in the plugin entry checkpoints the loops of the emitted companion, with the same gradient', async () => {
    const dir = fixture('tsc/esm');
    const tsconfig = path.join(dir, 'tsconfig.json');
    writeFileSync(tsconfig, readFileSync(tsconfig, 'utf8').replace('"transformProgram": true', '"transformProgram": true, "checkpointLoops": true'));
    const build = await run(bin('tspc'), ['-p', '.', '--pretty', 'false'], dir);
    expect(build.output).toBe('');
    expect(build.code).toBe(0);
    expect(readFileSync(path.join(dir, 'dist/model.grad.js'), 'utf8')).toContain('class Revolve');
    await expectBuiltGradient(path.join(dir, 'dist/main.js'), 'esm');
  });

  test("Adjoint's errors are tsc's, with file, position and code, and block emit under noEmitOnError", async () => {
    const dir = fixture('tsc/esm');
    writeFileSync(
      path.join(dir, 'src/noisy.ts'),
      ['/** @differentiable */', 'export function noisy(x: number): number {', '  return Math.clz32(x) * x;', '}', ''].join('\n'),
    );
    writeFileSync(path.join(dir, 'src/uses-noisy.ts'), "import { grad_noisy } from './noisy.grad.js';\nexport const g = grad_noisy(1);\n");
    const build = await run(bin('tspc'), ['-p', '.', '--pretty', 'false', '--noEmitOnError'], dir);
    expect(build.output).toContain(
      "src/noisy.ts(3,10): error TS991005: AD1005: 'Math.clz32' is not a function Adjoint has a derivative rule for.",
    );
    expect(build.output).toContain('fix: ');
    // A file with errors has no companion, so importing it fails as any missing module does.
    expect(build.output).toContain("src/uses-noisy.ts(1,28): error TS2307: Cannot find module './noisy.grad.js'");
    expect(build.code).toBe(1); // diagnostics present, outputs skipped
    expect(existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});
