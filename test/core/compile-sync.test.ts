/** compileSync (for the tsc plugin) and companionToJavaScript (for the bundler plugin). */
import { readFileSync } from 'node:fs';
import { compile, compileSync, companionToJavaScript } from '@adjoint/core';
import { expect, test } from 'vitest';
import { diskHost } from '../support/disk-host.js';

const model = 'test/fixtures/shared/model.ts';

test('compileSync gives the companions compile gives without prettier', async () => {
  const files = [{ path: model }, { path: 'examples/projectile/simulation.ts' }];
  const [unformatted, printed] = [await compile(files, { format: false, host: diskHost }), compileSync(files, { host: diskHost })];
  expect(printed).toEqual(unformatted);
  expect(printed.outputs.map((o) => o.functions)).toEqual([['loss'], ['landingMiss']]);
});

test('compileSync reports the same errors, and a file it cannot read', () => {
  const noisy = '/** @differentiable */\nexport function noisy(x: number): number {\n  return Math.random() * x;\n}\n';
  const result = compileSync([{ path: 'noisy.ts', text: noisy }, { path: 'no/such/file.ts' }], { host: diskHost });
  expect(result.outputs).toEqual([]);
  expect(result.diagnostics.map((d) => d.code).sort()).toEqual(['AD1120', 'AD5001']);
});

test('companionToJavaScript erases types and maps back to the companion text', async () => {
  const { outputs } = await compile([{ path: model, text: readFileSync(model, 'utf8') }]);
  const { code, map } = companionToJavaScript(outputs[0]!.text, outputs[0]!.companionPath);
  expect(code).not.toMatch(/: number\b/);
  expect(code).not.toContain('sourceMappingURL');
  expect(map.sources).toEqual(['model.grad.ts']);
  expect(map.sourcesContent).toEqual([outputs[0]!.text]);
  const module = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const grad = module.grad_loss([1, 2], 0.5, [[0.1, 0.2]], [1]) as { weights: number[]; bias: number };
  expect(grad.weights).toHaveLength(2);
  expect(Number.isFinite(grad.bias)).toBe(true);
});
