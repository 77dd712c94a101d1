import type { Node } from 'ts-morph';
import type { SourceLocation } from '../../api.js';

/** The 1-based position of a node's first token (not its leading trivia or JSDoc). */
export function locationOf(node: Node, file: string): SourceLocation {
  const start = node.getStart();
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(start);
  return { file, line, column, length: node.getEnd() - start };
}
