/**
 * The content-hash cache: a re-run compiles only the sources whose companion could have changed,
 * and a wrong or stale cache never leaves a stale companion behind.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compile, createDiagnostic, type CompileOptions, type CompileResult, type SourceFile } from '@adjoint/core';
import type { FileSystem } from '../../packages/cli/src/index.js';
import { writeSourceTree } from '../support/source-tree.js';
import { fakeCompile, listTree, makeTree, marked, read, removeTempFolders, runIn } from './helpers.js';

afterEach(removeTempFolders);

const CACHE = 'node_modules/.cache/adjoint/companions.json';

/** A project (it has a package.json, so the cache lives in its node_modules/.cache). */
const project = (files: Record<string, string>) => makeTree({ 'package.json': '{}\n', ...files });

/** The fake compiler, with a record of the files each call was given (relative to `root`). */
function spyCompiler(root: string, inner: (files: SourceFile[], options?: CompileOptions) => Promise<CompileResult> = fakeCompile) {
  const calls: string[][] = [];
  const spy = vi.fn(async (files: SourceFile[], options?: CompileOptions) => {
    calls.push(files.map((f) => path.relative(root, f.path).split(path.sep).join('/')));
    return inner(files, options);
  });
  return { compile: spy as unknown as typeof compile, calls, compilerVersion: async () => 'test compiler 1' };
}

const touch = async (root: string, file: string, text: string) => fs.writeFile(path.join(root, file), text);

