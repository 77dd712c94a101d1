/** End to end: the built `adjoint` command with the real compiler (run `pnpm build` first). */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isGeneratedText } from '@adjoint/core';
import { listTree, makeTree, marked, read, removeTempFolders, type Captured } from './helpers.js';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

function adjoint(cwd: string, ...args: string[]): Captured {
  const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: status ?? -1, stdout, stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first.`);
});
afterEach(removeTempFolders);

describe('the adjoint command', () => {
  it('prints its help and version', async () => {
    const root = await makeTree({});
    const help = adjoint(root, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('$ adjoint [options] <file|dir ...>');
    expect(help.stdout).toContain('--out-dir <dir>');
    expect(help.stdout).toContain('Exit codes:');
    expect(adjoint(root, '--version').stdout).toMatch(/^adjoint\/\d+\.\d+\.\d+ /);
  });

  it('exits quietly when what reads its output has gone (adjoint src | true)', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    // `true` exits at once, long before the command prints its summary into the pipe (EPIPE);
    // with pipefail, the pipeline's status is the command's
    const { status, stderr } = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" . | true', process.execPath, BIN], { cwd: root, encoding: 'utf8' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(await read(root, 'a.grad.ts')).toContain('grad_f');
  });

  it('says once that it cannot write its output to a full disk, and exits 1', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    const full = openSync('/dev/full', 'w');
    try {
      const { status, stderr } = spawnSync(process.execPath, [BIN, '.'], { cwd: root, encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
      expect(stderr).toBe('error: cannot write to the standard output: ENOSPC: no space left on device, write\n');
      expect(status).toBe(1);
    } finally {
      closeSync(full);
    }
  });

  it('exits 2 on a usage error, without a stack trace', async () => {
    const root = await makeTree({});
    for (const args of [['--nope', '.'], []]) {
      const { code, stdout, stderr } = adjoint(root, ...args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^error: .*\nRun adjoint --help for usage\.\n$/);
    }
  });

  it('generates, keeps, checks and regenerates companions with the real compiler', async () => {
    const root = await makeTree({ 'src/my models/énergie.ts': marked('energy') });
    const companion = 'src/my models/énergie.grad.ts';

    const first = adjoint(root, 'src');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('Generated 1 companion from 1 file; 0 errors, 0 warnings.\n');
    const text = await read(root, companion);
    expect(isGeneratedText(text)).toBe(true);
    expect(text).toContain('export function grad_energy');

    const second = adjoint(root, 'src');
    expect(second.stdout).toBe('Generated 1 companion (1 unchanged) from 1 file; 0 errors, 0 warnings.\n');
    expect(await read(root, companion)).toBe(text);
    expect(adjoint(root, '--check', 'src').code).toBe(0);

    await writeFile(path.join(root, 'src/my models/énergie.ts'), marked('spring'));
    const stale = adjoint(root, '--check', 'src');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`error AD5004: '${companion}' is missing or out of date.`);
    expect(adjoint(root, 'src').code).toBe(0);
    expect(await read(root, companion)).toContain('export function grad_spring');
  });

  it('reports errors tsc-style without colour when not on a terminal, and generates the other files', async () => {
    const root = await makeTree({
      'bad.ts': '/** @differentiable */\nexport function label(x: number): string {\n  return "x";\n}\n',
      'good.ts': marked('square'),
    });
    const { code, stderr } = adjoint(root, '.', 'missing');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^bad\.ts:\d+:\d+ - error AD\d{4}: /m);
    expect(stderr).toContain("error AD5005: No such file or directory: 'missing'.");
    expect(stderr).not.toContain('\u001b[');
    expect(await listTree(root)).toEqual(['bad.ts', 'good.grad.ts', 'good.ts']);
  });

  it('mirrors the sources under --out-dir', async () => {
    const root = await makeTree({ 'src/a/one.ts': marked('one'), 'src/b/two.ts': marked('two') });
    expect(adjoint(root, '--out-dir', 'gen', 'src').code).toBe(0);
    expect(await listTree(path.join(root, 'gen'))).toEqual(['a/one.grad.ts', 'b/two.grad.ts']);
  });
});
