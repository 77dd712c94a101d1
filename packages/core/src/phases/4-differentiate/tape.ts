/**
 * The tape: values the reverse sweep needs from a block that can run more than once are pushed at
 * the end of the block in the forward sweep and popped at the start of the block's reverse.
 *
 * A companion keeps its tapes in one of two styles:
 *   shared  numbers and booleans on one module-level stack of doubles that grows geometrically (no
 *           allocation per value), containers on a module-level array of references; the functions
 *           nest their pushes and pops. The fast style.
 *   local   each backprop function keeps its own plain arrays (`tape.push(v)` forward,
 *           `tape[--tapeTop]` in reverse). Slower, but written in the subset Adjoint accepts, so the
 *           companion can itself be differentiated again (second order).
 */
import { method, ref } from '../../ir/build.js';
import type { Expr, RawDecl, Stmt } from '../../ir/code.js';
import { RUNTIME_PACKAGE, runtimeDeclarationStart, runtimeDeclarationText } from '../../runtime/helpers.js';

export type TapeStyle = 'shared' | 'local';

const SHARED_CONTAINERS_DOC = '/** The arrays saved by forward sweeps for their reverse sweeps. */';

/** True for a companion's text that declares or imports shared tapes (such a companion cannot be differentiated again). */
export function declaresSharedTapes(text: string): boolean {
  return (
    text.includes(runtimeDeclarationStart('Tape')) ||
    text.includes(SHARED_CONTAINERS_DOC) ||
    new RegExp(`^import \\{ Tape\\b[^}]*\\} from '${RUNTIME_PACKAGE}';$`, 'm').test(text)
  );
}

/** The class a companion with a shared tape of numbers declares once (@adjoint/runtime's Tape), under the name the module namer gave it. */
export function tapeClass(className: string): RawDecl {
  return { kind: 'raw', text: runtimeDeclarationText('Tape', className) };
}

/** The array of containers a companion with shared tapes declares once. */
export function sharedContainersTape(name: string): RawDecl {
  return { kind: 'raw', text: `${SHARED_CONTAINERS_DOC}\nconst ${name}: object[] = [];` };
}

/** Where a function saves values of one kind. */
export type TapeNames =
  /** the companion's shared tape objects */
  | { style: 'shared'; numbers: string; containers: string }
  /** an array local to the function, and the counter its reverse sweep pops by */
  | { style: 'local'; array: string; top: string };

/**
 * What a saved value is: a number with an adjoint, a number without (a trip count, an index), a
 * boolean (saved as 1 or 0), or a container. Shared tapes keep the numbers and booleans on one
 * stack; local tapes keep the numbers without adjoints and the booleans apart, so that
 * differentiating the companion again gives their tape no tangents.
 */
export type TapeKind = 'number' | 'inactive' | 'boolean' | 'container';

export function pushStmt(tapes: TapeNames, value: Expr, kind: TapeKind): Stmt {
  const saved: Expr =
    kind === 'boolean' ? { kind: 'cond', test: value, then: { kind: 'num', value: 1 }, else: { kind: 'num', value: 0 } } : value;
  const tape = tapes.style === 'local' ? tapes.array : kind === 'container' ? tapes.containers : tapes.numbers;
  return { kind: 'expr', expr: method(ref(tape), 'push', [saved]) };
}

export function popExpr(tapes: TapeNames, kind: TapeKind, typeText: string): Expr {
  if (tapes.style === 'shared' && kind === 'container')
    return { kind: 'as', expr: method(ref(tapes.containers), 'pop', []), type: typeText };
  // tape[--tapeTop]: the last value pushed and not yet read
  const popped: Expr =
    tapes.style === 'local'
      ? { kind: 'index', object: ref(tapes.array), index: { kind: 'unary', op: '--', operand: ref(tapes.top) } }
      : method(ref(tapes.numbers), 'pop', []);
  return kind === 'boolean' ? { kind: 'binary', op: '!==', left: popped, right: { kind: 'num', value: 0 } } : popped;
}

/** A function's local tapes: one array of numbers, and one array per type of saved container. */
export class LocalTapes {
  /** By what they hold: 'number', 'inactive' (numbers without adjoints and booleans), or a container type. */
  private readonly tapes = new Map<string, { array: string; top: string; elementType: string }>();
  /** Set once the declarations are written: a tape asked for after that would be used undeclared. */
  private declared = false;

  constructor(private readonly claim: (name: string) => string) {}

  /** The tape for values of `kind` (containers of the TypeScript type `typeText`), declared on first use. */
  get(kind: TapeKind, typeText: string): TapeNames {
    const holds = kind === 'container' ? typeText : kind === 'number' ? 'number' : 'inactive';
    let tape = this.tapes.get(holds);
    if (!tape) {
      if (this.declared) throw new Error(`a local tape of ${holds} was asked for after the tapes were declared`);
      const array = this.claim(kind === 'container' ? 'savedArrays' : holds === 'inactive' ? 'counts' : 'tape');
      tape = { array, top: this.claim(`${array}Top`), elementType: kind === 'container' ? typeText : 'number' };
      this.tapes.set(holds, tape);
    }
    return { style: 'local', array: tape.array, top: tape.top };
  }

  /** `const tape: number[] = [];` for each tape used, at the start of the function. */
  declarations(): Stmt[] {
    this.declared = true;
    return [...this.tapes.values()].map(({ array, elementType }) => ({
      kind: 'declare',
      declaration: 'const',
      name: array,
      type: `${/[|&]/.test(elementType) ? `(${elementType})` : elementType}[]`,
      init: { kind: 'array', elements: [] },
    }));
  }

  /** `let tapeTop = tape.length;` for each tape, at the start of the reverse sweep. */
  counters(): Stmt[] {
    return [...this.tapes.values()].map(({ array, top }) => ({
      kind: 'declare',
      declaration: 'let',
      name: top,
      init: { kind: 'member', object: ref(array), property: 'length' },
    }));
  }
}
