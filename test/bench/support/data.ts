/**
 * Where the ADBench data lives and how to read it. The data is not part of the repository: it sits
 * in `../shared/bench-data/adbench` relative to the repository root (override with ADBENCH_DATA).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const adbenchDir = process.env.ADBENCH_DATA ?? join(repoRoot, '../shared/bench-data/adbench');

/** The path of an ADBench data file, or undefined when it is missing. */
export function adbenchFile(relative: string): string | undefined {
  const path = join(adbenchDir, relative);
  return existsSync(path) ? path : undefined;
}

/** All whitespace-separated numbers of a file (ADBench's readers use fscanf, so line breaks do not matter). */
export function readNumbers(path: string): Float64Array {
  const words = readFileSync(path, 'utf8').split(/\s+/).filter((w) => w.length > 0);
  const out = new Float64Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = Number(words[i]);
  return out;
}

/** ADBench's expected values (golden_values.json), or undefined when missing. */
export function goldenValues(): any {
  const path = adbenchFile('golden_values.json');
  return path ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}
