import { it } from 'vitest';
import { compile } from '@adjoint/core';
const cases = [
  `const A = 2;\nconst B = -(A + 1);\n/** @differentiable */\nexport function f(x: number): number { return x * B; }`,
  `const A = 2; /** @differentiable */ export function f(x: number): number { return x * A; }`,
  `const A = 2;\n/** @differentiable */ export function f(x: number): number { return x * A; }`,
  `let q = 1; /** @differentiable */ export function f(x: number): number { return x; }`,
];
it('probe', async () => {
  for (const text of cases) {
    try {
      const r = await compile([{ path: 'case.ts', text }], { header: false });
      console.log('----', text, '\n', r.diagnostics.map((d) => d.code + ' ' + d.message).join('\n'), r.outputs[0]?.text);
    } catch (e) { console.log('THROW', text, (e as Error).message.slice(0, 300)); }
  }
});
