/**
 * Splitting a long generated function into parts, each a function of its own, so that V8
 * optimises every part (it never optimises a function whose bytecode is over 60 KB: see
 * split-plan.ts for where the cuts go and why). The parts run one after another, never one inside
 * another, so that the stack stays as shallow as for one function however many parts there are
 * (a function of 20,000 operations has over 200).
 *
 * The body runs as  before₁ before₂ … beforeₖ afterₖ … after₂ after₁  (for a backprop, the
 * forward sweep of k stretches of the function, then their reverse, last first). The first part,
 * the function itself, runs before₁, calls the others in turn, then runs after₁:
 *
 *   before₁;  part 2 (before₂);  …;  part k (beforeₖ afterₖ);  …;  part 2k−2 (after₂);  after₁
 *
 * so the statements run in exactly their original order (a side with no statements gets no part).
 * A top-level variable that more than one part mentions crosses between them:
 *
 *   numbers       live in `frame`, a Float64Array the first part allocates, one fixed slot each: a
 *                 part loads a number it did not declare just before its first statement that
 *                 mentions it, and stores one just after its last statement that changes it, when
 *                 a later part mentions it (the first part loads again, after the calls, what they
 *                 changed). So a number is live in a part only where the part uses it, and nothing
 *                 is boxed. The adjoints accumulated across stretches (`d_v += …` in several parts)
 *                 travel this way, and the forward values a stretch's reverse reads;
 *   the rest      (arrays, shadows, objects, booleans) are passed as parameters when the first part
 *                 declares them before its calls and only it assigns them (the arrays of a sweep:
 *                 its parameters, their shadows, the arrays it makes at its start); otherwise they
 *                 travel like numbers, in the array `objects`.
 *
 * A `return` may end the first part (a backprop returns after its reverse sweep), or the last part
 * when no stretch has a reverse (a single forward sweep): the first part then returns what the
 * last returns.
 */
import { childExprs } from '../../ir/code-walk.js';
import { index, num, ref } from '../../ir/build.js';
import type { Expr, FunctionDecl, Stmt } from '../../ir/code.js';

/** The statements of one stretch: `before` runs in the forward order of the stretches, `after` in the reverse order. */
export interface Part {
  before: Stmt[];
  after: Stmt[];
}

/** One function of a split function: which stretch (0-based) it runs, and which of its sides. */
export interface Piece {
  part: number;
  /** `first`: the function itself, which runs before₁ and after₁ around the calls of the others. */
  sweep: 'first' | 'forward' | 'reverse' | 'both';
}

export interface SplitNames {
  /** The module-level name of function i (1-based, in running order; function 1 keeps the function's own name). */
  part(i: number): string;
  /** The local names of the frame of numbers (a Float64Array) and of the other values (an array). */
  frame: string;
  objects: string;
}

/** How a top-level variable appears in a list of statements: it is there (read), and maybe assigned or declared. */
interface Use {
  written: boolean;
  declared: boolean;
  /** The positions of the first and the last top-level statements that mention it. */
  first: number;
  last: number;
  /** The position of the last top-level statement that assigns it (-1: none, or set on entry, as a parameter). */
  lastWrite: number;
}

type Uses = Map<string, Use>;

/**
 * The functions a split function runs as, in running order: the function itself, then the forward
 * sides of stretches 2 … k−1, stretch k whole, and the reverse sides of stretches k−1 … 2 (those
 * with statements).
 */
export function runningOrder(parts: Part[]): Piece[] {
  const k = parts.length;
  const middle: Piece[] = [
    ...parts.slice(1, k - 1).map((_, j): Piece => ({ part: j + 1, sweep: 'forward' })),
    { part: k - 1, sweep: 'both' },
    ...parts.slice(1, k - 1).map((_, j): Piece => ({ part: k - 2 - j, sweep: 'reverse' })),
  ];
  return [{ part: 0, sweep: 'first' }, ...middle.filter((piece) => statementsOf(parts, piece).length > 0)];
}

