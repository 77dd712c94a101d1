/**
 * Bad surroundings, through the command as built: odd path names, an output location that cannot
 * be written, a missing input, a file that cannot be read. Always a clear diagnostic and exit code
 * 1 or 2, never a stack trace. The file-system cases run the command with a stand-in compiler
 * (fixtures/fake-adjoint.mjs: the same command, quicker to start); odd names use the real one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isGeneratedText } from '@adjoint/core';
import { listTree, makeTree, marked, read, removeTempFolders, type Captured } from './helpers.js';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const FAKE = fileURLToPath(new URL('./fixtures/fake-adjoint.mjs', import.meta.url));

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first.`);
});
const chmodded: string[] = [];
afterEach(async () => {
  // Give write and read permission back, so the temporary folders can be removed.
  for (const file of chmodded.splice(0)) await chmod(file, 0o755).catch(() => undefined);
  await removeTempFolders();
});

function command(script: string, cwd: string, args: string[]): Captured {
  const { status, stdout, stderr } = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', env: { ...process.env, COMPANION_KB: '1' } });
  return { code: status ?? -1, stdout, stderr };
}
const adjoint = (cwd: string, ...args: string[]) => command(BIN, cwd, args);
const fakeAdjoint = (cwd: string, ...args: string[]) => command(FAKE, cwd, args);

/** Exit 1, the diagnostic expected, and no stack trace. */
function expectCleanFailure(result: Captured, diagnostic: string | RegExp) {
  expect(result.code).toBe(1);
  if (typeof diagnostic === 'string') expect(result.stderr).toContain(diagnostic);
  else expect(result.stderr).toMatch(diagnostic);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toContain('AD9001');
}

/** Whether this process can write into a folder it has made read-only (root can). */
async function permissionsBindUs(folder: string): Promise<boolean> {
  const probe = path.join(folder, '.probe');
  try {
    await writeFile(probe, '');
    return false;
  } catch {
    return true;
  }
}

describe('odd path names', () => {
  it('handles spaces and non-ASCII names in inputs, folders and --out-dir, with the real compiler', async () => {
    const root = await makeTree({
      'src/my models/énergie cinétique.ts': marked('energy'),
      'src/力学/ばね.ts': marked('spring'),
      'src/emoji 🚀/launch.ts': marked('launch'),
    });
    const result = adjoint(root, '--out-dir', 'gen out/Ω', 'src/my models/énergie cinétique.ts', 'src/力学', 'src/emoji 🚀');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Generated 3 companions from 3 files; 0 errors, 0 warnings.\n');
    expect(await listTree(path.join(root, 'gen out/Ω'))).toEqual(['emoji 🚀/launch.grad.ts', 'my models/énergie cinétique.grad.ts', '力学/ばね.grad.ts']);
    const text = await read(root, 'gen out/Ω/力学/ばね.grad.ts');
    expect(isGeneratedText(text)).toBe(true);
    expect(text).toContain('from ばね.ts');
    expect(adjoint(root, '--check', '--out-dir', 'gen out/Ω', 'src/my models/énergie cinétique.ts', 'src/力学', 'src/emoji 🚀').code).toBe(0);
  });
});

describe('an output location that cannot be written', () => {
  it('reports AD5003 for a read-only folder (where permissions apply), and writes the rest', async (context) => {
    const root = await makeTree({ 'src/a.ts': marked('f'), 'src/locked/b.ts': marked('g') });
    await chmod(path.join(root, 'src/locked'), 0o555);
    chmodded.push(path.join(root, 'src/locked'));
    if (!(await permissionsBindUs(path.join(root, 'src/locked')))) {
      context.skip('running as root, which may write into a read-only folder: see the folder-in-the-way test');
    }
    const result = fakeAdjoint(root, 'src');
    expectCleanFailure(result, "error AD5003: Cannot write 'src/locked/b.grad.ts': EACCES: permission denied");
    expect(result.stdout).toBe('Generated 1 companion from 2 files; 1 error, 0 warnings.\n');
    expect(await listTree(path.join(root, 'src'))).toEqual(['a.grad.ts', 'a.ts', 'locked/b.ts']);
  });

  it('reports AD5003 when a folder stands where a companion should go, and writes the rest', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f'), 'src/b.ts': marked('g') });
    await mkdir(path.join(root, 'out/a.grad.ts'), { recursive: true });
    const result = fakeAdjoint(root, '--out-dir', 'out', 'src');
    expectCleanFailure(result, "error AD5003: Cannot write 'out/a.grad.ts': EISDIR: illegal operation on a directory");
    expect(await listTree(path.join(root, 'out'))).toEqual(['b.grad.ts']);
  });

  it('reports AD5003 when --out-dir is a file', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f'), 'out': 'a file where a folder should be\n' });
    expectCleanFailure(fakeAdjoint(root, '--out-dir', 'out', 'src'), /error AD5003: Cannot write 'out\/a\.grad\.ts': (EEXIST|ENOTDIR)/);
    expect(await read(root, 'out')).toBe('a file where a folder should be\n');
  });
});

describe('inputs that are missing or cannot be read', () => {
  it('reports a missing input path as AD5005 and handles the others', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    const result = fakeAdjoint(root, 'no such folder', 'a.ts', 'gone.ts');
    expectCleanFailure(result, "error AD5005: No such file or directory: 'no such folder'.");
    expect(result.stderr).toContain("error AD5005: No such file or directory: 'gone.ts'.");
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts']);
  });

  it('reports a source that cannot be read (a symbolic link loop) as AD5001', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    await symlink('loop.ts', path.join(root, 'loop.ts'));
    expectCleanFailure(fakeAdjoint(root, 'loop.ts', 'a.ts'), /error AD5001: Cannot read 'loop\.ts': ELOOP/);
    expect(await read(root, 'a.grad.ts')).toContain('a.ts');
  });

  it('reports a source without read permission as AD5001 (where permissions apply)', async (context) => {
    const root = await makeTree({ 'a.ts': marked('f'), 'b.ts': marked('g') });
    await chmod(path.join(root, 'b.ts'), 0o000);
    chmodded.push(path.join(root, 'b.ts'));
    await chmod(root, 0o555);
    chmodded.push(root);
    const bound = await permissionsBindUs(root);
    await chmod(root, 0o755);
    if (!bound) context.skip('running as root, which may read any file: see the symbolic-link-loop test');
    const result = fakeAdjoint(root, '.');
    expectCleanFailure(result, "error AD5001: Cannot read 'b.ts': EACCES: permission denied");
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts', 'b.ts']);
  });

  it('exits 2 on a usage error, with no stack trace', async () => {
    const root = await makeTree({});
    for (const args of [['--watch', '--check', '.'], ['--cache-dir'], ['--no-cache', '--cache-dir', 'c', '.']]) {
      const result = fakeAdjoint(root, ...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: .*\nRun adjoint --help for usage\.\n$/);
    }
  });
});
