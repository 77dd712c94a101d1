/** @adjoint/unplugin/vite: a library build (ES module and CommonJS), the dev server's hot updates, and errors. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build, createServer, type HotPayload } from 'vite';
import { describe, expect, test } from 'vitest';
import adjoint from '@adjoint/unplugin/vite';
import { bin, expectBuiltGradient, fixture, repoRoot, run } from './support.js';

interface BuildError {
  message: string;
  id?: string;
  loc?: { file?: string; line: number; column: number };
}

describe('vite with @adjoint/unplugin/vite', () => {
  test('vite build serves ./model.grad from memory; the ES module and CommonJS outputs both give the gradient', async () => {
    const dir = fixture('vite');
    const result = await run(bin('vite'), ['build'], dir);
    expect(result.code, result.output).toBe(0);
    await expectBuiltGradient(path.join(dir, 'dist/main.mjs'), 'esm');
    await expectBuiltGradient(path.join(dir, 'dist/main.cjs'), 'cjs');
    // The source map leads back to the companion's TypeScript.
    const map = JSON.parse(readFileSync(path.join(dir, 'dist/main.mjs.map'), 'utf8')) as { sources: string[]; sourcesContent: string[] };
    const index = map.sources.findIndex((s) => s.endsWith('model.grad.ts'));
    expect(index).toBeGreaterThanOrEqual(0);
    expect(map.sourcesContent[index]).toContain('export function grad_loss(');
  });

  test('the dev server regenerates the companion when model.ts changes and sends a hot update', async () => {
    const dir = fixture('vite');
    const server = await createServer({ root: dir, configFile: path.join(dir, 'vite.config.ts'), logLevel: 'silent', server: { middlewareMode: true } });
    try {
      const client = server.environments.client;
      const payloads: HotPayload[] = [];
      const send = client.hot.send.bind(client.hot);
      client.hot.send = ((payload: HotPayload) => {
        payloads.push(payload);
        send(payload);
      }) as typeof client.hot.send;
      const main = await client.transformRequest('/src/main.ts');
      expect(main?.code).toMatch(/import .*\/src\/model\.grad\.ts/);
      const before = await client.transformRequest('/src/model.grad.ts');
      expect(before?.code).toContain('export function grad_loss(');
      expect(before?.code).not.toMatch(/\.5 \* total/);

      const model = path.join(dir, 'src/model.ts');
      writeFileSync(model, readFileSync(model, 'utf8').replace('return total / ys.length;', 'return (0.5 * total) / ys.length;'));
      const deadline = Date.now() + 30_000;
      while (!payloads.some((p) => p.type === 'update' || p.type === 'full-reload') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const update = payloads.find((p) => p.type === 'update');
      expect(update, JSON.stringify(payloads)).toBeDefined();
      expect(JSON.stringify(update)).toContain('/src/main.ts');
      const after = await client.transformRequest('/src/model.grad.ts');
      expect(after?.code).toMatch(/\.5 \* total/);
    } finally {
      await server.close();
    }
  });

  test("Adjoint's errors fail the build with the file, line and column", async () => {
    const dir = fixture('vite');
    writeFileSync(path.join(dir, 'src/noisy.ts'), '/** @differentiable */\nexport function noisy(x: number): number {\n  return Math.clz32(x) * x;\n}\n');
    writeFileSync(path.join(dir, 'src/main.ts'), "import { grad_noisy } from './noisy.grad';\nexport const g = grad_noisy(1);\n");
    const failure = await build({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      plugins: [adjoint()],
      build: { write: false, lib: { entry: 'src/main.ts', formats: ['es'] } },
    }).then(
      () => undefined,
      (error: unknown) => error as BuildError & { errors?: BuildError[] },
    );
    expect(failure).toBeDefined();
    expect(failure!.message).toContain("error AD1005: 'Math.clz32' is not a function Adjoint has a derivative rule for.");
    expect(failure!.message).toContain('noisy.ts:3:10');
    // Vite 8 (Rolldown) gathers the plugin's errors; each keeps its file and position (column from 0).
    const error = failure!.errors?.[0] ?? failure!;
    expect(error.id).toBe(path.join(dir, 'src/noisy.ts'));
    expect(error.loc).toMatchObject({ file: path.join(dir, 'src/noisy.ts'), line: 3, column: 9 });
  });

  test('a companion the CLI left on disk is not served once its mark is gone, or its source', async () => {
    const dir = fixture('vite');
    const cli = await run(process.execPath, [path.join(repoRoot, 'packages/cli/dist/bin.js'), 'src/model.ts'], dir);
    expect(cli.code, cli.output).toBe(0);
    const buildFailure = () =>
      build({ root: dir, configFile: false, logLevel: 'silent', plugins: [adjoint()], build: { write: false, lib: { entry: 'src/main.ts', formats: ['es'] } } }).then(
        () => undefined,
        (error: unknown) => error as BuildError,
      );
    const model = path.join(dir, 'src/model.ts');
    const marked = readFileSync(model, 'utf8');
    writeFileSync(model, marked.replace('/** @differentiable(wrt: weights, bias) */', '// @differentiable(wrt: weights, bias)'));
    expect((await buildFailure())?.message).toContain('src/model.ts has no function marked /** @differentiable */, so it has no companion to import.');
    rmSync(model);
    expect((await buildFailure())?.message).toContain("error AD5009: 'src/model.grad.ts' was generated by Adjoint, but its source 'src/model.ts' no longer exists");
  });
});
