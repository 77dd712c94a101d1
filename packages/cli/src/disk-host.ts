/**
 * How the core reads the modules the sources import: from the disk, synchronously (it parses an
 * imported module as soon as it finds the import). The sources themselves are read by the CLI.
 */
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
