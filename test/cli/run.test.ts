import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiagnostic, type CompileResult, type SourceFile } from '@adjoint/core';
import type { FileSystem } from '../../packages/cli/src/index.js';
import { fakeCompile, listTree, makeTree, marked, read, removeTempFolders, runIn } from './helpers.js';

afterEach(removeTempFolders);

describe('generating companions', () => {
  it('writes each companion beside its source, whatever the characters in its path', async () => {
    const root = await makeTree({
      'src/my models/énergie.ts': marked('energy'),
      'src/力学/spring.ts': marked('spring'),
      'src/plain.ts': 'export const unmarked = 1;\n',
    });
    const { code, stdout, stderr } = await runIn(root, { inputs: ['src'] });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(await listTree(root)).toEqual([
      'src/my models/énergie.grad.ts',
      'src/my models/énergie.ts',
      'src/plain.ts',
      'src/力学/spring.grad.ts',
      'src/力学/spring.ts',
    ]);
    expect(await read(root, 'src/力学/spring.grad.ts')).toContain('export function grad_spring');
    expect(stdout).toBe('Generated 2 companions from 3 files; 0 errors, 0 warnings.\n');
  });

  it('hands the compiler only the files that mention the mark, with their text', async () => {
    const root = await makeTree({ 'a.ts': marked('f'), 'b.ts': 'export const b = 2;\n' });
    const compile = vi.fn(fakeCompile);
    await runIn(root, { inputs: ['.'] }, { compile });
    expect(compile).toHaveBeenCalledTimes(1);
    expect(compile.mock.calls[0]![0]).toEqual([{ path: path.join(root, 'a.ts'), text: marked('f'), companionPath: path.join(root, 'a.grad.ts') }]);
  });

  it('passes --checkpoint-loops to the compiler, and compiles again when it is turned off (the cache keys differ)', async () => {
    // a package.json gives the cache a home (node_modules/.cache/adjoint)
    const root = await makeTree({ 'package.json': '{}\n', 'a.ts': marked('f') });
    const compile = vi.fn(fakeCompile);
    const environment = { compile, compilerVersion: async () => 'test compiler 1' };
    await runIn(root, { inputs: ['.'], checkpointLoops: true }, environment);
    expect(compile.mock.calls[0]![1]).toMatchObject({ checkpointLoops: true, runtime: 'inline' });
    await runIn(root, { inputs: ['.'], checkpointLoops: true }, environment);
    expect(compile).toHaveBeenCalledTimes(1);
    await runIn(root, { inputs: ['.'] }, environment);
    expect(compile).toHaveBeenCalledTimes(2);
    expect(compile.mock.calls[1]![1]).toMatchObject({ checkpointLoops: false, runtime: 'inline' });
  });

  it('does not start the compiler when no file is marked', async () => {
    const root = await makeTree({ 'a.ts': 'export {};\n' });
    const compile = vi.fn(fakeCompile);
    const { code, stdout, stderr } = await runIn(root, { inputs: ['.'] }, { compile });
    expect(compile).not.toHaveBeenCalled();
    expect(code).toBe(0);
    expect(stdout).toBe('Generated 0 companions from 1 file; 0 errors, 1 warning.\n');
    expect(stderr).toContain("warning AD5007: No function marked @differentiable was found in '.'.");
  });

  it('writes nothing on a second run and leaves the bytes and mtimes alone', async () => {
    const root = await makeTree({ 'a.ts': marked('f'), 'sub/b.ts': marked('g') });
    await runIn(root, { inputs: ['.'] });
    const before = await snapshot(root, ['a.grad.ts', 'sub/b.grad.ts']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await runIn(root, { inputs: ['.'] });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('Generated 2 companions (2 unchanged) from 2 files; 0 errors, 0 warnings.\n');
    expect(await snapshot(root, ['a.grad.ts', 'sub/b.grad.ts'])).toEqual(before);
  });

  it('replaces a companion it generated earlier when the source changes', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    await runIn(root, { inputs: ['a.ts'] });
    await fs.writeFile(path.join(root, 'a.ts'), marked('renamed'));
    const { code, stdout } = await runIn(root, { inputs: ['a.ts'] });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Generated 1 companion from 1 file;/);
    expect(await read(root, 'a.grad.ts')).toContain('grad_renamed');
  });
});