function statementsOf(parts: Part[], piece: Piece): Stmt[] {
  const { before, after } = parts[piece.part]!;
  return piece.sweep === 'forward' ? before : piece.sweep === 'reverse' ? after : [...before, ...after];
}

/**
 * The function as its parts, in running order (runningOrder): the first keeps the declaration's
 * name, signature and doc; the others follow, named by `names.part`. Undefined when the type of a
 * variable that crosses between the parts is not known, or when the function returns from
 * elsewhere than its end (the caller then keeps it whole).
 */
export function splitFunction(
  decl: FunctionDecl,
  given: Part[],
  /** The TypeScript type of a top-level variable or parameter, when known. */
  typeOf: (name: string) => string | undefined,
  names: SplitNames,
  /** The doc comment of function i (1-based) of `count`, which runs `piece`. */
  docOf: (i: number, piece: Piece, count: number) => string,
): Array<{ decl: FunctionDecl; piece: Piece }> | undefined {
  const returning = returnPlacement(given);
  if (!returning) return undefined;
  // the statement lists in running order: the first part's two sides around the others'
  const all = runningOrder(given);
  const full = [given[0]!.before, ...all.slice(1).map((piece) => statementsOf(given, piece)), given[0]!.after];
  const { lists: shorter, zeroFirst } = withoutZeroDeclarations(full, decl, typeOf);
  const kept = shorter.map((list, i) => i === 0 || i === shorter.length - 1 || list.length > 0);
  const pieces = all.filter((_, i) => kept[i]);
  const lists = shorter.filter((_, i) => kept[i]);
  const head = 0;
  const tail = lists.length - 1;
  const uses = lists.map(usesIn);
  for (const param of decl.params) uses[head]!.set(param.name, { written: true, declared: true, first: 0, last: 0, lastWrite: -1 });
  const variables = crossingVariables(uses, zeroFirst);
  const order = declarationOrder(decl, full);
  // A variable crosses when more than one function mentions it (the first part's head and tail
  // are one function, whose locals they share); a number whose slot holds its first value crosses
  // even when only the first part mentions it.
  const functionsMentioning = (v: Variable) => new Set(v.lists.map((i) => (i === tail ? head : i))).size;
  const crossing = [...variables.values()]
    .filter((v) => v.home === -1 || functionsMentioning(v) > 1)
    .sort((a, b) => order.get(a.name)! - order.get(b.name)!);

  // Numbers get a slot of the frame; the others are passed as parameters where they can be, else
  // get a slot of `objects`.
  const slots = new Map<string, { storage: string; index: number; type: string }>();
  const slotCount = new Map([
    [names.frame, 0],
    [names.objects, 0],
  ]);
  const passed = new Map<string, string>();
  for (const v of crossing) {
    const type = decl.params.find((p) => p.name === v.name)?.type ?? typeOf(v.name);
    if (type === undefined) return undefined;
    if (type !== 'number' && v.home === head && v.writers.every((i) => i === head || i === tail)) {
      passed.set(v.name, type);
      continue;
    }
    const storage = type === 'number' ? names.frame : names.objects;
    slots.set(v.name, { storage, index: slotCount.get(storage)!, type });
    slotCount.set(storage, slotCount.get(storage)! + 1);
  }

  /** The storages each list loads from or stores into. */
  const used = lists.map(() => new Set<string>());
  const slot = (name: string, list: number) => {
    const { storage, index: i, type } = slots.get(name)!;
    used[list]!.add(storage);
    const element = index(ref(storage), num(i));
    return { element, value: storage === names.frame ? element : ({ kind: 'as', expr: element, type } satisfies Expr) };
  };
  const load = (name: string, list: number, declaration?: 'const' | 'let'): Stmt =>
    declaration
      ? { kind: 'declare', declaration, name, init: slot(name, list).value }
      : { kind: 'assign', op: '=', target: ref(name), value: slot(name, list).value };
  const store = (name: string, list: number): Stmt => ({ kind: 'assign', op: '=', target: slot(name, list).element, value: ref(name) });
  // A number is loaded just before the first statement that mentions it and stored just after the
  // last that assigns it, so that it is live in a part only where the part uses it.
  const transfers = lists.map(() => new Transfers());
  for (const name of slots.keys()) {
    const v = variables.get(name)!;
    for (const i of v.lists) {
      const use = uses[i]!.get(name)!;
      // a later part reads it: the last value this one gives it is stored (the first part's tail
      // shares the local of its head, and is the last to run)
      const readLater = v.lists.some((j) => j > i && j !== tail);
      if (i === head) {
        if (readLater && use.written) transfers[i]!.storeAfter(use.lastWrite, store(name, i));
      } else if (i === tail) {
        // after the calls: loaded for the first time, or again when they changed it
        if (v.home !== head) transfers[i]!.loadBefore(use.first, load(name, i, use.written ? 'let' : 'const'));
        else if (v.writers.some((j) => j !== head && j !== tail)) transfers[i]!.loadBefore(use.first, load(name, i));
      } else {
        if (!use.declared) transfers[i]!.loadBefore(use.first, load(name, i, use.written ? 'let' : 'const'));
        if (use.written && (readLater || v.lists.includes(tail))) transfers[i]!.storeAfter(use.lastWrite, store(name, i));
      }
    }
  }

  const storages = [
    {
      name: names.frame,
      type: 'Float64Array',
      init: { kind: 'new', callee: 'Float64Array', args: [num(slotCount.get(names.frame)!)] } as Expr,
    },
    { name: names.objects, type: 'unknown[]', init: { kind: 'new', callee: 'Array', args: [num(slotCount.get(names.objects)!)] } as Expr },
  ].filter((storage) => slotCount.get(storage.name)! > 0);
  const paramsOf = (list: number) => [
    ...[...passed].filter(([name]) => uses[list]!.has(name)).map(([name, type]) => ({ name, type })),
    ...storages.filter((storage) => used[list]!.has(storage.name)).map(({ name, type }) => ({ name, type })),
  ];

  const calls: Stmt[] = pieces.slice(1).map((_, j) => {
    const call: Expr = { kind: 'call', callee: names.part(j + 2), args: paramsOf(j + 1).map((p) => ref(p.name)) };
    return returning === 'last' && j === pieces.length - 2 ? { kind: 'return', value: call } : { kind: 'expr', expr: call };
  });
  const allocation: Stmt[] = storages.map(({ name, type, init }) => ({
    kind: 'declare',
    declaration: 'const',
    name,
    type: type === 'unknown[]' ? type : undefined,
    init,
  }));
  const first: FunctionDecl = {
    ...decl,
    doc: docOf(1, pieces[0]!, pieces.length),
    body: [...allocation, ...transfers[head]!.around(lists[head]!), ...calls, ...transfers[tail]!.around(lists[tail]!)],
  };
  return [
    { decl: first, piece: pieces[0]! },
    ...pieces.slice(1).map((piece, j) => ({
      piece,
      decl: {
        kind: 'function',
        name: names.part(j + 2),
        params: paramsOf(j + 1),
        returnType: returning === 'last' && j === pieces.length - 2 ? decl.returnType : 'void',
        doc: docOf(j + 2, piece, pieces.length),
        exported: false,
        body: transfers[j + 1]!.around(lists[j + 1]!),
      } satisfies FunctionDecl,
    })),
  ];
}

