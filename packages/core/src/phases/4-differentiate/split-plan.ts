/**
 * Where a long generated function (a backprop, a tangent function, a copy of a callee) is cut
 * into parts, each a function of its own (split-function.ts makes the parts).
 *
 * V8 (Node 20) never optimises a function whose bytecode is over 60 KB
 * (`--max-optimized-bytecode-size`, 61,440 bytes): it stays in the baseline tier. A random
 * straight-line function of 1,000 operations (test/bench/circuit) compiles to 40 KB of bytecode and
 * is optimised; its backprop, forward and reverse sweep in one function, compiled to 98 KB, was
 * never optimised and ran 16 times as long as the function (1.7 times with the limit raised). Cut
 * into parts of at most DEFAULT_MAX_PART_SIZE, every part is optimised, and the gradient takes
 * about twice as long as the function.
 *
 * Size is counted on the generated code: one per statement and one per expression node
 * (`d_a += d_c * b` is 5). Measured: 4 to 5 bytes of bytecode per unit in the parts of the
 * circuits and of a long function with arrays, loops and calls (test/support/long-program.ts); code
 * made only of Math calls would come near 10. So a part of 4,000 is about 20 KB, and under V8's
 * limit even at worst. Smaller parts pass more values between them (valueAndGrad / f for the
 * circuit above: 2.4 with parts of 2,000, 2.2 of 4,000, 1.9 of 6,000); larger ones take TurboFan
 * longer to optimise (about four times as long for twice the size). test/bench/circuit/optimisation.ts
 * measures it again.
 *
 * The cuts fall between the top-level instructions of the function (never inside a loop or a
 * branch, whose body stays in one part however long), into stretches of consecutive instructions;
 * each stretch's forward sweep and its reverse run in parts of their own (split-function.ts), but
 * the first's (the function itself) and the last's (the forward values its reverse reads stay local).
 */
import type { FunctionDecl, Stmt } from '../../ir/code.js';
import { forEachExprInStatements } from '../../ir/code-walk.js';
import type { Instr, SsaFunction, ValueId } from '../../ir/ssa.js';
import { forEachInstr } from '../../ir/walk.js';
import { partName } from '../../naming.js';
import { splitFunction, type Part, type Piece, type SplitNames } from './split-function.js';

/** The size (in statements and expression nodes) above which a generated function is split into parts. */
export const DEFAULT_MAX_PART_SIZE = 4000;

/** The size of statements: one per statement (nested ones included) and one per expression node. */
export function codeSize(statements: Stmt[]): number {
  let size = 0;
  const count = (list: Stmt[]) => {
    for (const s of list) {
      size++;
      if (s.kind === 'if') {
        count(s.then);
        count(s.else);
      } else if (s.kind === 'block' || s.kind === 'forever' || s.kind === 'countdown' || s.kind === 'countup') {
        count(s.body);
      }
    }
  };
  count(statements);
  forEachExprInStatements(statements, () => size++);
  return size;
}

/**
 * A generated function's body by top-level instruction: `forward[i]` computes instruction i,
 * `reverse[i]` is its reverse (empty in a function of one sweep: a tangent function, a copy). It
 * runs as prologue, forward[0 … n-1], preamble, reverse[n-1 … 0], epilogue.
 */
export interface SteppedBody {
  prologue: Stmt[];
  forward: Stmt[][];
  preamble: Stmt[];
  reverse: Stmt[][];
  epilogue: Stmt[];
}

/** The body as one list of statements, in the order it runs. */
export function flatBody(body: SteppedBody): Stmt[] {
  return pieces(body).flat();
}

function pieces(body: SteppedBody): Stmt[][] {
  return [body.prologue, ...body.forward, body.preamble, ...[...body.reverse].reverse(), body.epilogue];
}

/**
 * Applies a pass over the whole body (dead-code removal: it needs every statement that reads a
 * variable) and finds the steps again in its result. The pieces are marked apart by a comment, which
 * the pass must keep in place, as it keeps every comment.
 */
