/**
 * Filling the holes the reverse sweep left (sweeps.ts) with the code written for them once the
 * tape plan was known. What fills a hole may hold holes itself (a checkpointed loop's driver holds
 * the reverse of the loop's body, which starts with its restore).
 */
import type { Stmt } from '../../ir/code.js';

export function fillHoles(statements: Stmt[], fills: ReadonlyMap<number, Stmt[]>): Stmt[] {
  return statements.flatMap((s): Stmt[] => {
    switch (s.kind) {
      case 'hole': {
        const fill = fills.get(s.id);
        if (!fill) throw new Error(`hole ${s.id} of the reverse sweep has nothing to fill it`);
        return fillHoles(fill, fills);
      }
      case 'if':
        return [{ ...s, then: fillHoles(s.then, fills), else: fillHoles(s.else, fills) }];
      case 'block':
      case 'forever':
      case 'countdown':
      case 'countup':
        return [{ ...s, body: fillHoles(s.body, fills) }];
      default:
        return [s];
    }
  });
}