describe('the cache', () => {
  it('compiles nothing on a re-run, says so, and keeps the companions', async () => {
    const root = await project({ 'a.ts': marked('f'), 'sub/b.ts': marked('g') });
    const compiler = spyCompiler(root);
    const first = await runIn(root, { inputs: ['.'] }, compiler);
    expect(first.stdout).toBe('Generated 2 companions from 2 files; 0 errors, 0 warnings.\n');
    expect(await listTree(root)).toContain(CACHE);
    const second = await runIn(root, { inputs: ['.'] }, compiler);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('Generated 2 companions (2 unchanged, 2 cached) from 2 files; 0 errors, 0 warnings.\n');
    expect(compiler.calls).toEqual([['a.ts', 'sub/b.ts']]);
  });

  it('recompiles only the touched file of a 40-file tree, in one batch', async () => {
    const root = await project({});
    const tree = await writeSourceTree(root, { files: 40, functionsPerFile: 2, filesPerFolder: 10 });
    const compiler = spyCompiler(root);
    await runIn(root, { inputs: ['src'] }, compiler);
    expect(compiler.calls).toHaveLength(1);
    expect(compiler.calls[0]).toHaveLength(40);

    const touched = tree.sources[17]!;
    await touch(root, touched, `${await read(root, touched)}\n// touched\n`);
    const second = await runIn(root, { inputs: ['src'] }, compiler);
    expect(compiler.calls[1]).toEqual([touched]);
    // A comment does not change the fake compiler's output: compiled again, found unchanged.
    expect(second.stdout).toMatch(/^Generated 40 companions \(40 unchanged, 39 cached\) from 44 files;/);

    await runIn(root, { inputs: ['src'] }, compiler);
    expect(compiler.calls).toHaveLength(2);
  });

  it('recompiles every file that reaches a changed module through its imports, and only those', async () => {
    const root = await project({
      'a.ts': `import { h } from './lib/mid';\n${marked('f')}`,
      'b.ts': `import { k } from './lib/other.js';\n${marked('g')}`,
      'c.ts': marked('unrelated'),
      'lib/mid.ts': `export { deep } from './deep';\nexport function h(x: number): number { return x; }\n`,
      'lib/deep.ts': 'export function deep(x: number): number { return x; }\n',
      'lib/other.ts': 'export function k(x: number): number { return x; }\n',
    });
    const compiler = spyCompiler(root);
    await runIn(root, { inputs: ['.'] }, compiler);
    await touch(root, 'lib/deep.ts', 'export function deep(x: number): number { return 2 * x; }\n');
    await runIn(root, { inputs: ['.'] }, compiler);
    expect(compiler.calls[1]).toEqual(['a.ts']);
    await touch(root, 'lib/other.ts', 'export function k(x: number): number { return 3 * x; }\n');
    await runIn(root, { inputs: ['.'] }, compiler);
    expect(compiler.calls[2]).toEqual(['b.ts']);
  });

  it('notices a module appearing where an import looked for one', async () => {
    const root = await project({ 'a.ts': `import { h } from './helper';\n${marked('f')}`, 'helper/index.ts': 'export const h = 1;\n' });
    const compiler = spyCompiler(root);
    await runIn(root, { inputs: ['a.ts'] }, compiler);
    // './helper' meant helper/index.ts; now helper.ts comes first.
    await touch(root, 'helper.ts', 'export const h = 2;\n');
    await runIn(root, { inputs: ['a.ts'] }, compiler);
    expect(compiler.calls).toEqual([['a.ts'], ['a.ts']]);
  });

  it('recompiles a source whose companion was edited, deleted or replaced since', async () => {
    const root = await project({ 'a.ts': marked('f'), 'b.ts': marked('g'), 'c.ts': marked('h') });
    const compiler = spyCompiler(root);
    await runIn(root, { inputs: ['.'] }, compiler);
    const original = await read(root, 'a.grad.ts');
    await touch(root, 'a.grad.ts', `${original}// edited by hand\n`);
    await fs.rm(path.join(root, 'b.grad.ts'));
    const { code } = await runIn(root, { inputs: ['.'] }, compiler);
    expect(code).toBe(0);
    expect(compiler.calls[1]).toEqual(['a.ts', 'b.ts']);
    expect(await read(root, 'a.grad.ts')).toBe(original);
    expect(await read(root, 'b.grad.ts')).toContain('grad_g');
  });

  it('drops the whole cache when the compiler changes', async () => {
    const root = await project({ 'a.ts': marked('f'), 'b.ts': marked('g') });
    const compiler = spyCompiler(root);
    await runIn(root, { inputs: ['.'] }, compiler);
    await runIn(root, { inputs: ['.'] }, { ...compiler, compilerVersion: async () => 'test compiler 2' });
    expect(compiler.calls).toEqual([
      ['a.ts', 'b.ts'],
      ['a.ts', 'b.ts'],
    ]);
  });

  it('treats a corrupt or foreign cache file as empty', async () => {
    for (const contents of ['{"format":1,"compiler":"test compiler 1","entr', '[]', '{"format":1,"compiler":"test compiler 1","entries":{"x":5}}']) {
      const root = await project({ 'a.ts': marked('f'), [CACHE]: contents });
      const compiler = spyCompiler(root);
      const { code, stderr } = await runIn(root, { inputs: ['.'] }, compiler);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(compiler.calls).toEqual([['a.ts']]);
      expect(JSON.parse(await read(root, CACHE)).entries[path.join(root, 'a.ts')].functions).toEqual(['f']);
    }
  });

  it('never hides a stale companion from --check, even when the cache lies', async () => {
    const root = await project({ 'a.ts': marked('f') });
    const compiler = spyCompiler(root);
    await runIn(root, { inputs: ['.'] }, compiler);
    // Change the source and forge the cache so that it claims the new source is up to date.
    const cacheBefore = await read(root, CACHE);
    await touch(root, 'a.ts', marked('renamed'));
    await runIn(root, { inputs: ['.'] }, compiler);
    const forged = JSON.parse(await read(root, CACHE));
    const stale = JSON.parse(cacheBefore).entries[path.join(root, 'a.ts')];
    forged.entries[path.join(root, 'a.ts')].companion = stale.companion;
    await touch(root, 'a.grad.ts', await fakeCompanionText(root, 'f'));
    await touch(root, CACHE, JSON.stringify(forged));

    const fooled = await runIn(root, { inputs: ['.'] }, compiler);
    expect(fooled.stdout).toContain('(1 unchanged, 1 cached)');
    const check = await runIn(root, { inputs: ['.'], check: true }, compiler);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("error AD5004: 'a.grad.ts' is missing or out of date.");
    expect(compiler.calls.at(-1)).toEqual(['a.ts']);
  });

  it('is not used with --no-cache, and lives in --cache-dir when given', async () => {
    const root = await project({ 'a.ts': marked('f') });
    const compiler = spyCompiler(root);
    await runIn(root, { inputs: ['.'], cache: false }, compiler);
    await runIn(root, { inputs: ['.'], cache: false }, compiler);
    expect(compiler.calls).toHaveLength(2);
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts', 'package.json']);

    await runIn(root, { inputs: ['a.ts'], cacheDir: 'my cache' }, compiler);
    const again = await runIn(root, { inputs: ['a.ts'], cacheDir: 'my cache' }, compiler);
    expect(again.stdout).toContain('(1 unchanged, 1 cached)');
    expect(await listTree(root)).toContain('my cache/companions.json');
  });

  it('keeps no cache file outside a package unless --cache-dir says where', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    const compiler = spyCompiler(root);
    await runIn(root, { inputs: ['.'] }, compiler);
    await runIn(root, { inputs: ['.'] }, compiler);
    expect(compiler.calls).toHaveLength(2);
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts']);
  });

  it('prints the warnings of a cached file again, and recompiles a file that had errors', async () => {
    const root = await project({ 'a.ts': marked('f'), 'bad.ts': `${marked('g')}BROKEN\n` });
    const warn = async (files: SourceFile[]): Promise<CompileResult> => {
      const result = await fakeCompile(files);
      const a = files.find((f) => f.path.endsWith('a.ts'));
      if (a) result.diagnostics.push(createDiagnostic('AD2004', { function: 'f', parameter: 'x' }, { file: a.path, line: 2, column: 19, length: 9 }));
      return result;
    };
    const compiler = spyCompiler(root, warn);
    const first = await runIn(root, { inputs: ['.'] }, compiler);
    const second = await runIn(root, { inputs: ['.'] }, compiler);
    expect(compiler.calls).toEqual([['a.ts', 'bad.ts'], ['bad.ts']]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(first.stderr);
    expect(second.stderr).toContain("a.ts:2:19 - warning AD2004: The result of 'f' does not depend on 'x'");
    expect(second.stdout).toBe('Generated 1 companion (1 unchanged, 1 cached) from 2 files; 1 error, 1 warning.\n');
  });

  it('still counts the cached companions when the compiler crashes on another file, and caches nothing it compiled then', async () => {
    const root = await project({ 'a.ts': marked('f'), 'b.ts': marked('g') });
    const crashing = async (files: SourceFile[]): Promise<CompileResult> => {
      if (files.some((file) => file.text?.includes('CRASH'))) throw new Error('the tape ran out');
      return fakeCompile(files);
    };
    const compiler = spyCompiler(root, crashing);
    await runIn(root, { inputs: ['.'] }, compiler);
    await touch(root, 'b.ts', `${marked('g')}// CRASH\n`);
    const crashed = await runIn(root, { inputs: ['.'] }, compiler);
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toContain("error AD9001: Internal error in Adjoint while compiling 'b.ts': the tape ran out");
    expect(crashed.stdout).toBe('Generated 1 companion (1 unchanged, 1 cached) from 2 files; 1 error, 0 warnings.\n');
    await touch(root, 'b.ts', marked('h'));
    await runIn(root, { inputs: ['.'] }, compiler);
    expect(compiler.calls).toEqual([['a.ts', 'b.ts'], ['b.ts'], ['b.ts']]);
    expect(await read(root, 'b.grad.ts')).toContain('grad_h');
  });

  it('warns (AD5006) and still succeeds when the cache cannot be saved', async () => {
    const root = await project({ 'a.ts': marked('f') });
    const failing: FileSystem = {
      ...fs,
      rename: async (from, to) => {
        if (to.endsWith('companions.json')) throw Object.assign(new Error(`EROFS: read-only file system, rename '${from}'`), { code: 'EROFS' });
        return fs.rename(from, to);
      },
    };
    const { code, stderr, stdout } = await runIn(root, { inputs: ['.'] }, { ...spyCompiler(root), fs: failing });
    expect(code).toBe(0);
    expect(stderr).toContain(`warning AD5006: Cannot save the cache '${CACHE}': EROFS: read-only file system`);
    expect(stdout).toBe('Generated 1 companion from 1 file; 0 errors, 1 warning.\n');
    expect(await read(root, 'a.grad.ts')).toContain('grad_f');
  });
});

