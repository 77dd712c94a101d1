/**
 * A run that compiles nothing says why: an input with no marked function (AD5007), a .tsx file
 * that marks functions (AD5008). .mts and .cts sources are compiled like .ts.
 */
import { compile } from '@adjoint/core';
import { afterAll, describe, expect, it } from 'vitest';
import { listTree, makeTree, marked, removeTempFolders, runIn } from './helpers.js';

afterAll(removeTempFolders);

describe('inputs that give no companion', () => {
  it('warns AD5007 for a folder without marked functions, and still exits 0', async () => {
    const root = await makeTree({ 'plain/a.ts': 'export const a = 1;\n', 'empty/.keep': '' });
    const result = await runIn(root, { inputs: ['plain', 'empty'] });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("warning AD5007: No function marked @differentiable was found in 'plain'.");
    expect(result.stderr).toContain("warning AD5007: No function marked @differentiable was found in 'empty'.");
  });

  it('says nothing of an input that holds marked functions', async () => {
    const root = await makeTree({ 'src/a.ts': marked('f') });
    const result = await runIn(root, { inputs: ['src'] });
    expect(result.stderr).not.toContain('AD5007');
  });

  it('names a .tsx file with marks (AD5008), and not one without', async () => {
    const root = await makeTree({ 'src/view.tsx': marked('f'), 'src/other.tsx': 'export const x = 1;\n', 'src/model.ts': marked('g') });
    const result = await runIn(root, { inputs: ['src'] });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("warning AD5008: 'src/view.tsx' marks functions @differentiable, but .tsx and .jsx files are not compiled");
    expect(result.stderr).not.toContain('other.tsx');
  });

  it('compiles .mts and .cts sources into .grad.mts and .grad.cts companions', async () => {
    const root = await makeTree({ 'src/a.mts': marked('f'), 'src/b.cts': marked('g') });
    const result = await runIn(root, { inputs: ['src'] }, { compile });
    expect(result.code, result.stderr).toBe(0);
    expect(await listTree(root)).toEqual(expect.arrayContaining(['src/a.grad.mts', 'src/b.grad.cts']));
  });
});
