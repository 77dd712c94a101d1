/**
 * Module-level constants (2-lower/module-constants.ts): numbers and arrays, tuples and objects of
 * numbers, of the module or imported, read as constants (no adjoint) by differentiable functions.
 * The gradients match finite differences and forward mode; the companion copies the small ones
 * and imports the others; and a write into a constant, however it is reached, is AD1145.
 */
import { compile } from '@adjoint/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Compiled } from '../support/compile.js';
import { loadModule } from '../support/load.js';
import { expectModesAgree } from '../support/modes-check.js';

const read = (file: string) => readFileSync(fileURLToPath(new URL(`./module-constants-case/${file}`, import.meta.url)), 'utf8');

async function compiled(): Promise<Compiled> {
  const files = [
    { path: 'main.ts', text: read('main.ts.txt') },
    { path: 'tables.ts', text: read('tables.ts.txt') },
  ];
  const result = await compile(files);
  expect(result.diagnostics).toEqual([]);
  const text = result.outputs.find((o) => o.sourcePath === 'main.ts')!.text;
  const tables = loadModule(read('tables.ts.txt'), 'tables.ts');
  const source = loadModule(files[0]!.text, 'main.ts', { './tables': tables });
  // the companion imports WEIGHTS from the source module itself
  return { result, text, source, companion: loadModule(text, 'main.grad.ts', { './tables': tables, './main': source }) };
}

describe('module constants', () => {
  it.each([[0.7], [3.5], [12.25]])('lgamma on the Lanczos table matches finite differences and forward mode at %d', async (x) => {
    expectModesAgree(await compiled(), 'lgammaOf', () => [x]);
  });

  it.each([
    [1.3, [0.5, -1.2, 2]],
    [2.5, [0.25, 0.75]],
  ])('tables(%d, %j) matches finite differences and forward mode', async (x, v) => {
    expectModesAgree(await compiled(), 'tables', () => [x, v.slice()]);
  });

  it('copies small constants into the companion and imports the others', async () => {
    const { text } = await compiled();
    expect(text).toMatch(/^const C = \[\n?\s*676\.5203681218851,/m);
    expect(text).toMatch(/^const PAIR = \[1\.5, -2\];/m);
    expect(text).toMatch(/^const M = \[\s*\[1, 2\],\s*\[3, 4\],?\s*\];/m);
    expect(text).toMatch(/^const P = \{ a: 2, b: PAIR\[0\]! \* 3 \};/m);
    expect(text).toMatch(/^const NESTED = \[C, OFFSETS\];/m);
    expect(text).toMatch(/^import \{ WEIGHTS \} from '\.\/main';/m);
    expect(text).toMatch(/^import \{ (G as gravity|UNIT|OFFSETS)(, (G as gravity|UNIT|OFFSETS)){2} \} from '\.\/tables';/m);
    for (const name of ['G as gravity', 'UNIT', 'OFFSETS']) expect(text).toContain(name);
  });
});

describe('a write into a module constant is AD1145', () => {
  const writes: Array<[string, string]> = [
    ['an element', 'C[0] = x;'],
    ['a compound assignment', 'C[1]! += x;'],
    ['++', '++C[0];'],
    ['a row of a nested table', 'M[0]![1] = x;'],
    ['a row read into a variable', 'const row = M[1]!;\n  row[0] = x;'],
    ['an alias', 'const alias = C;\n  alias[2] = x;'],
    ['push', 'C.push(x);'],
    ['a field', '(P as { a: number }).a = x;'],
    ['an imported constant', 'OFFSETS[0] = x;'],
    ['a destructuring assignment', '[C[0]] = [x];'],
  ];
  it.each(writes)('through %s', async (_, statement) => {
    const text = `import { OFFSETS } from './tables';\nconst C = [1, 2, 3];\nconst M = [[1, 2], [3, 4]];\nconst P = { a: 1 } as const;\n/** @differentiable */\nexport function w(x: number): number {\n  ${statement}\n  return x;\n}\n`;
    const { diagnostics, outputs } = await compile([{ path: 'writes.ts', text }, { path: 'tables.ts', text: read('tables.ts.txt') }]);
    expect(diagnostics.map((d) => d.code)).toEqual(['AD1145']);
    expect(diagnostics[0]!.location?.line).toBe(6 + statement.split('\n').length);
    expect(outputs.filter((o) => o.sourcePath === 'writes.ts')).toEqual([]);
  });
});

describe('a constant that is not numbers is AD1006', () => {
  it('at its declaration (in the module that declares an imported one), with a note where it is read', async () => {
    const text = `import { NAMES } from './labels';\nconst LOCAL = ['a', 'b'];\n/** @differentiable */\nexport function f(x: number): number {\n  return x * NAMES.length + LOCAL.length;\n}\n`;
    const labels = `export const NAMES = ['x', 'y'];\n`;
    const { diagnostics } = await compile([{ path: 'reads.ts', text }, { path: 'labels.ts', text: labels }]);
    expect(diagnostics.map((d) => [d.code, d.location?.file, d.location?.line, d.notes?.[0]?.location?.file, d.notes?.[0]?.location?.line])).toEqual([
      ['AD1006', 'labels.ts', 1, 'reads.ts', 5],
      ['AD1006', 'reads.ts', 2, 'reads.ts', 5],
    ]);
  });
});
