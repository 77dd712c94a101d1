/**
 * Companions left behind: one Adjoint generated from a source that no longer marks a function (the
 * mark deleted, turned into `// @differentiable`, misspelt), or whose source no longer exists. A run
 * removes them, `--check` reports them (AD5009), and `--watch` removes them as the changes come, so
 * that an old gradient is never served after its mark is gone.
 *
 * Only a file whose first line is exactly Adjoint's header is ever touched, and only in the folders
 * a run covers: beside the sources of its input folders, or their mirror under `--out-dir`, and
 * the companion of each input file. A companion that no source of this run claims is removed only
 * when the source its header names does not exist (a companion written under `--out-dir` by an
 * earlier run, found beside the sources, names its source elsewhere and is left alone).
 */
import * as path from 'node:path';
import { createDiagnostic, generatedFrom, isGeneratedText, type Diagnostic } from '@adjoint/core';
import { searchFolder } from './discover.js';
import { describeError, errorCode, isFolder, readTextIfExists, type FileSystem } from './file-system.js';
import { displayPath } from './paths.js';

export interface LeftBehind {
  /** The companion (absolute). */
  target: string;
  /** Its source (absolute). */
  source: string;
  /** unmarked: the source marks no function; deleted: the source does not exist. */
  reason: 'unmarked' | 'deleted';
}

export interface Coverage {
  /** Every source discovered in this run, with where its companion goes. */
  targets: ReadonlyMap<string, string>;
  /** The sources known, in this run, to have no companion. */
  unmarked: ReadonlySet<string>;
  /** The companions found in the input folders. */
  companions: readonly string[];
  /** The input folders, searched for sources (and beside them, companions). */
  folders: readonly string[];
  /** The input files: their companions are looked for one by one. */
  files: readonly string[];
  /** Receives the companions' temporary files found under `--out-dir` (temporary-files.ts). */
  temporaries: Set<string>;
  /** Where companions go with `--out-dir`: `dir` mirrors the folders below `base`. */
  outDir?: { base: string; dir: string };
}

/** Finds the companions left behind in what this run covers. */
export async function findLeftBehind(
  fs: FileSystem,
  cwd: string,
  coverage: Coverage,
): Promise<{ found: LeftBehind[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const candidates = new Set([...coverage.companions, ...coverage.files.flatMap((file) => coverage.targets.get(file) ?? [])]);
  if (coverage.outDir) {
    for (const folder of coverage.folders) {
      const mirror = path.join(coverage.outDir.dir, path.relative(coverage.outDir.base, folder));
      const companions = new Set<string>();
      if (await isFolder(fs, mirror))
        await searchFolder(mirror, {
          fs,
          cwd,
          found: new Set(),
          notCompiled: new Set(),
          companions,
          temporaries: coverage.temporaries,
          diagnostics,
        });
      companions.forEach((companion) => candidates.add(companion));
    }
  }
  const sourceOf = new Map([...coverage.targets].map(([source, target]) => [target, source]));
  const found: LeftBehind[] = [];
  for (const target of [...candidates].sort()) {
    const claimedBy = sourceOf.get(target);
    if (claimedBy !== undefined && !coverage.unmarked.has(claimedBy)) continue;
    let text: string | undefined;
    try {
      text = await readTextIfExists(fs, target);
    } catch (error) {
      // not a file that can be read (a folder, a FIFO): not one Adjoint wrote
      if (claimedBy !== undefined)
        diagnostics.push(createDiagnostic('AD5001', { path: displayPath(cwd, target), reason: describeError(error) }));
      continue;
    }
    if (text === undefined || !isGeneratedText(text)) continue;
    if (claimedBy !== undefined) {
      found.push({ target, source: claimedBy, reason: 'unmarked' });
      continue;
    }
    const named = generatedFrom(text);
    const source = named === undefined ? undefined : path.resolve(path.dirname(target), named);
    if (source === undefined || (await mayExist(fs, source))) continue;
    found.push({ target, source, reason: 'deleted' });
  }
  return { found, diagnostics };
}

/** Removes them; a companion that cannot be removed is AD5003. */
export async function removeLeftBehind(
  fs: FileSystem,
  cwd: string,
  found: readonly LeftBehind[],
): Promise<{ removed: LeftBehind[]; diagnostics: Diagnostic[] }> {
  const removed: LeftBehind[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const leftBehind of found) {
    try {
      await fs.rm(leftBehind.target, { force: true });
      removed.push(leftBehind);
    } catch (error) {
      diagnostics.push(createDiagnostic('AD5003', { path: displayPath(cwd, leftBehind.target), reason: describeError(error) }));
    }
  }
  return { removed, diagnostics };
}

/** `--check`: AD5009 for each. */
export function leftBehindDiagnostic(cwd: string, leftBehind: LeftBehind): Diagnostic {
  const source = displayPath(cwd, leftBehind.source);
  const why = leftBehind.reason === 'unmarked' ? `'${source}' no longer marks a function` : `its source '${source}' no longer exists`;
  return createDiagnostic('AD5009', { path: displayPath(cwd, leftBehind.target), reason: why });
}

/** `removed src/a.grad.ts: src/a.ts no longer marks a function` and the like. */
export function describeRemoval(cwd: string, leftBehind: LeftBehind): string {
  const source = displayPath(cwd, leftBehind.source);
  return `removed ${displayPath(cwd, leftBehind.target)}: ${leftBehind.reason === 'unmarked' ? `${source} no longer marks a function` : `${source} no longer exists`}`;
}

/** False only when there is certainly nothing at `file`. */
async function mayExist(fs: FileSystem, file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch (error) {
    const code = errorCode(error);
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}