describe('--out-dir', () => {
  it('mirrors the sources below the input folder', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f'), 'src/deep/er/b.ts': marked('g') });
    const { code } = await runIn(root, { inputs: ['src'], outDir: 'generated/grads' });
    expect(code).toBe(0);
    expect((await listTree(root)).filter((file) => file.startsWith('generated/'))).toEqual([
      'generated/grads/a.grad.ts',
      'generated/grads/deep/er/b.grad.ts',
    ]);
    expect(await listTree(path.join(root, 'src'))).toEqual(['a.ts', 'deep/er/b.ts']);
  });

  it('mirrors files named one by one below their common folder', async () => {
    const root = await makeTree({ 'src/physics/a.ts': marked('f'), 'src/optics/lens/b.ts': marked('g') });
    await runIn(root, { inputs: ['src/physics/a.ts', 'src/optics/lens/b.ts'], outDir: 'out' });
    expect((await listTree(root)).filter((file) => file.startsWith('out/'))).toEqual([
      'out/optics/lens/b.grad.ts',
      'out/physics/a.grad.ts',
    ]);
  });

  it('puts the companion of a single file directly under the folder', async () => {
    const root = await makeTree({ 'src/physics/a.ts': marked('f') });
    await runIn(root, { inputs: ['src/physics/a.ts'], outDir: 'out' });
    expect(await read(root, 'out/a.grad.ts')).toContain('grad_f');
  });
});

describe('--check', () => {
  it('exits 1 with AD5004 for a missing companion and writes nothing', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    const { code, stdout, stderr } = await runIn(root, { inputs: ['.'], check: true });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5004: 'a.grad.ts' is missing or out of date.");
    expect(stdout).toBe('Checked 1 companion (1 stale) from 1 file; 1 error, 0 warnings.\n');
    expect(await listTree(root)).toEqual(['a.ts']);
  });

  it('exits 1 for a companion that differs from what would be generated, and leaves it as it is', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    await runIn(root, { inputs: ['.'] });
    await fs.writeFile(path.join(root, 'a.ts'), marked('g'));
    const before = await read(root, 'a.grad.ts');
    const { code, stderr } = await runIn(root, { inputs: ['.'], check: true });
    expect(code).toBe(1);
    expect(stderr).toContain('AD5004');
    expect(await read(root, 'a.grad.ts')).toBe(before);
  });

  it('exits 0 when every companion is up to date', async () => {
    const root = await makeTree({ 'a.ts': marked('f'), 'b.ts': marked('g') });
    await runIn(root, { inputs: ['.'] });
    const { code, stdout, stderr } = await runIn(root, { inputs: ['.'], check: true });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('Checked 2 companions from 2 files; 0 errors, 0 warnings.\n');
  });

  it('checks the companions under --out-dir', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f') });
    await runIn(root, { inputs: ['src'], outDir: 'out' });
    expect((await runIn(root, { inputs: ['src'], outDir: 'out', check: true })).code).toBe(0);
    expect((await runIn(root, { inputs: ['src'], check: true })).code).toBe(1);
  });
});

