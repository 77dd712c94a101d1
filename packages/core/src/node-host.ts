/**
 * `@adjoint/core/node`: the disk as the compiler's host, for build scripts that run under Node and
 * compile files by path. The core itself reads nothing (it runs in a browser too); this module is
 * the one place of the package that imports a Node built-in, and only this entry point loads it.
 *
 *   import { compile } from '@adjoint/core';
 *   import { nodeHost } from '@adjoint/core/node';
 *   const { outputs } = await compile([{ path: 'src/model.ts' }], { host: nodeHost });
 */
import { readFileSync, statSync } from 'node:fs';
import type { CompilerHost } from './api.js';
import { decodeSourceText } from './source-text.js';

export const nodeHost: CompilerHost = {
  /**
   * The file's text, decoded as TypeScript decodes sources (UTF-8, or UTF-16 with a byte-order
   * mark), or undefined when it is missing or not a regular file (a FIFO would never end, nor
   * /dev/zero).
   */
  readFile(path) {
    try {
      if (!statSync(path).isFile()) return undefined;
      return decodeSourceText(readFileSync(path));
    } catch {
      return undefined;
    }
  },
};
