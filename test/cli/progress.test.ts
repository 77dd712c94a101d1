/** The progress line: shown on an interactive terminal once a run takes over a second, then erased. */
import { describe, expect, it } from 'vitest';
import { PROGRESS_AFTER_MS, progressOn } from '../../packages/cli/src/progress.js';
import { captureTerminal } from './helpers.js';

function clock() {
  let time = 0;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe('progress', () => {
  it('says nothing during the first second', () => {
    const terminal = { ...captureTerminal(), interactive: true };
    const { now, advance } = clock();
    const progress = progressOn(terminal, '/p', now);
    advance(PROGRESS_AFTER_MS - 1);
    progress.update(1, 150, '/p/src/a.ts');
    progress.end();
    expect(terminal.text()).toBe('');
  });

  it('then shows [done/total] and the file on one line, rewritten in place, and erases it at the end', () => {
    const terminal = { ...captureTerminal(), interactive: true };
    const { now, advance } = clock();
    const progress = progressOn(terminal, '/p', now);
    advance(1500);
    progress.update(37, 150, '/p/src/models/long-name.ts');
    progress.update(38, 150, '/p/src/b.ts');
    progress.end();
    expect(terminal.text()).toBe(`\r[37/150] src/models/long-name.ts\r${'[38/150] src/b.ts'.padEnd('[37/150] src/models/long-name.ts'.length)}\r${' '.repeat(17)}\r`);
  });

  it('never writes to a terminal that is not interactive (CI, a pipe)', () => {
    const terminal = { ...captureTerminal(), interactive: false };
    const { now, advance } = clock();
    const progress = progressOn(terminal, '/p', now);
    advance(60_000);
    progress.update(1, 2, '/p/a.ts');
    progress.end();
    expect(terminal.text()).toBe('');
  });
});

describe("the compiler's onProgress", () => {
  it('is called once per source, with how many are done of how many', async () => {
    const { compile } = await import('@adjoint/core');
    const calls: Array<[number, number, string]> = [];
    const source = (name: string) => `/** @differentiable */\nexport function ${name}(x: number): number {\n  return x * x;\n}\n`;
    await compile(
      [
        { path: 'a.ts', text: source('f') },
        { path: 'b.ts', text: 'export const b = 1;\n' },
      ],
      { onProgress: (done, total, file) => void calls.push([done, total, file]) },
    );
    expect(calls).toEqual([
      [1, 2, 'a.ts'],
      [2, 2, 'b.ts'],
    ]);
  });
});