describe('errors', () => {
  it('gives a file with errors no companion and still generates the others', async () => {
    const root = await makeTree({ 'bad.ts': `${marked('f')}const y = BROKEN;\n`, 'good.ts': marked('g') });
    const { code, stdout, stderr } = await runIn(root, { inputs: ['.'] });
    expect(code).toBe(1);
    expect(await listTree(root)).toEqual(['bad.ts', 'good.grad.ts', 'good.ts']);
    // tsc-style, relative to the working directory, with a code frame from the text that was read.
    expect(stderr).toContain("bad.ts:5:11 - error AD1002: 'BROKEN' is not supported");
    expect(stderr).toContain('5 const y = BROKEN;\n            ~~~~~~');
    expect(stdout).toBe('Generated 1 companion from 2 files; 1 error, 0 warnings.\n');
  });

  it('shows paths relative to the working directory when it is not the input folder', async () => {
    const root = await makeTree({ 'pkg/src/bad.ts': `${marked('f')}BROKEN\n` });
    const { stderr } = await runIn(path.join(root, 'pkg'), { inputs: ['src'] });
    expect(stderr).toMatch(/^src\/bad\.ts:5:1 - error AD1002/);
  });

  it('exits 0 when there are only warnings', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    const compile = async (files: SourceFile[]): Promise<CompileResult> => {
      const result = await fakeCompile(files);
      result.diagnostics.push(createDiagnostic('AD2004', { function: 'f', parameter: 'x' }));
      return result;
    };
    const { code, stdout, stderr } = await runIn(root, { inputs: ['.'] }, { compile });
    expect(code).toBe(0);
    expect(stderr).toContain('warning AD2004');
    expect(stdout).toBe('Generated 1 companion from 1 file; 0 errors, 1 warning.\n');
  });

  it('refuses to overwrite a file Adjoint did not generate, and writes the other companions', async () => {
    const handWritten = 'export const mine = true;\n';
    const root = await makeTree({ 'a.ts': marked('f'), 'a.grad.ts': handWritten, 'b.ts': marked('g') });
    const { code, stderr } = await runIn(root, { inputs: ['.'] });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5002: Refusing to overwrite 'a.grad.ts'");
    expect(await read(root, 'a.grad.ts')).toBe(handWritten);
    expect(await read(root, 'b.grad.ts')).toContain('grad_g');
  });

  it('refuses to overwrite a file whose first line only starts like the generated header', async () => {
    const lookalike = '// @generated by Adjointxyz from a.ts. Do not edit: run `adjoint` to regenerate.\nexport const mine = true;\n';
    const root = await makeTree({ 'a.ts': marked('f'), 'a.grad.ts': lookalike });
    const { code, stderr } = await runIn(root, { inputs: ['.'] });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5002: Refusing to overwrite 'a.grad.ts'");
    expect(await read(root, 'a.grad.ts')).toBe(lookalike);
  });

  it('reports a missing input as AD5005, exits 1 and still handles the other inputs', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    const { code, stderr } = await runIn(root, { inputs: ['missing.ts', 'a.ts'] });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5005: No such file or directory: 'missing.ts'.");
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts']);
  });

  it('reports a source it cannot read as AD5001', async () => {
    const root = await makeTree({ 'a.ts': marked('f'), 'b.ts': marked('g') });
    const failing: FileSystem = {
      ...fs,
      readFile: async (file) => {
        if (file.endsWith('b.ts')) throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
        return fs.readFile(file);
      },
    };
    const { code, stderr } = await runIn(root, { inputs: ['.'] }, { fs: failing });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5001: Cannot read 'b.ts': EACCES: permission denied");
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts', 'b.ts']);
  });
});

