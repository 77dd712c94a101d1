/** Positions in diagnostics and origins: the same line and column ts-morph gives, whatever the line endings. */
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { lineAndColumnAt } from '../src/phases/1-parse/location.js';

describe('lineAndColumnAt', () => {
  it.each([
    ['\\n', 'const a = 1;\nconst b = a * 2;\n\nexport const c = b;\n'],
    ['\\r\\n', 'const a = 1;\r\nconst b = a * 2;\r\n\r\nexport const c = b;\r\n'],
    ['lone \\r', 'const a = 1;\rconst b = a * 2;\n const c = b;'],
    ['no line break', 'const a = 1; const b = a;'],
  ])('agrees with ts-morph at every position (%s)', (_, text) => {
    const sourceFile = new Project({ useInMemoryFileSystem: true }).createSourceFile('/a.ts', text);
    for (let position = 0; position <= text.length; position++) {
      expect(lineAndColumnAt(sourceFile, position)).toEqual(sourceFile.getLineAndColumnAtPos(position));
    }
  });
});
