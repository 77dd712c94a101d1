/**
 * The tape: values the reverse sweep needs from a block that can run more than once are pushed at
 * the end of the block in the forward sweep and popped at the start of the block's reverse. Numbers
 * and booleans go on a stack of doubles that grows geometrically (no allocation per value);
 * containers on a plain array of references.
 */
import { method, ref } from '../../ir/build.js';
import type { Expr, RawDecl, Stmt } from '../../ir/code.js';

/** The class a companion with a tape of numbers declares once, under the name the module namer gave it. */
export function tapeClass(className: string): RawDecl {
  return {
    kind: 'raw',
    text: `/** A stack of numbers saved by a forward sweep for its reverse sweep; it doubles when full. */
class ${className} {
  private values = new Float64Array(1024);
  private top = 0;

  push(value: number): void {
    if (this.top === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.top++] = value;
  }

  pop(): number {
    return this.values[--this.top]!;
  }
}`,
  };
}

export interface TapeNames {
  numbers: string;
  containers: string;
}

export function pushStmt(tapes: TapeNames, value: Expr, kind: 'number' | 'boolean' | 'container'): Stmt {
  const saved: Expr = kind === 'boolean' ? { kind: 'cond', test: value, then: { kind: 'num', value: 1 }, else: { kind: 'num', value: 0 } } : value;
  return { kind: 'expr', expr: method(ref(kind === 'container' ? tapes.containers : tapes.numbers), 'push', [saved]) };
}

export function popExpr(tapes: TapeNames, kind: 'number' | 'boolean' | 'container', typeText: string): Expr {
  if (kind === 'container') return { kind: 'as', expr: method(ref(tapes.containers), 'pop', []), type: typeText };
  const popped = method(ref(tapes.numbers), 'pop', []);
  return kind === 'boolean' ? { kind: 'binary', op: '!==', left: popped, right: { kind: 'num', value: 0 } } : popped;
}