export function applyToSteppedBody(body: SteppedBody, pass: (statements: Stmt[]) => Stmt[]): SteppedBody {
  const boundary: Stmt = { kind: 'comment', text: 'step' };
  const marked = pieces(body).flatMap((piece, i) => (i === 0 ? piece : [boundary, ...piece]));
  const found: Stmt[][] = [[]];
  for (const s of pass(marked)) {
    if (s === boundary) found.push([]);
    else found[found.length - 1]!.push(s);
  }
  const n = body.forward.length;
  if (found.length !== 2 * n + 3) throw new Error('a pass over a generated function lost the boundaries of its steps');
  return {
    prologue: found[0]!,
    forward: found.slice(1, n + 1),
    preamble: found[n + 1]!,
    reverse: found.slice(n + 2, 2 * n + 2).reverse(),
    epilogue: found[2 * n + 2]!,
  };
}

/** A part, as the range of top-level instructions it holds (first to last, inclusive). */
export interface PlannedPart extends Part {
  first: number;
  last: number;
}

/**
 * The body cut into parts of about equal size, none over `maxSize` unless one instruction is; the
 * first part keeps the prologue and epilogue, the innermost the preamble. Undefined when the body
 * is not over `maxSize`: it stays one function.
 */
export function planParts(body: SteppedBody, maxSize: number): PlannedPart[] | undefined {
  const stepSizes = body.forward.map((forward, i) => codeSize(forward) + codeSize(body.reverse[i]!));
  const fixed = codeSize(body.prologue) + codeSize(body.preamble) + codeSize(body.epilogue);
  const total = fixed + stepSizes.reduce((a, b) => a + b, 0);
  if (total <= maxSize || body.forward.length < 2) return undefined;
  const target = total / Math.ceil(total / maxSize);
  const ranges: Array<{ first: number; last: number }> = [];
  let first = 0;
  let size = codeSize(body.prologue) + codeSize(body.epilogue);
  stepSizes.forEach((stepSize, i) => {
    if (i > first && (size >= target || size + stepSize > maxSize)) {
      ranges.push({ first, last: i - 1 });
      first = i;
      size = 0;
    }
    size += stepSize;
  });
  ranges.push({ first, last: stepSizes.length - 1 });
  if (ranges.length < 2) return undefined;
  // a body with no reverse sweep returns at the end of its forward sweep, in the innermost part
  const forwardOnly = body.preamble.length === 0 && body.reverse.every((r) => r.length === 0);
  return ranges.map(({ first, last }, j) => {
    const outermost = j === 0;
    const innermost = j === ranges.length - 1;
    const forward = body.forward.slice(first, last + 1).flat();
    const reverse = body.reverse
      .slice(first, last + 1)
      .reverse()
      .flat();
    return {
      first,
      last,
      before: [...(outermost ? body.prologue : []), ...forward, ...(innermost && forwardOnly ? body.epilogue : [])],
      after: [...(innermost ? body.preamble : []), ...reverse, ...(outermost && !forwardOnly ? body.epilogue : [])],
    };
  });
}

/**
 * The values a function tests with `??`: numbers that may be undefined (read past an array's end,
 * or what find returns without a match). Their type is `number | undefined`, not a slot of the
 * frame of doubles, which would turn undefined into NaN, which `??` keeps.
 */
export function maybeUndefinedValues(fn: SsaFunction): Set<ValueId> {
  const values = new Set<ValueId>();
  forEachInstr(fn.body, (instr) => instr.kind === 'prim' && instr.op === 'nullish' && values.add(instr.args[0]!));
  return values;
}

/** What splitting a generated function needs to know of it. */
export interface SplitContext {
  maxPartSize: number;
  /** The function's top-level instructions, whose steps the body holds (for the parts' docs). */
  instrs: Instr[];
  /** The TypeScript type of a variable of the function, when known. */
  typeOf(name: string): string | undefined;
  /** Claims a module-level name (a part's), and a name in the function (a frame's). */
  claimModuleName(preferred: string): string;
  claimLocalName(preferred: string): string;
}

