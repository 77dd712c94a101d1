/** An import that names nothing gets an error of its own (it was AD1012, "'sq' has no body"). */
import { compile } from '@adjoint/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskHost } from '../support/disk-host.js';

const dir = mkdtempSync(path.join(tmpdir(), 'adjoint-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const square = '/** @differentiable */\nexport function sq(x: number): number {\n  return x * x;\n}\n';

describe('a marked function calling what an import does not provide', () => {
  it("reports AD1016 for a name the module does not export (a companion's f)", async () => {
    writeFileSync(path.join(dir, 'a.ts'), square);
    const first = await compile([{ path: path.join(dir, 'a.ts') }], { host: diskHost });
    writeFileSync(first.outputs[0]!.companionPath, first.outputs[0]!.text);
    const importer = path.join(dir, 'b.ts');
    writeFileSync(importer, "import { sq } from './a.grad';\n\n/** @differentiable */\nexport function g(x: number): number {\n  return sq(x) + x;\n}\n");
    const { diagnostics } = await compile([{ path: importer }], { host: diskHost });
    expect(diagnostics.map((d) => [d.code, d.message, d.location?.line])).toEqual([['AD1016', "'sq' is imported from './a.grad', which does not export it.", 5]]);
    expect(diagnostics[0]!.fix).toMatch(/A companion \(x\.grad\) exports grad_f/);
  });

  it('reports AD1016 for a module that is not there', async () => {
    const importer = path.join(dir, 'c.ts');
    writeFileSync(importer, "import { h } from './missing.js';\n\n/** @differentiable */\nexport function g(x: number): number {\n  return h(x);\n}\n");
    const { diagnostics } = await compile([{ path: importer }], { host: diskHost });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['AD1016', "'h' is imported from './missing.js', which cannot be found."]]);
  });
});