/** The loads and stores of the frame to place among the statements of one part (or one side of the first). */
class Transfers {
  /** By gap: gap g is just before statement g (gap n at the end of n statements). */
  private readonly stores = new Map<number, Stmt[]>();
  private readonly loads = new Map<number, Stmt[]>();

  /** A store after statement `position` (-1: before them all, for a parameter). */
  storeAfter(position: number, statement: Stmt): void {
    add(this.stores, position + 1, statement);
  }

  loadBefore(position: number, statement: Stmt): void {
    add(this.loads, position, statement);
  }

  /** The statements with the transfers in place: at each gap, the stores of what the statements before it set, then the loads of what those after it read. */
  around(statements: Stmt[]): Stmt[] {
    if (this.stores.size === 0 && this.loads.size === 0) return statements;
    const out: Stmt[] = [];
    for (let gap = 0; gap <= statements.length; gap++) {
      out.push(...(this.stores.get(gap) ?? []), ...(this.loads.get(gap) ?? []));
      if (gap < statements.length) out.push(statements[gap]!);
    }
    return out;
  }
}

function add(map: Map<number, Stmt[]>, key: number, statement: Stmt): void {
  const list = map.get(key);
  if (list) list.push(statement);
  else map.set(key, [statement]);
}

/**
 * The lists without the declarations `let d_v = 0` of numbers that a part other than the first
 * does not otherwise mention, when other parts do: their slots of the frame start at 0, and no part
 * mentions them before (a backprop declares at the start of its reverse sweep the adjoints that
 * nested blocks accumulate into, wherever their values are used: they would all be stored there).
 * `zeroFirst` names them.
 */
