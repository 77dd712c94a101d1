/**
 * What identifies the compiler for the cache: a companion cached by one build of Adjoint is never
 * reused by another. The version numbers alone would not do while the compiler is developed (its
 * code changes between releases), so the hash covers the compiled code of `@adjoint/core` and its
 * package.json (which pins prettier and ts-morph, both of which shape the output).
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashParts } from './hash.js';

let fingerprint: Promise<string> | undefined;

/** The fingerprint of the `@adjoint/core` this process loads; computed once per process. */
export function compilerFingerprint(): Promise<string> {
  fingerprint ??= computeFingerprint();
  return fingerprint;
}

async function computeFingerprint(): Promise<string> {
  try {
    const entry = fileURLToPath(import.meta.resolve('@adjoint/core'));
    const codeFolder = path.dirname(entry);
    const parts = ['@adjoint/core', await readFile(path.join(codeFolder, '..', 'package.json'), 'utf8')];
    const files = (await readdir(codeFolder, { recursive: true, withFileTypes: true }))
      .filter((file) => file.isFile() && /\.(m|c)?js$/.test(file.name))
      .map((file) => path.join(file.parentPath, file.name))
      .sort();
    for (const file of files) parts.push(path.relative(codeFolder, file), await readFile(file, 'utf8'));
    return hashParts(parts);
  } catch {
    // The compiler's code cannot be found (an unusual installation): a fingerprint of this process
    // only, so that nothing cached by another process is trusted.
    return hashParts(['unknown compiler', String(process.pid), String(Date.now()), String(Math.random())]);
  }
}
