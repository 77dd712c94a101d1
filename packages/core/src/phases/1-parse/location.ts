import type { Node } from 'ts-morph';
import type { SourceLocation } from '../../api.js';

/** The 1-based position of a node's first token (not its leading trivia or JSDoc). */
export function locationOf(node: Node, file: string): SourceLocation {
  const start = node.getStart();
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(start);
  return { file, line, column, length: node.getEnd() - start };
}

/**
 * The 1-based line of a node's first token: the number of '\n' before it, plus one (what ts-morph's
 * `getStartLineNumber` returns). ts-morph counts them from the start of the file at every call,
 * which makes lowering a long function quadratic; this finds the line by binary search in the
 * positions of the file's newlines, found once per file text.
 */
export function startLineOf(node: Node): number {
  const text = node.getSourceFile().getFullText();
  const start = node.getStart();
  const newlines = newlinePositions(text);
  let low = 0;
  let high = newlines.length; // answer: the number of newlines before `start`
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (newlines[middle]! < start) low = middle + 1;
    else high = middle;
  }
  return low + 1;
}

let cachedText: string | undefined;
let cachedNewlines: number[] = [];

/** The positions of '\n' in `text`, remembered for the last text asked about. */
function newlinePositions(text: string): number[] {
  if (text !== cachedText) {
    cachedNewlines = [];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) cachedNewlines.push(i);
    cachedText = text;
  }
  return cachedNewlines;
}