function withoutZeroDeclarations(
  lists: Stmt[][],
  decl: FunctionDecl,
  typeOf: (name: string) => string | undefined,
): { lists: Stmt[][]; zeroFirst: Set<string> } {
  const uses = lists.map(usesIn);
  for (const param of decl.params) uses[0]!.set(param.name, { written: true, declared: true, first: 0, last: 0, lastWrite: -1 });
  const mentioning = new Map<string, number>();
  for (const listUses of uses) for (const name of listUses.keys()) mentioning.set(name, (mentioning.get(name) ?? 0) + 1);
  const zeroFirst = new Set<string>();
  const without = lists.map((list, i) => {
    if (i === 0 || i === lists.length - 1) return list;
    return list.filter((s, position) => {
      if (s.kind !== 'declare' || s.init?.kind !== 'num' || !Object.is(s.init.value, 0) || typeOf(s.name) !== 'number') return true;
      const use = uses[i]!.get(s.name)!;
      if (use.first !== position || use.last !== position || mentioning.get(s.name)! < 2) return true;
      zeroFirst.add(s.name);
      return false;
    });
  });
  return { lists: without, zeroFirst };
}

/** A top-level variable as the parts see it. */
interface Variable {
  name: string;
  /** The statement lists that mention it, in running order. */
  lists: number[];
  /** The lists that assign it (a declaration with a value included), in order. */
  writers: number[];
  /** The list that declares it; -1 for a number whose slot holds its first value, 0 (withoutZeroDeclarations). */
  home: number;
}

/** The variables the function declares (or takes as parameters), each with the lists that use it. */
function crossingVariables(uses: Uses[], zeroFirst: ReadonlySet<string>): Map<string, Variable> {
  const variables = new Map<string, Variable>();
  const undeclared = -2;
  uses.forEach((listUses, i) => {
    for (const [name, use] of listUses) {
      let v = variables.get(name);
      if (!v) variables.set(name, (v = { name, lists: [], writers: [], home: zeroFirst.has(name) ? -1 : undeclared }));
      v.lists.push(i);
      if (use.written) v.writers.push(i);
      if (use.declared) v.home = i;
    }
  });
  // a name the function does not declare is the module's (a constant, the tape)
  for (const [name, v] of variables) if (v.home === undeclared) variables.delete(name);
  return variables;
}

/**
 * Where the function returns: at the end of the first part (`first`, after the calls), or of the
 * last part when no stretch has a reverse side (`last`). Undefined for any other `return` (one
 * nested in a block would return from its part only).
 */
function returnPlacement(parts: Part[]): 'first' | 'last' | undefined {
  const lists = parts.flatMap((part) => [part.before, part.after]);
  const returnsAt = lists.flatMap((list) => list.flatMap((s, position) => (s.kind === 'return' ? [{ list, position }] : [])));
  if (lists.some((list) => list.some((s) => s.kind !== 'return' && nestedReturn(s)))) return undefined;
  if (returnsAt.length === 0) return 'first';
  if (returnsAt.length > 1) return undefined;
  const { list, position } = returnsAt[0]!;
  if (position !== list.length - 1) return undefined;
  if (list === parts[0]!.after) return 'first';
  const innermost = parts[parts.length - 1]!;
  const nothingAfter = parts.every((part) => part.after.length === 0);
  return list === innermost.before && nothingAfter ? 'last' : undefined;
}

