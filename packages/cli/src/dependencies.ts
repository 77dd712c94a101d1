/**
 * The project modules a source depends on, as far as the compiler can see them: its relative
 * imports, theirs in turn, and so on. A callee or a derivative rule may live in any of them, so a
 * change to one must invalidate the cached companion of every file that reaches it.
 *
 * The compiler follows `import … from './x'` declarations (phases/1-parse). This scanner reads the
 * text instead of parsing it and errs on the side of seeing too much: every `from '…'`,
 * `import '…'` and `import('…')` with a relative specifier counts, in code or in a comment. A
 * dependency seen here that the compiler ignores only costs a recompilation; the reverse would
 * leave a stale companion.
 */
import { posix } from 'node:path';
import { hashText } from './hash.js';

/** `from './x'`, `import './x'`, `import('./x')`; quotes of either kind; relative specifiers only. */
const RELATIVE_SPECIFIER = /\b(?:from|import)\s*\(?\s*(['"])(\.{1,2}\/[^'"\r\n]*)\1/g;

export interface Dependencies {
  /** Every project module reached (the source itself excluded), with the hash of its text. */
  modules: Map<string, string>;
  /**
   * Every path the compiler would try for an import and did not find. A file created there later
   * changes what the import means, so their absence is part of the cache key too.
   */
  absent: Set<string>;
  /** True when a specifier could not be read exactly (an escape inside it): never cache such a file. */
  uncertain: boolean;
}

/**
 * Reads and remembers file texts for one run, so that a module imported by many sources is read
 * once. `read` returns `undefined` for a path that holds no readable file.
 */
export class DependencyScanner {
  private readonly texts = new Map<string, Promise<string | undefined>>();
  private readonly hashes = new Map<string, string>();

  constructor(private readonly read: (filePath: string) => Promise<string | undefined>) {}

  /** Tells the scanner a text already read, so it is not read again. */
  know(filePath: string, text: string): void {
    this.texts.set(filePath, Promise.resolve(text));
  }

  text(filePath: string): Promise<string | undefined> {
    let text = this.texts.get(filePath);
    if (!text) {
      text = this.read(filePath);
      this.texts.set(filePath, text);
    }
    return text;
  }

  hash(filePath: string, text: string): string {
    let hash = this.hashes.get(filePath);
    if (hash === undefined) {
      hash = hashText(text);
      this.hashes.set(filePath, hash);
    }
    return hash;
  }

  /** The modules `source` reaches through relative imports, transitively. */
  async dependenciesOf(source: string): Promise<Dependencies> {
    const result: Dependencies = { modules: new Map(), absent: new Set(), uncertain: false };
    const pending = [source];
    const seen = new Set([source]);
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      const text = await this.text(file);
      if (text === undefined) continue;
      if (file !== source) result.modules.set(file, this.hash(file, text));
      for (const specifier of relativeSpecifiers(text)) {
        if (specifier.includes('\\')) result.uncertain = true;
        let resolved: string | undefined;
        for (const candidate of candidatePaths(file, specifier)) {
          if ((await this.text(candidate)) === undefined) {
            result.absent.add(candidate);
          } else {
            resolved ??= candidate;
          }
        }
        if (resolved !== undefined && !seen.has(resolved)) {
          seen.add(resolved);
          pending.push(resolved);
        }
      }
    }
    return result;
  }
}

export function relativeSpecifiers(text: string): string[] {
  return [...text.matchAll(RELATIVE_SPECIFIER)].map((match) => match[2]!);
}

/**
 * The files the compiler tries for a relative import, in its order (see `resolveModulePath` in
 * packages/core/src/phases/1-parse/index.ts): `./b`, `./b.js` and `./b.ts` may all mean b.ts.
 */
export function candidatePaths(importer: string, specifier: string): string[] {
  const base = posix.join(posix.dirname(importer), specifier).replace(/\.(m|c)?js$/, '');
  return [`${base}.ts`, `${base}.mts`, `${base}.cts`, `${base}/index.ts`, base].filter((candidate) => /\.(m|c)?ts$/.test(candidate));
}
