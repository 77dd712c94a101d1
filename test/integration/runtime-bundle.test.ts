/**
 * A browser page whose model uses `stopGradient` pays for it with a few bytes, not with the
 * compiler: a real Vite build of the same page, with and without `stopGradient` from
 * @adjoint/runtime, differs by under 1 kB. The bundle is also run as an ES module in Node and its
 * gradient checked against finite differences.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'vite';
import { describe, expect, test } from 'vitest';
import adjoint from '@adjoint/unplugin/vite';
import { expectLossGradient, fixture, point, run } from './support.js';

const page = '<!doctype html>\n<html>\n  <body>\n    <script type="module" src="/src/main.ts"></script>\n  </body>\n</html>\n';
const main = `import { grad_loss } from './model.grad.js';

const point = ${JSON.stringify(point)};
console.log(JSON.stringify(grad_loss(point.weights, point.bias, point.xs, point.ys)));
`;

/** Builds the page with `model.ts` as given; returns the folder and the built JavaScript's files and size. */
async function buildPage(model: string): Promise<{ dir: string; files: string[]; bytes: number }> {
  const dir = fixture('shared', []);
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'index.html'), page);
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(dir, 'src/model.ts'), model);
  writeFileSync(path.join(dir, 'src/main.ts'), main);
  await build({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    plugins: [adjoint()],
    // every current browser supports modulepreload; the polyfill would reach for `document` in Node
    build: { outDir: 'dist', modulePreload: { polyfill: false } },
  });
  const assets = path.join(dir, 'dist/assets');
  const files = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(assets, f));
  return { dir, files, bytes: files.reduce((sum, f) => sum + statSync(f).size, 0) };
}

describe('a browser bundle of a model that uses stopGradient', () => {
  test('grows by under 1 kB, holds no compiler, and runs as an ES module in Node', async () => {
    const source = readFileSync(path.join(fixture('shared', []), 'model.ts'), 'utf8');
    const withoutStop = await buildPage(source);
    // the same model, with the targets marked as data (ys is not differentiated: same gradient)
    const withStop = await buildPage(
      `import { stopGradient } from '@adjoint/runtime';\n${source.replace('(p - ys[i]!) ** 2', '(p - stopGradient(ys[i]!)) ** 2')}`,
    );
    expect(readFileSync(path.join(withStop.dir, 'src/model.ts'), 'utf8')).toContain('stopGradient(ys[i]!)');
    const growth = withStop.bytes - withoutStop.bytes;
    console.log(`browser bundle: ${withoutStop.bytes} B without stopGradient, ${withStop.bytes} B with it (${growth >= 0 ? '+' : ''}${growth} B)`);
    expect(growth).toBeLessThan(1024);
    for (const file of withStop.files) expect(readFileSync(file, 'utf8')).not.toMatch(/ts-morph|typescript|prettier|node:fs/);

    expect(withStop.files).toHaveLength(1);
    const result = await run(process.execPath, [withStop.files[0]!], withStop.dir);
    expect(result.code, result.output).toBe(0);
    expectLossGradient(JSON.parse(result.stdout));
  });
});
