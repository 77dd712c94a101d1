/**
 * Progress on an interactive terminal: `[37/150] src/model.ts` on one line, rewritten after each
 * file, once a run has taken over a second, and erased when it ends. A short run, or output that is
 * not a terminal (CI, a pipe), shows nothing.
 */
import type { Terminal } from './environment.js';
import { displayPath } from './paths.js';

/** How long a run goes before it shows progress. */
export const PROGRESS_AFTER_MS = 1000;

export interface Progress {
  /** For the compiler's onProgress: one more file done. */
  update(done: number, total: number, sourcePath: string): void;
  /** Erases the line, if one was shown. */
  end(): void;
}

export function progressOn(terminal: Terminal, cwd: string, now: () => number = () => performance.now()): Progress {
  const started = now();
  let shown = 0;
  return {
    update(done, total, sourcePath) {
      if (!terminal.interactive || now() - started < PROGRESS_AFTER_MS) return;
      const line = `[${done}/${total}] ${displayPath(cwd, sourcePath)}`;
      // \r back to the line's start, then the new text over the old, padded to erase what is left
      terminal.write(`\r${line.padEnd(shown)}`);
      shown = line.length;
    },
    end() {
      if (shown > 0) terminal.write(`\r${' '.repeat(shown)}\r`);
      shown = 0;
    },
  };
}
