/** The disk as the core's CompilerHost, for tests and benchmarks that compile files by path. */
import { readFileSync } from 'node:fs';
import type { CompilerHost } from '@adjoint/core';

export const diskHost: CompilerHost = {
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};