function nestedReturn(s: Stmt): boolean {
  switch (s.kind) {
    case 'return':
      return true;
    case 'if':
      return [...s.then, ...s.else].some(nestedReturn);
    case 'block':
    case 'forever':
    case 'countdown':
    case 'countup':
      return s.body.some(nestedReturn);
    default:
      return false;
  }
}

/** Each top-level variable's position in the function: the parameters first, then the declarations in running order. */
function declarationOrder(decl: FunctionDecl, lists: Stmt[][]): Map<string, number> {
  const order = new Map<string, number>();
  decl.params.forEach((p) => order.set(p.name, order.size));
  for (const list of lists) for (const s of list) if (s.kind === 'declare') order.set(s.name, order.size);
  return order;
}

/**
 * The top-level variables a statement list mentions, with whether it assigns or declares them.
 * Names are resolved through the nested scopes: a block's own declarations, a loop's counter and an
 * arrow's parameters hide the top-level variables of the same name inside them.
 */
function usesIn(list: Stmt[]): Uses {
  const uses: Uses = new Map();
  /** The position of the top-level statement being walked. */
  let position = 0;
  const note = (name: string, hidden: ReadonlySet<string>, written: boolean, declared = false) => {
    if (hidden.has(name)) return;
    const use = uses.get(name) ?? { written: false, declared: false, first: position, last: position, lastWrite: -1 };
    use.written ||= written;
    use.declared ||= declared;
    use.last = position;
    if (written) use.lastWrite = position;
    uses.set(name, use);
  };
  const expression = (e: Expr, hidden: ReadonlySet<string>): void => {
    if (e.kind === 'ref') note(e.name, hidden, false);
    // `--top` (a local tape's pop) assigns its operand
    if (e.kind === 'unary' && e.op === '--' && e.operand.kind === 'ref') note(e.operand.name, hidden, true);
    const inside = e.kind === 'arrow' ? new Set([...hidden, ...e.params]) : hidden;
    for (const child of childExprs(e)) expression(child, inside);
  };
  /** A nested block: its own declarations (and `bound`, a loop's counter) hide the top-level names. */
  const block = (body: Stmt[], hidden: ReadonlySet<string>, bound: string[] = []): void => {
    const own = new Set([...hidden, ...bound, ...body.flatMap((s) => (s.kind === 'declare' ? [s.name] : []))]);
    for (const s of body) statement(s, own, false);
  };
  const statement = (s: Stmt, hidden: ReadonlySet<string>, topLevel: boolean): void => {
    switch (s.kind) {
      case 'declare':
        if (s.init) expression(s.init, hidden);
        if (topLevel) note(s.name, hidden, s.init !== undefined, true);
        return;
      case 'assign':
        if (s.target.kind === 'ref') note(s.target.name, hidden, true);
        else expression(s.target, hidden);
        expression(s.value, hidden);
        return;
      case 'expr':
        expression(s.expr, hidden);
        return;
      case 'return':
        expression(s.value, hidden);
        return;
      case 'if':
        expression(s.test, hidden);
        block(s.then, hidden);
        block(s.else, hidden);
        return;
      case 'block':
      case 'forever':
        block(s.body, hidden);
        return;
      case 'countdown':
        expression(s.from, hidden);
        block(s.body, hidden, [s.counter]);
        return;
      case 'countup':
        if (s.from) expression(s.from, hidden);
        expression(s.to, hidden);
        block(s.body, hidden, [s.counter]);
        return;
      case 'break':
      case 'comment':
        return;
    }
  };
  for (position = 0; position < list.length; position++) statement(list[position]!, new Set(), true);
  return uses;
}
