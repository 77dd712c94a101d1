import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonFolder, companionTarget, displayPath } from '../../packages/cli/src/paths.js';

describe('commonFolder', () => {
  it('is the deepest shared folder, comparing whole names', () => {
    expect(commonFolder(['/work/src/a', '/work/src/a/b'])).toBe('/work/src/a');
    expect(commonFolder(['/work/src/physics', '/work/src/phys'])).toBe('/work/src');
    expect(commonFolder(['/work/src'])).toBe('/work/src');
    expect(commonFolder(['/work', '/tmp'])).toBe('/');
  });
});

describe('companionTarget', () => {
  it('keeps the companion beside its source without --out-dir', () => {
    expect(companionTarget('/p/src/a.grad.ts', '/p/src', undefined)).toBe('/p/src/a.grad.ts');
  });

  it('mirrors the path below the base under --out-dir', () => {
    expect(companionTarget('/p/src/sub/a.grad.ts', '/p/src', '/p/gen')).toBe(path.join('/p/gen/sub/a.grad.ts'));
  });
});

describe('displayPath', () => {
  it('shows paths relative to the working directory', () => {
    expect(displayPath('/p', '/p/src/a.ts')).toBe('src/a.ts');
    expect(displayPath('/p/src', '/p/other/a.ts')).toBe('../other/a.ts');
    expect(displayPath('/p', 'already/relative.ts')).toBe('already/relative.ts');
  });
});
