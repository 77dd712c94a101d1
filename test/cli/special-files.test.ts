/**
 * Files that are not regular files, and sources not in UTF-8 (issue 19, item 14). The CLI reads and
 * writes only regular files: a FIFO where a companion goes would block the run for ever, and a
 * symbolic link to /dev/zero would be read until memory runs out. A source in UTF-16 with a
 * byte-order mark, which tsc reads, is decoded as tsc decodes it (it yielded nothing before).
 */
import { execFileSync } from 'node:child_process';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { compile, companionToJavaScript } from '@adjoint/core';
import { listTree, makeTree, marked, read, removeTempFolders, runIn } from './helpers.js';

afterEach(removeTempFolders);

const mkfifo = (file: string) => execFileSync('mkfifo', [file]);

describe('files that are not regular files', () => {
  it('reports a FIFO where a companion goes as AD5003, and writes the rest', async () => {
    const root = await makeTree({ 'a.ts': marked('f'), 'b.ts': marked('g') });
    mkfifo(path.join(root, 'b.grad.ts'));
    const { code, stderr } = await runIn(root, { inputs: ['.'] });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5003: Cannot write 'b.grad.ts': ENOTREG: not a regular file but a FIFO");
    expect(await read(root, 'a.grad.ts')).toContain('grad_f');
    // --check does not read it either
    const check = await runIn(root, { inputs: ['.'], check: true });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("error AD5001: Cannot read 'b.grad.ts': ENOTREG: not a regular file but a FIFO");
  });

  it('reports a FIFO named as a source as AD5001', async () => {
    const root = await makeTree({ 'a.ts': marked('f') });
    mkfifo(path.join(root, 'pipe.ts'));
    const { code, stderr } = await runIn(root, { inputs: ['pipe.ts', 'a.ts'] });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5001: Cannot read 'pipe.ts': ENOTREG: not a regular file but a FIFO");
    expect(await read(root, 'a.grad.ts')).toContain('grad_f');
  });

  it('does not read a symbolic link to /dev/zero, as a source or as a companion', async () => {
    const root = await makeTree({ 'a.ts': marked('f'), 'b.ts': marked('g') });
    await symlink('/dev/zero', path.join(root, 'zero.ts'));
    await symlink('/dev/zero', path.join(root, 'b.grad.ts'));
    const { code, stderr } = await runIn(root, { inputs: ['zero.ts', 'a.ts', 'b.ts'] });
    expect(code).toBe(1);
    expect(stderr).toContain("error AD5001: Cannot read 'zero.ts': ENOTREG: not a regular file but a character device");
    expect(stderr).toContain("error AD5003: Cannot write 'b.grad.ts': ENOTREG: not a regular file but a character device");
    expect(await listTree(root)).toEqual(['a.grad.ts', 'a.ts', 'b.ts']);
  });
});

/** `text` in UTF-16 with its byte-order mark, little or big endian. */
function utf16(text: string, endian: 'le' | 'be'): Buffer {
  const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return endian === 'le' ? bytes : bytes.swap16();
}

describe('sources in UTF-16', () => {
  it('compiles a UTF-16 source with a byte-order mark, and the UTF-16 module it imports', async () => {
    const root = await makeTree({});
    const helper = 'export function cube(x: number): number {\n  return x * x * x; // x³\n}\n';
    const source = "import { cube } from './helper';\n/** @differentiable */\nexport function f(x: number): number {\n  return cube(x) + 2 * x; // ∂f/∂x = 3x² + 2\n}\n";
    await writeFile(path.join(root, 'model.ts'), utf16(source, 'le'));
    await writeFile(path.join(root, 'helper.ts'), utf16(helper, 'be'));
    const { code, stdout, stderr } = await runIn(root, { inputs: ['.'], cache: false }, { compile });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Generated 1 companion from 2 files');
    const companion = await readFile(path.join(root, 'model.grad.ts'), 'utf8');
    // the helper was read through the compiler's host, decoded: ∂f/∂x at 2 is 3·4 + 2
    const javaScript = path.join(root, 'model.grad.mjs');
    await writeFile(javaScript, companionToJavaScript(companion, 'model.grad.ts').code);
    const { grad_f } = (await import(pathToFileURL(javaScript).href)) as { grad_f: (x: number) => { x: number } };
    expect(grad_f(2).x).toBe(14);
  });
});
