/**
 * Which loops are checkpointed. A comment on the line before a loop selects it:
 *
 *   // @checkpoint                      the fewest stored states with at most 3 repetitions per iteration
 *   // @checkpoint(snapshots: 20)       at most 20 stored states of the loop
 *   // @checkpoint(repetitions: 2)      the fewest stored states with at most 2 repetitions
 *
 * (at most one option; N and R positive integers; `/* @checkpoint *\/` works as well). The compile
 * option `checkpointLoops` selects every loop that is not inside another loop, with the defaults.
 * A mark before anything but a loop is an error, so that a misplaced one is never ignored.
 */
import { Node, type Statement } from 'ts-morph';
import type { SourceLocation } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import type { Checkpoint } from '../../ir/ssa.js';
import { lineAndColumnAt, locationOf } from '../1-parse/location.js';
import type { LoweringContext } from './context.js';

const MARK = /@checkpoint\b(?:\s*\(([^)]*)\))?/;
const OPTION = /^(snapshots|repetitions)\s*:\s*(\S+)$/;

interface MarkComment {
  text: string;
  location: SourceLocation;
}

/** The checkpointing of a loop statement: from its mark, or from the compile option for an outermost loop. */
export function checkpointOf(ctx: LoweringContext, loop: Statement): Checkpoint | undefined {
  const mark = markComments(loop, ctx.file.path)[0];
  const location = locationOf(loop, ctx.file.path);
  if (!mark) {
    const outermost = !ctx.jumpTargets.some((target) => target.kind === 'loop');
    return ctx.checkpointLoops && outermost ? { location } : undefined;
  }
  const match = MARK.exec(mark.text)!;
  const checkpoint: Checkpoint = { location };
  const invalid = (reason: string) => {
    ctx.diagnostics.push(createDiagnostic('AD2030', { mark: match[0], reason }, mark.location));
    return undefined;
  };
  if (match[1] === undefined) return checkpoint;
  const items = match[1].split(',').map((item) => item.trim());
  if (items.length > 1) return invalid('give at most one option, snapshots or repetitions');
  const option = OPTION.exec(items[0]!);
  if (!option) return invalid(`unknown option '${items[0]}'`);
  const count = Number(option[2]);
  if (!Number.isInteger(count) || count < 1) return invalid(`${option[1]} must be a positive integer, not '${option[2]}'`);
  checkpoint[option[1] as 'snapshots' | 'repetitions'] = count;
  return checkpoint;
}

/** Reports each `@checkpoint` comment in a function body that is not on the line before a loop. */
export function reportStrayMarks(ctx: LoweringContext, body: Node): void {
  if (!body.getFullText().includes('@checkpoint')) return;
  body.forEachDescendant((node, traversal) => {
    // (a statement in an expression lies in a nested function: not entered, nor is the expression)
    if (Node.isExpression(node)) return traversal.skip();
    if (!Node.isStatement(node) || isLoop(node)) return;
    for (const mark of markComments(node, ctx.file.path))
      ctx.diagnostics.push(createDiagnostic('AD2033', { comment: mark.text }, mark.location));
  });
}

function isLoop(node: Node): boolean {
  return (
    Node.isForStatement(node) ||
    Node.isWhileStatement(node) ||
    Node.isDoStatement(node) ||
    Node.isForOfStatement(node) ||
    Node.isForInStatement(node)
  );
}

function markComments(node: Node, file: string): MarkComment[] {
  const sourceFile = node.getSourceFile();
  return node.getLeadingCommentRanges().flatMap((range) => {
    const text = range.getText();
    const match = MARK.exec(text);
    if (!match) return [];
    const start = range.getPos() + match.index;
    const { line, column } = lineAndColumnAt(sourceFile, start);
    return [{ text: text.replace(/^\/\/\s*|^\/\*+\s*|\s*\*\/$/g, '').trim(), location: { file, line, column, length: match[0].length } }];
  });
}
