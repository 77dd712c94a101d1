/**
 * Companions left behind (issue 19, item 6): when a source's last mark goes (deleted, turned into
 * `// @differentiable`, misspelt) or the source itself is deleted, the companion Adjoint generated
 * for it is removed by a run, reported by `--check` (AD5009, exit 1, nothing removed), and removed
 * by `--watch`; beside the sources and under `--out-dir`. Files Adjoint did not generate, and
 * companions of sources with errors, are never touched. The stand-in compiler of helpers.ts marks
 * `/** @differentiable *\/ export function f` only; the last tests use the built command.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { listTree, makeTree, marked, read, removeTempFolders, runIn } from './helpers.js';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

afterEach(removeTempFolders);

const unmarkings: Array<{ how: string; text: string }> = [
  { how: 'the mark deleted', text: 'export function f(x: number): number {\n  return x * x;\n}\n' },
  { how: 'the mark turned into a line comment', text: '// @differentiable\nexport function f(x: number): number {\n  return x * x;\n}\n' },
  { how: 'the mark misspelt', text: '/** @differentiabel */\nexport function f(x: number): number {\n  return x * x;\n}\n' },
];

describe('a run', () => {
  it.each(unmarkings)('removes the companion of a source with $how', async ({ text }) => {
    const root = await makeTree({ 'a.ts': marked('f'), 'b.ts': marked('g') });
    await runIn(root, { inputs: ['.'] });
    await writeFile(path.join(root, 'a.ts'), text);
    const { code, stdout } = await runIn(root, { inputs: ['.'] });
    expect(code).toBe(0);
    expect(stdout).toBe('Generated 1 companion (1 unchanged) and removed 1 from 2 files; 0 errors, 0 warnings.\n');
    expect(await listTree(root)).toEqual(['a.ts', 'b.grad.ts', 'b.ts']);
  });

  it('removes the companion of a deleted source, and of a source named on the command line', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f'), 'src/deep/b.ts': marked('g'), 'c.ts': marked('h') });
    await runIn(root, { inputs: ['src', 'c.ts'] });
    await rm(path.join(root, 'src/deep/b.ts'));
    await writeFile(path.join(root, 'c.ts'), 'export const h = 1;\n');
    const { code, stdout } = await runIn(root, { inputs: ['src', 'c.ts'] });
    expect(code).toBe(0);
    expect(stdout).toMatch(/and removed 2 from 2 files/);
    expect(await listTree(root)).toEqual(['c.ts', 'src/a.grad.ts', 'src/a.ts']);
  });

  it('does the same under --out-dir', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f'), 'src/deep/b.ts': marked('g'), 'src/c.ts': marked('h') });
    await runIn(root, { inputs: ['src'], outDir: 'out' });
    await rm(path.join(root, 'src/deep/b.ts'));
    await writeFile(path.join(root, 'src/c.ts'), unmarkings[1]!.text);
    const { code } = await runIn(root, { inputs: ['src'], outDir: 'out' });
    expect(code).toBe(0);
    expect(await listTree(path.join(root, 'out'))).toEqual(['a.grad.ts']);
  });

  it('leaves alone what Adjoint did not generate, companions of sources with errors, and companions written elsewhere', async () => {
    const handWritten = 'export const mine = true;\n';
    const root = await makeTree({
      'src/plain.ts': 'export const plain = 1;\n',
      'src/plain.grad.ts': handWritten,
      'src/broken.ts': marked('f'),
      'src/other.ts': marked('g'),
    });
    await runIn(root, { inputs: ['src'] });
    // a companion written under --out-dir inside an input folder names its source from there
    await runIn(root, { inputs: ['src/other.ts'], outDir: 'src/generated' });
    const broken = await read(root, 'src/broken.grad.ts');
    // an error could hide a mark: the companion stays until the file compiles again
    await writeFile(path.join(root, 'src/broken.ts'), `${unmarkings[1]!.text}BROKEN\n`);
    const { code, stderr } = await runIn(root, { inputs: ['src'] });
    expect(code).toBe(1);
    expect(stderr).toContain('AD1002');
    expect(await read(root, 'src/plain.grad.ts')).toBe(handWritten);
    expect(await read(root, 'src/broken.grad.ts')).toBe(broken);
    expect(await listTree(path.join(root, 'src'))).toContain('generated/other.grad.ts');
  });
});

