/**
 * The content-hash cache: which sources need compiling again.
 *
 * For each source it compiled, `adjoint` remembers a key (a hash of everything the companion is a
 * function of: the source's path and text, the texts of the project modules it reaches through its
 * imports, which of the paths those imports could name are absent, the derivative rules in the
 * program, and where the companion goes) and the hash of the companion it wrote. A later run skips a
 * source only when its key is the same *and* the companion on disk still has exactly that hash; the
 * whole cache is dropped when the compiler changes (its version and the hash of its code). The
 * compiler is deterministic, so a skipped companion is byte for byte what compiling would give.
 *
 * The cache is a single JSON file, by default `node_modules/.cache/adjoint/companions.json` in the
 * nearest folder above the inputs that has a `package.json` (no such folder: no file, and in
 * `--watch` the cache lives in memory). A missing, unreadable or corrupt file is an empty cache.
 * `--check` never reads it: it always compiles and compares.
 */
import * as path from 'node:path';
import { createDiagnostic, type Diagnostic } from '@adjoint/core';
import { describeError, readTextIfExists, type FileSystem } from './file-system.js';
import { replaceAtomically } from './write.js';

/** Bump when the meaning of an entry changes. */
const FORMAT = 1;

export const CACHE_FILE_NAME = 'companions.json';

export interface CacheEntry {
  /** The hash of everything the companion depends on (see above). */
  key: string;
  /** Where the companion was written (absolute). */
  target: string;
  /** The SHA-256 of the companion's text, or null: the source holds no marked function. */
  companion: string | null;
  /** The marked functions the companion holds gradients for. */
  functions: string[];
  /** The warnings compiling it gave, printed again whenever it is skipped. */
  warnings: Diagnostic[];
}

interface CacheFileContents {
  format: number;
  compiler: string;
  /** By absolute source path. */
  entries: Record<string, CacheEntry>;
}

export class CompanionCache {
  private constructor(
    /** Where the cache is saved; undefined: in memory only. */
    readonly file: string | undefined,
    readonly compiler: string,
    private readonly entries: Map<string, CacheEntry>,
  ) {}

  static empty(file: string | undefined, compiler: string): CompanionCache {
    return new CompanionCache(file, compiler, new Map());
  }

  /** Loads the cache saved at `file`; anything unusable there gives an empty cache. */
  static async load(fs: FileSystem, file: string | undefined, compiler: string): Promise<CompanionCache> {
    if (file === undefined) return CompanionCache.empty(file, compiler);
    let contents: CacheFileContents;
    try {
      const text = await readTextIfExists(fs, file);
      if (text === undefined) return CompanionCache.empty(file, compiler);
      contents = JSON.parse(text) as CacheFileContents;
    } catch {
      return CompanionCache.empty(file, compiler);
    }
    if (
      contents?.format !== FORMAT ||
      contents.compiler !== compiler ||
      typeof contents.entries !== 'object' ||
      contents.entries === null
    ) {
      return CompanionCache.empty(file, compiler);
    }
    const entries = new Map(Object.entries(contents.entries).filter(([, entry]) => isEntry(entry)));
    return new CompanionCache(file, compiler, entries);
  }

  get(source: string): CacheEntry | undefined {
    return this.entries.get(source);
  }

  set(source: string, entry: CacheEntry): void {
    this.entries.set(source, entry);
  }

  delete(source: string): void {
    this.entries.delete(source);
  }

  /** Writes the cache atomically; a failure is a warning (AD5006): the companions are fine. */
  async save(fs: FileSystem, shownAs: string): Promise<Diagnostic | undefined> {
    if (this.file === undefined) return undefined;
    const contents: CacheFileContents = {
      format: FORMAT,
      compiler: this.compiler,
      entries: Object.fromEntries([...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    };
    try {
      await replaceAtomically(fs, this.file, `${JSON.stringify(contents)}\n`);
      return undefined;
    } catch (error) {
      return createDiagnostic('AD5006', { path: shownAs, reason: describeError(error) });
    }
  }
}

function isEntry(value: unknown): value is CacheEntry {
  const entry = value as CacheEntry | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.key === 'string' &&
    typeof entry.target === 'string' &&
    (typeof entry.companion === 'string' || entry.companion === null) &&
    Array.isArray(entry.functions) &&
    Array.isArray(entry.warnings)
  );
}

/**
 * The default cache file for sources under `base`: in `node_modules/.cache/adjoint` of the
 * nearest folder, from `base` up, that holds a `package.json`; undefined when there is none.
 */
export async function defaultCacheFile(fs: FileSystem, base: string): Promise<string | undefined> {
  for (let folder = base; ; folder = path.dirname(folder)) {
    try {
      if ((await fs.stat(path.join(folder, 'package.json'))).isFile()) {
        return path.join(folder, 'node_modules', '.cache', 'adjoint', CACHE_FILE_NAME);
      }
    } catch {
      // No package.json here: look further up.
    }
    if (path.dirname(folder) === folder) return undefined;
  }
}
