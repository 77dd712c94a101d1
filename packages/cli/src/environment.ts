/** Everything `run` and `main` touch outside themselves, so that tests can substitute any part. */
import * as fsPromises from 'node:fs/promises';
import { compile } from '@adjoint/core';
import { compilerFingerprint } from './compiler-version.js';
import type { FileSystem } from './file-system.js';

/** Somewhere to print, and whether ANSI colours may be used there. */
export interface Terminal {
  write(text: string): void;
  color: boolean;
  /** An interactive terminal, which may show a progress line that is then erased. */
  interactive?: boolean;
}

export interface Environment {
  /** Inputs and `--out-dir` are resolved against it, and printed paths are relative to it. */
  cwd: string;
  fs: FileSystem;
  compile: typeof compile;
  /** Identifies `compile` for the cache: a companion cached under another value is never reused. */
  compilerVersion: () => Promise<string>;
  /** Receives the one-line summary. */
  stdout: Terminal;
  /** Receives diagnostics, usage errors and internal errors. */
  stderr: Terminal;
  /** Print stack traces of internal errors (`ADJOINT_DEBUG=1`). */
  debug: boolean;
  /** Ends `--watch` when aborted; by default SIGINT and SIGTERM do. */
  signal?: AbortSignal;
}

export function nodeEnvironment(): Environment {
  return {
    cwd: process.cwd(),
    fs: fsPromises,
    compile,
    compilerVersion: compilerFingerprint,
    stdout: terminalFor(process.stdout),
    stderr: terminalFor(process.stderr),
    debug: process.env.ADJOINT_DEBUG === '1',
  };
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
function terminalFor(stream: NodeJS.WriteStream): Terminal {
  return {
    write: (text) => void stream.write(text),
    color: stream.isTTY === true && !process.env.NO_COLOR,
    interactive: stream.isTTY === true,
  };
}
