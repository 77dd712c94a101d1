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
  /** Aborted once what reads it has gone (EPIPE); nothing more is written to it then. */
  gone?: AbortSignal;
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
    stdout: terminalFor(process.stdout, 'standard output', process.stderr),
    stderr: terminalFor(process.stderr, 'standard error'),
    debug: process.env.ADJOINT_DEBUG === '1',
  };
}

/**
 * Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). When what
 * reads the stream has gone (`adjoint src | head -1`: EPIPE), nothing more is written to it and
 * the command ends as it would have, quietly, instead of dying of an unhandled 'error' event
 * (`--watch` ends then, as a command killed by SIGPIPE would).
 * Another failure to write (`> /dev/full`) is said once on the other stream, and the exit code is 1.
 */
function terminalFor(stream: NodeJS.WriteStream, name: string, other?: NodeJS.WriteStream): Terminal {
  const made = terminals.get(stream);
  if (made) return made;
  let open = true;
  const gone = new AbortController();
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (!open) return;
    open = false;
    if (error.code === 'EPIPE') return gone.abort();
    other?.write(`error: cannot write to the ${name}: ${error.message}\n`);
    process.exitCode = 1;
  });
  const terminal: Terminal = {
    write: (text) => void (open && stream.write(text)),
    color: stream.isTTY === true && !process.env.NO_COLOR,
    interactive: stream.isTTY === true,
    gone: gone.signal,
  };
  terminals.set(stream, terminal);
  return terminal;
}

/** One terminal per stream, however many environments are made (`main` makes one, `run` another). */
const terminals = new Map<NodeJS.WriteStream, Terminal>();
