/** Path arithmetic: where companions go and how paths are shown. */
import * as path from 'node:path';

/** The deepest folder that contains every one of `folders` (at least one; absolute, normalised paths). */
export function commonFolder(folders: readonly string[]): string {
  const [first, ...rest] = folders.map((folder) => folder.split(path.sep));
  let shared = first.length;
  for (const parts of rest) {
    let i = 0;
    while (i < shared && i < parts.length && parts[i] === first[i]) i++;
    shared = i;
  }
  // The first part is the root ('' on POSIX, 'C:' on Windows): sharing only that means the root.
  return shared <= 1 ? path.parse(folders[0]).root : first.slice(0, shared).join(path.sep);
}

/**
 * Where a companion is written: where the core placed it (beside its source), or, with
 * `--out-dir`, at the same place relative to `base` but under `outDir`.
 */
export function companionTarget(companionPath: string, base: string, outDir: string | undefined): string {
  return outDir === undefined ? companionPath : path.join(outDir, path.relative(base, companionPath));
}

/** A path as shown to the user: relative to the working directory, like tsc. */
export function displayPath(cwd: string, filePath: string): string {
  return path.isAbsolute(filePath) ? path.relative(cwd, filePath) || '.' : filePath;
}
