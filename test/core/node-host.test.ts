/** `@adjoint/core/node`: compiling by path under Node, through the package's own entry point. */
import { compile } from '@adjoint/core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeHost } from '@adjoint/core/node';

const dir = mkdtempSync(path.join(tmpdir(), 'adjoint-node-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nodeHost', () => {
  it('compiles a source given by path, and a module it imports', async () => {
    writeFileSync(path.join(dir, 'square.ts'), 'export function square(x: number): number {\n  return x * x;\n}\n');
    writeFileSync(path.join(dir, 'model.ts'), "import { square } from './square.js';\n\n/** @differentiable */\nexport function f(x: number): number {\n  return square(x) * 3;\n}\n");
    const { outputs, diagnostics } = await compile([{ path: path.join(dir, 'model.ts') }], { host: nodeHost });
    expect(diagnostics).toEqual([]);
    expect(outputs.map((o) => o.functions)).toEqual([['f']]);
    // d(3x²)/dx = 6x, at x = 2: 12, checked by running the companion below
    writeFileSync(outputs[0]!.companionPath, outputs[0]!.text);
    const script = `import { grad_f } from ${JSON.stringify(outputs[0]!.companionPath)}; console.log(grad_f(2).x);`;
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    expect(execFileSync(tsx, ['-e', script], { encoding: 'utf8' }).trim()).toBe('12');
  });

  it('reads nothing that is missing or not a regular file', () => {
    expect(nodeHost.readFile(path.join(dir, 'absent.ts'))).toBeUndefined();
    expect(nodeHost.readFile(dir)).toBeUndefined();
    const fifo = path.join(dir, 'pipe.ts');
    execFileSync('mkfifo', [fifo]);
    expect(nodeHost.readFile(fifo)).toBeUndefined(); // reading it would wait for a writer for ever
  });
});

it('the built package exports it as @adjoint/core/node and keeps it out of @adjoint/core', () => {
  const core = fileURLToPath(new URL('../../packages/core/', import.meta.url));
  const script = "import('@adjoint/core/node').then((m) => import('@adjoint/core').then((c) => console.log(typeof m.nodeHost.readFile, 'nodeHost' in c)))";
  expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: core, encoding: 'utf8' }).trim()).toBe('function false');
});
