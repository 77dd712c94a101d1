/** The tsc plugin under tspc --watch: a change to a source regenerates its companion. */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test } from 'vitest';
import { Background, bin, expectBuiltGradient, fixture } from './support.js';

test('tspc --watch regenerates the companion when its source changes', async () => {
  const dir = fixture('tsc/esm');
  const watcher = new Background(bin('tspc'), ['-p', '.', '--watch', '--preserveWatchOutput', '--pretty', 'false'], dir);
  try {
    await watcher.waitFor(/Found 0 errors\. Watching for file changes/);
    await expectBuiltGradient(path.join(dir, 'dist/main.js'), 'esm');
    const companion = path.join(dir, 'dist/model.grad.js');
    expect(readFileSync(companion, 'utf8')).not.toContain('0.5 *');

    // Halve the loss: the watcher must rebuild the companion, whose gradient halves too.
    const mark = watcher.output.length;
    const model = path.join(dir, 'src/model.ts');
    writeFileSync(model, readFileSync(model, 'utf8').replace('return total / ys.length;', 'return (0.5 * total) / ys.length;'));
    await watcher.waitFor(/File change detected[\s\S]*Found 0 errors\. Watching for file changes/, mark);
    expect(readFileSync(companion, 'utf8')).toContain('0.5 *');
  } finally {
    watcher.stop();
  }
});