describe('atomic writes', () => {
  it('leaves no temporary files behind', async () => {
    const root = await makeTree({ 'a.ts': marked('f'), 'sub/b.ts': marked('g') });
    await runIn(root, { inputs: ['.'], outDir: 'out' });
    await fs.writeFile(path.join(root, 'a.ts'), marked('h'));
    await runIn(root, { inputs: ['.'], outDir: 'out' });
    expect(await listTree(root)).toEqual(['a.ts', 'out/a.grad.ts', 'out/sub/b.grad.ts', 'sub/b.ts']);
  });

  it('removes the temporary file and keeps the old companion when the rename fails', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    await runIn(root, { inputs: ['.'] });
    const before = await read(root, 'a.grad.ts');
    await fs.writeFile(path.join(root, 'a.ts'), marked('g'));
    const failing: FileSystem = {
      ...fs,
      rename: async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, rename'), { code: 'ENOSPC' });
      },
    };
    const { code, stderr } = await runIn(root, { inputs: ['.'] }, { fs: failing });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5003: Cannot write 'a.grad.ts': ENOSPC: no space left on device");
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts']);
    expect(await read(root, 'a.grad.ts')).toBe(before);
  });

  it('reports AD5003 when the output folder cannot be created', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f'), 'out': 'a file where a folder should be' });
    const { code, stderr } = await runIn(root, { inputs: ['src'], outDir: 'out' });
    expect(code).toBe(1);
    // mkdir says EEXIST, "file already exists", as if the companion were there
    expect(stderr).toContain("error AD5003: Cannot write 'out/a.grad.ts': 'out' is not a folder");
  });

  it('names the file on the way that is not a folder, and /dev/full', async () => {
    const root = await makeTree({ 'src/deep/a.ts': marked('f'), out: 'a file' });
    const nested = await runIn(root, { inputs: ['src'], outDir: 'out/gen' });
    expect(nested.stderr).toContain("error AD5003: Cannot write 'out/gen/deep/a.grad.ts': 'out' is not a folder");
    const device = await runIn(root, { inputs: ['src'], outDir: '/dev/full' });
    expect(device.code).toBe(1);
    expect(device.stderr).toMatch(/error AD5003: Cannot write '(\.\.\/)*dev\/full\/deep\/a\.grad\.ts': '(\.\.\/)*dev\/full' is not a folder\n/);
  });

  it('removes the temporary files a killed run left, but not those of a run still writing', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const alive = process.ppid;
    const root = await makeTree({
      'a.ts': marked('f'),
      [`a.grad.ts.${dead}.0123456789ab.tmp`]: 'half a compan',
      [`sub/b.grad.ts.${dead}.ba9876543210.tmp`]: 'half',
      [`a.grad.ts.${alive}.00000000000a.tmp`]: 'being written',
      [`notes.txt.${dead}.0123456789ab.tmp`]: 'not ours',
      [`out/c.grad.ts.${dead}.0123456789ab.tmp`]: 'under --out-dir',
      'src/c.ts': marked('g'),
    });
    const tree = () => listTree(root);
    // --check writes and removes nothing
    await runIn(root, { inputs: ['.'], check: true });
    expect(await tree()).toContain(`a.grad.ts.${dead}.0123456789ab.tmp`);
    // only the folders searched: sub/, not the root
    await runIn(root, { inputs: ['sub', 'src'] });
    expect(await tree()).not.toContain(`sub/b.grad.ts.${dead}.ba9876543210.tmp`);
    expect(await tree()).toContain(`a.grad.ts.${dead}.0123456789ab.tmp`);
    // the mirror of the inputs under --out-dir
    await runIn(root, { inputs: ['src'], outDir: 'out' });
    expect(await listTree(path.join(root, 'out'))).toEqual(['c.grad.ts']);
    await runIn(root, { inputs: ['.'] });
    expect(await tree()).toEqual(['a.grad.ts', `a.grad.ts.${alive}.00000000000a.tmp`, 'a.ts', `notes.txt.${dead}.0123456789ab.tmp`, 'out/c.grad.ts', 'src/c.grad.ts', 'src/c.ts']);
  });

  it("removes a killed run's temporary files beside the companion of a file named on the command line", async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const root = await makeTree({
      'a.ts': marked('f'),
      'b.ts': marked('g'),
      [`a.grad.ts.${dead}.0123456789ab.tmp`]: 'half a compan',
      [`b.grad.ts.${dead}.0123456789ab.tmp`]: 'not named, not searched',
      [`out/a.grad.ts.${dead}.0123456789ab.tmp`]: 'under --out-dir',
    });
    await runIn(root, { inputs: ['a.ts'] });
    await runIn(root, { inputs: ['a.ts'], outDir: 'out' });
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts', `b.grad.ts.${dead}.0123456789ab.tmp`, 'b.ts', 'out/a.grad.ts']);
  });
});

async function snapshot(root: string, files: string[]) {
  return Promise.all(
    files.map(async (file) => ({ file, text: await read(root, file), mtime: (await fs.stat(path.join(root, file))).mtimeMs })),
  );
}