describe('--check', () => {
  it('reports companions left behind with AD5009, exits 1 and removes nothing', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f'), 'src/b.ts': marked('g') });
    await runIn(root, { inputs: ['src'] });
    await writeFile(path.join(root, 'src/a.ts'), unmarkings[1]!.text);
    await rm(path.join(root, 'src/b.ts'));
    const { code, stdout, stderr } = await runIn(root, { inputs: ['src'], check: true });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5009: 'src/a.grad.ts' was generated by Adjoint, but 'src/a.ts' no longer marks a function: it is left behind.");
    expect(stderr).toContain("error AD5009: 'src/b.grad.ts' was generated by Adjoint, but its source 'src/b.ts' no longer exists: it is left behind.");
    expect(stdout).toBe('Checked 2 companions (2 stale) from 1 file; 2 errors, 0 warnings.\n');
    expect(await listTree(root)).toEqual(['src/a.grad.ts', 'src/a.ts', 'src/b.grad.ts']);
  });

  it('reports them under --out-dir too', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f') });
    await runIn(root, { inputs: ['src'], outDir: 'out' });
    await writeFile(path.join(root, 'src/a.ts'), unmarkings[0]!.text);
    const { code, stderr } = await runIn(root, { inputs: ['src'], outDir: 'out', check: true });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5009: 'out/a.grad.ts' was generated by Adjoint, but 'src/a.ts' no longer marks a function");
    expect(await listTree(path.join(root, 'out'))).toEqual(['a.grad.ts']);
  });
});

describe('the built command, with the real compiler', () => {
  it('warns about `// @differentiable`, removes the old companion, and --check agrees', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f') });
    const adjoint = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8' });
    expect(adjoint('src').status).toBe(0);
    await writeFile(path.join(root, 'src/a.ts'), unmarkings[1]!.text);
    const check = adjoint('--check', 'src');
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('warning AD2011');
    expect(check.stderr).toContain('AD5009');
    const run = adjoint('src');
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("src/a.ts:1:4 - warning AD2011: '@differentiable' looks like a mark but is not one");
    expect(run.stdout).toBe('Generated 0 companions and removed 1 from 1 file; 0 errors, 1 warning.\n');
    expect(await listTree(root)).toEqual(['src/a.ts']);
    expect(adjoint('--check', 'src').status).toBe(0);
  });

  it('removes it under --watch when the mark goes, and when the source goes', async () => {
    const root = await makeTree({ 'package.json': '{}\n', 'src/a.ts': marked('f'), 'src/b.ts': marked('g') });
    const child = spawn(process.execPath, [BIN, '--watch', 'src'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const waitFor = async (pattern: RegExp) => {
      for (const deadline = Date.now() + 40_000; !pattern.test(stdout); ) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`timed out waiting for ${pattern}\n${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      await waitFor(/^Watching src/m);
      await writeFile(path.join(root, 'src/a.ts'), unmarkings[1]!.text);
      await waitFor(/^\d\d:\d\d:\d\d removed src\/a\.grad\.ts: src\/a\.ts no longer marks a function\n/m);
      expect(existsSync(path.join(root, 'src/a.grad.ts'))).toBe(false);
      await rm(path.join(root, 'src/b.ts'));
      await waitFor(/^\d\d:\d\d:\d\d removed src\/b\.grad\.ts: src\/b\.ts no longer exists\n/m);
      expect(await listTree(path.join(root, 'src'))).toEqual(['a.ts']);
    } finally {
      child.kill('SIGINT');
    }
  });
});