describe('the cache with the real compiler', () => {
  it('gives a file the companion a full run gives, whatever other files are compiled with it', async () => {
    // A derivative rule applies to the files that import its module (directly or not): b.ts
    // brings rules.ts into the program, but a.ts does not import it, so a.ts's companion does not
    // use it, whether a.ts is compiled alone (after a touch) or with b.ts (a full run).
    const root = await project({
      'lse.ts': 'export function logSumExp(xs: number[]): number {\n  let s = 0;\n  for (const x of xs) s += Math.exp(x);\n  return Math.log(s);\n}\n',
      'rules.ts':
        "import { logSumExp } from './lse';\n/** @adjointOf logSumExp */\nexport function logSumExpAdjoint(xs: number[], dResult: number): { xs: number[] } {\n  return { xs: xs.map((x) => dResult * x) };\n}\n",
      'a.ts': "import { logSumExp } from './lse';\n/** @differentiable */\nexport function f(xs: number[]): number {\n  return logSumExp(xs);\n}\n",
      'b.ts': "import { logSumExpAdjoint } from './rules';\n/** @differentiable */\nexport function g(x: number): number {\n  return x * x;\n}\n",
    });
    const compiler = { ...spyCompiler(root, compile), compilerVersion: async () => 'real' };
    expect((await runIn(root, { inputs: ['.'] }, compiler)).code).toBe(0);
    const full = await read(root, 'a.grad.ts');
    expect(full).not.toContain('logSumExpAdjoint');

    await touch(root, 'a.ts', `${await read(root, 'a.ts')}// touched\n`);
    await runIn(root, { inputs: ['.'] }, compiler);
    expect(compiler.calls[1]).toContain('a.ts');
    expect((await read(root, 'a.grad.ts')).replace(/a\.ts:\d+/g, '')).toBe(full.replace(/a\.ts:\d+/g, ''));
    expect((await runIn(root, { inputs: ['.'], check: true }, compiler)).code).toBe(0);
  });
});

async function fakeCompanionText(root: string, name: string): Promise<string> {
  const result = await fakeCompile([{ path: path.join(root, 'a.ts'), text: marked(name) }]);
  return result.outputs[0]!.text;
}
