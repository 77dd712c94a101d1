import type { Node, SourceFile } from 'ts-morph';
import type { SourceLocation } from '../../api.js';

/** The 1-based position of a node's first token (not its leading trivia or JSDoc). */
export function locationOf(node: Node, file: string): SourceLocation {
  const start = node.getStart();
  const { line, column } = lineAndColumnAt(node.getSourceFile(), start);
  return { file, line, column, length: node.getEnd() - start };
}

/**
 * The 1-based line and column of a position, as ts-morph's `getLineAndColumnAtPos` gives them: the
 * line counts the '\n' before the position, the column the characters since the last '\n' or '\r'.
 * ts-morph scans the file from its start at every call, which makes lowering a long function
 * quadratic (every instruction records where it comes from); this binary-searches the positions of
 * the file's line breaks, found once per parsed file.
 */
export function lineAndColumnAt(sourceFile: SourceFile, position: number): { line: number; column: number } {
  const { newlines, breaks } = lineBreaksOf(sourceFile);
  const breaksBefore = countBelow(breaks, position);
  const lineStart = breaksBefore === 0 ? 0 : breaks[breaksBefore - 1]! + 1;
  return { line: countBelow(newlines, position) + 1, column: position - lineStart + 1 };
}

interface LineBreaks {
  /** Positions of '\n'. */
  newlines: number[];
  /** Positions of '\n' and '\r'. */
  breaks: number[];
}

/** Keyed by TypeScript's node of the file, which an edit replaces: its text never changes. */
const lineBreaksCache = new WeakMap<object, LineBreaks>();

function lineBreaksOf(sourceFile: SourceFile): LineBreaks {
  let found = lineBreaksCache.get(sourceFile.compilerNode);
  if (!found) {
    const text = sourceFile.getFullText();
    found = { newlines: [], breaks: [] };
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) found.newlines.push(i);
      if (code === 10 || code === 13) found.breaks.push(i);
    }
    lineBreaksCache.set(sourceFile.compilerNode, found);
  }
  return found;
}

/** How many of the ascending `positions` are below `position` (a binary search). */
export function countBelow(positions: number[], position: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle]! < position) low = middle + 1;
    else high = middle;
  }
  return low;
}