/**
 * The function, or its parts when it is longer than `maxPartSize` (with a body of more than one
 * step) and every variable crossing between the parts has a known type. `decl` holds the body
 * whole; `body` is the same body by steps.
 */
export function splitLongFunction(decl: FunctionDecl, body: SteppedBody, context: SplitContext): FunctionDecl[] {
  const { maxPartSize } = context;
  const partNames = new Map<number, string>();
  let names: SplitNames | undefined;
  // named only once the function is split (the names a whole function takes stay as they were)
  const splitNames = (): SplitNames =>
    (names ??= {
      part: (i) => {
        if (!partNames.has(i)) partNames.set(i, context.claimModuleName(partName(decl.name, i)));
        return partNames.get(i)!;
      },
      frame: context.claimLocalName('frame'),
      objects: context.claimLocalName('objects'),
    });
  let split: Array<{ decl: FunctionDecl; piece: Piece }> | undefined;
  for (let attempt = 1, room = maxPartSize; attempt <= 3; attempt++) {
    const parts = planParts(body, room);
    split = parts && splitFunction(decl, parts, context.typeOf, splitNames(), partDocs(decl, parts, context.instrs, splitNames));
    if (!parts || !split) return [decl];
    // The loads and stores of the frame make a part longer than planned (by a third in a random
    // circuit of 10,000 operations, whose values are read far from where they are computed):
    // plan again with less room. A part of one instruction is as short as it can be.
    const largest = split.reduce(
      (most, { decl: part, piece }) => (parts[piece.part]!.first < parts[piece.part]!.last ? Math.max(most, codeSize(part.body)) : most),
      0,
    );
    if (largest <= maxPartSize) break;
    room *= (0.95 * maxPartSize) / largest;
  }
  return split!.map(({ decl: part }) => part);
}

/** The doc comment of function i (1-based) of a split function, which runs `piece`; the first says how the function is split. */
function partDocs(
  decl: FunctionDecl,
  parts: PlannedPart[],
  instrs: Instr[],
  names: () => SplitNames,
): (i: number, piece: Piece, count: number) => string {
  const lines = (part: number) => sourceLines(instrs.slice(parts[part]!.first, parts[part]!.last + 1));
  const reverses = parts.some((part) => part.after.length > 0);
  return (i, piece, count) => {
    const of = `Part ${i} of ${count} of \`${decl.name}\``;
    switch (piece.sweep) {
      case 'first': {
        const how = reverses
          ? [
              `Too long for V8 to optimise as one function, it runs in ${count} parts, one after another: this one runs the forward`,
              `sweep of a stretch (here ${lines(0)}) and calls the others in turn, which run the forward sweeps of the next`,
              'stretches, then their reverses, last stretch first; it ends with the reverse of its own stretch.',
            ]
          : [
              `Too long for V8 to optimise as one function, it runs in ${count} parts, one after another: this one computes a`,
              `stretch (here ${lines(0)}) and calls the others in turn, each computing the next stretch.`,
            ];
        return [decl.doc, ...how, `The numbers passing between the parts go through \`${names().frame}\`, one slot each.`].join('\n');
      }
      case 'forward':
        return reverses ? `${of}: runs the forward sweep of ${lines(piece.part)}.` : `${of}: computes ${lines(piece.part)}.`;
      case 'both':
        return reverses
          ? `${of}: runs the forward sweep of ${lines(piece.part)}, then its reverse (the reverse sweep starts here).`
          : `${of}: computes ${lines(piece.part)}.`;
      case 'reverse':
        return `${of}: runs the reverse of ${lines(piece.part)}.`;
    }
  };
}

/** `lines 12–40`: the source lines instructions come from. */
function sourceLines(instrs: Instr[]): string {
  const lines: number[] = [];
  for (const instr of instrs) forEachInstr({ instrs: [instr] }, (i) => 'origin' in i && lines.push(i.origin.line));
  if (lines.length === 0) return 'no source line';
  const first = lines.reduce((a, b) => Math.min(a, b));
  const last = lines.reduce((a, b) => Math.max(a, b));
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}
