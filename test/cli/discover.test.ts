import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverSources } from '../../packages/cli/src/discover.js';
import { makeTree, removeTempFolders } from './helpers.js';

afterEach(removeTempFolders);

const relativeTo = (root: string, files: string[]) => files.map((file) => path.relative(root, file).split(path.sep).join('/'));

describe('discoverSources', () => {
  it('searches folders recursively in a stable order and skips what is not a source', async () => {
    const root = await makeTree({
      'b.ts': '',
      'a.mts': '',
      'nested/deeper/c.cts': '',
      'nested/c.grad.ts': '',
      'types.d.ts': '',
      'notes.md': '',
      'script.js': '',
      'node_modules/pkg/index.ts': '',
      'dist/out.ts': '',
      '.cache/hidden.ts': '',
    });
    const found = await discoverSources([root], root, fs);
    expect(relativeTo(root, found.files)).toEqual(['a.mts', 'b.ts', 'nested/deeper/c.cts']);
    expect(found.diagnostics).toEqual([]);
    expect(found.base).toBe(root);
  });

  it('finds files whose names have spaces and non-ASCII characters', async () => {
    const root = await makeTree({ 'my models/énergie.ts': '', 'my models/力学 model.ts': '' });
    const found = await discoverSources(['.'], root, fs);
    expect(relativeTo(root, found.files)).toEqual(['my models/énergie.ts', 'my models/力学 model.ts']);
  });

  it('reads a file or folder named explicitly even where a search would skip it', async () => {
    const root = await makeTree({ '.config/tool.ts': '', 'dist/keep.ts': '' });
    const found = await discoverSources(['.config/tool.ts', 'dist'], root, fs);
    expect(relativeTo(root, found.files)).toEqual(['.config/tool.ts', 'dist/keep.ts']);
  });

  it('lists a file only once when it is named twice', async () => {
    const root = await makeTree({ 'src/a.ts': '' });
    const found = await discoverSources(['src', 'src/a.ts', './src/a.ts'], root, fs);
    expect(relativeTo(root, found.files)).toEqual(['src/a.ts']);
  });

  it('reports a missing input as AD5005 and keeps the others', async () => {
    const root = await makeTree({ 'a.ts': '' });
    const found = await discoverSources(['nope', 'a.ts', 'a.ts/below'], root, fs);
    expect(relativeTo(root, found.files)).toEqual(['a.ts']);
    expect(found.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['AD5005', "No such file or directory: 'nope'."],
      ['AD5005', "No such file or directory: 'a.ts/below'."],
    ]);
  });

  it('takes as base the deepest folder holding every input', async () => {
    const root = await makeTree({ 'src/physics/a.ts': '', 'src/optics/b.ts': '', 'src/optics/lens/c.ts': '' });
    const base = async (...inputs: string[]) => (await discoverSources(inputs, root, fs)).base;
    expect(await base('src/physics')).toBe(path.join(root, 'src/physics'));
    expect(await base('src/physics/a.ts')).toBe(path.join(root, 'src/physics'));
    expect(await base('src/physics/a.ts', 'src/optics/lens')).toBe(path.join(root, 'src'));
    expect(await base('missing')).toBe(root);
  });
});
