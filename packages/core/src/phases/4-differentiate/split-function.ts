/**
 * Splitting a long generated function into nested parts, each a function of its own, so that V8
 * optimises every part (it never optimises a function whose bytecode is over 60 KB: see
 * split-plan.ts for where the cuts go and why).
 *
 * The body runs as  before₁ before₂ … beforeₖ afterₖ … after₂ after₁  (for a backprop, the
 * forward sweep of k stretches of the function, then their reverse, last first). Part i runs
 *
 *   beforeᵢ;  part i+1 (which runs beforeᵢ₊₁ … afterᵢ₊₁);  afterᵢ
 *
 * so the statements run in exactly their original order, and a value that part i computes in
 * beforeᵢ and reads again in afterᵢ (the forward values of a stretch, which its reverse reads)
 * stays a local variable of part i. Only the top-level variables that more than one part mentions
 * cross a call, and only at a call or a return:
 *
 *   numbers       live in `frame`, a Float64Array the first part allocates, one fixed slot each: a
 *                 part loads a number it did not declare just before its first statement that
 *                 mentions it (after its call, when the parts inside may have changed it), and
 *                 stores one just after its last statement that changes it, when the parts inside,
 *                 or the parts around once it returns, read it. So a number is live in a part only
 *                 where the part uses it, and nothing is boxed. The adjoints accumulated across
 *                 stretches (`d_v += …` in several parts) travel this way;
 *   the rest      (arrays, shadows, objects, booleans) are passed down as parameters, when they are
 *                 declared before the parts that read them and never reassigned in another part
 *                 (the arrays of a sweep: its parameters, their shadows, the arrays it makes);
 *                 otherwise (a result built by the innermost part, which the first returns) they
 *                 travel like numbers, in the array `objects`.
 *
 * A `return` may end the first part (a backprop returns after its reverse sweep), or the innermost
 * one when no part has statements after its call (a single forward sweep): each part then returns
 * what the part inside it returns.
 */
import { childExprs } from '../../ir/code-walk.js';
import { index, num, ref } from '../../ir/build.js';
import type { Expr, FunctionDecl, Stmt } from '../../ir/code.js';

/** The statements of one part: `before` runs before the parts inside it, `after` once they return. */
export interface Part {
  before: Stmt[];
  after: Stmt[];
}

export interface SplitNames {
  /** The module-level name of part i (1-based; part 1 keeps the function's own name). */
  part(i: number): string;
  /** The local names of the frame of numbers (a Float64Array) and of the other values (an array). */
  frame: string;
  objects: string;
}

/** How a top-level variable appears in one side of a part: it is there (read), and maybe assigned or declared. */
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
 * The function as its parts: the first keeps the declaration's name, signature and doc; the others
 * follow, named by `names.part`. Undefined when the type of a variable that crosses between the
 * parts is not known, or when the function returns from elsewhere than its end (the caller then
 * keeps it whole).
 */
export function splitFunction(
  decl: FunctionDecl,
  given: Part[],
  /** The TypeScript type of a top-level variable or parameter, when known. */
  typeOf: (name: string) => string | undefined,
  names: SplitNames,
  docOf: (i: number) => string,
): FunctionDecl[] | undefined {
  const k = given.length;
  const returning = returnPlacement(given);
  if (!returning) return undefined;
  const { parts, sides } = withoutZeroDeclarations(given, decl, typeOf);
  const variables = crossingVariables(sides);
  const order = declarationOrder(decl, given);
  const crossing = [...variables.values()].filter((v) => v.parts.length > 1).sort((a, b) => order.get(a.name)! - order.get(b.name)!);

  // Numbers get a slot of the frame; the others are handed down as parameters where they can be,
  // else get a slot of `objects`.
  const slots = new Map<string, { storage: string; index: number; type: string }>();
  const slotCount = new Map([[names.frame, 0], [names.objects, 0]]);
  const passedDown: Array<{ name: string; type: string; home: number; lastPart: number }> = [];
  for (const v of crossing) {
    const type = decl.params.find((p) => p.name === v.name)?.type ?? typeOf(v.name);
    if (type === undefined) return undefined;
    // declared after the parts inside have run, it could reach only the parts around: not handed down
    const declaredAfter = sides[v.home]!.after.get(v.name)?.declared === true;
    if (type !== 'number' && v.writers.every((i) => i === v.home) && v.parts[0]! >= v.home && !declaredAfter) {
      passedDown.push({ name: v.name, type, home: v.home, lastPart: v.parts.at(-1)! });
      continue;
    }
    const storage = type === 'number' ? names.frame : names.objects;
    slots.set(v.name, { storage, index: slotCount.get(storage)!, type });
    slotCount.set(storage, slotCount.get(storage)! + 1);
  }

  /** The storages each part loads from or stores into. */
  const used = parts.map(() => new Set<string>());
  const slot = (name: string, part: number) => {
    const { storage, index: i, type } = slots.get(name)!;
    used[part]!.add(storage);
    const element = index(ref(storage), num(i));
    return { element, value: storage === names.frame ? element : ({ kind: 'as', expr: element, type } satisfies Expr) };
  };
  const load = (name: string, part: number, declaration?: 'const' | 'let'): Stmt =>
    declaration ? { kind: 'declare', declaration, name, init: slot(name, part).value } : { kind: 'assign', op: '=', target: ref(name), value: slot(name, part).value };
  const store = (name: string, part: number): Stmt => ({ kind: 'assign', op: '=', target: slot(name, part).element, value: ref(name) });
  // A number is loaded just before the first statement that mentions it and stored just after the
  // last that assigns it, so that it is live in a part only where the part uses it.
  const transfers = parts.map(() => ({ before: new Transfers(), after: new Transfers() }));
  for (const name of slots.keys()) {
    const v = variables.get(name)!;
    const lastWriter = v.writers.at(-1)!;
    for (const i of v.parts) {
      const before = sides[i]!.before.get(name);
      const after = sides[i]!.after.get(name);
      const writes = before?.written || after?.written;
      // the parts around read it once this part returns
      const readAround = v.readAfterwardsBy[0] !== undefined && v.readAfterwardsBy[0] < i;
      // after the last assignment, in whichever side makes it
      const storeLast = () => (after?.written ? transfers[i]!.after.storeAfter(after.lastWrite, store(name, i)) : transfers[i]!.before.storeAfter(before!.lastWrite, store(name, i)));
      if (i === k - 1) {
        // no call: the two sides are one stretch
        if (!before?.declared && !after?.declared) {
          const declaration = writes ? 'let' : 'const';
          if (before) transfers[i]!.before.loadBefore(before.first, load(name, i, declaration));
          else transfers[i]!.after.loadBefore(after!.first, load(name, i, declaration));
        }
        if (readAround && writes) storeLast();
        continue;
      }
      const readInside = v.parts.at(-1)! > i;
      const changedInside = lastWriter > i;
      // after the call: loaded for the first time, or again when the parts inside changed it
      const reload = after !== undefined && !after.declared && (changedInside || before === undefined);
      if (before && !before.declared) transfers[i]!.before.loadBefore(before.first, load(name, i, writes || reload ? 'let' : 'const'));
      if (readInside && before?.written) transfers[i]!.before.storeAfter(before.lastWrite, store(name, i));
      if (reload) transfers[i]!.after.loadBefore(after.first, before ? load(name, i) : load(name, i, after.written ? 'let' : 'const'));
      // a copy the parts inside changed and this part did not reload is stale: never stored
      if (readAround && (after?.written || (before?.written && !readInside))) storeLast();
    }
  }

  const storages = [
    { name: names.frame, type: 'Float64Array', init: { kind: 'new', callee: 'Float64Array', args: [num(slotCount.get(names.frame)!)] } as Expr },
    { name: names.objects, type: 'unknown[]', init: { kind: 'new', callee: 'Array', args: [num(slotCount.get(names.objects)!)] } as Expr },
  ].filter((storage) => slotCount.get(storage.name)! > 0);
  // a part takes a storage when it or a part inside it uses it
  const paramsOf = (i: number) => [
    ...passedDown.filter((p) => p.home < i && p.lastPart >= i).map((p) => ({ name: p.name, type: p.type })),
    ...storages.filter((storage) => used.slice(i).some((names) => names.has(storage.name))).map(({ name, type }) => ({ name, type })),
  ];

  return parts.map((part, i): FunctionDecl => {
    const inner: Stmt[] = [];
    if (i < k - 1) {
      const call: Expr = { kind: 'call', callee: names.part(i + 2), args: paramsOf(i + 1).map((p) => ref(p.name)) };
      inner.push(returning === 'innermost' ? { kind: 'return', value: call } : { kind: 'expr', expr: call });
    }
    const allocation: Stmt[] = i === 0 ? storages.map(({ name, type, init }) => ({ kind: 'declare', declaration: 'const', name, type: type === 'unknown[]' ? type : undefined, init })) : [];
    const body = [...allocation, ...transfers[i]!.before.around(part.before), ...inner, ...transfers[i]!.after.around(part.after)];
    if (i === 0) return { ...decl, body, doc: docOf(1) };
    return {
      kind: 'function',
      name: names.part(i + 1),
      params: paramsOf(i),
      returnType: returning === 'innermost' ? decl.returnType : 'void',
      doc: docOf(i + 1),
      exported: false,
      body,
    };
  });
}

/** The loads and stores of the frame to place among the statements of one side of a part. */
class Transfers {
  /** By gap: gap g is just before statement g (gap n at the end of n statements). */
  private readonly stores = new Map<number, Stmt[]>();
  private readonly loads = new Map<number, Stmt[]>();

  get empty(): boolean {
    return this.stores.size === 0 && this.loads.size === 0;
  }

  /** A store after statement `position` (-1: before them all, for a parameter). */
  storeAfter(position: number, statement: Stmt): void {
    add(this.stores, position + 1, statement);
  }

  loadBefore(position: number, statement: Stmt): void {
    add(this.loads, position, statement);
  }

  /** The statements with the transfers in place: at each gap, the stores of what the statements before it set, then the loads of what those after it read. */
  around(statements: Stmt[]): Stmt[] {
    if (this.empty) return statements;
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
 * The uses of the variables in each side of each part (the parameters count as declared and set at
 * the start of the first part), without the declarations `let d_v = 0` of numbers that the part
 * declaring them does not otherwise mention: their slots of the frame start at 0, and no part
 * mentions them before (a backprop declares at the start of its reverse sweep the adjoints that
 * nested blocks accumulate into, wherever their values are used: they would all be stored there).
 */
function withoutZeroDeclarations(given: Part[], decl: FunctionDecl, typeOf: (name: string) => string | undefined): { parts: Part[]; sides: Array<{ before: Uses; after: Uses }> } {
  const sidesOf = (parts: Part[]) => {
    const sides = parts.map((part) => ({ before: usesIn(part.before), after: usesIn(part.after) }));
    for (const param of decl.params) sides[0]!.before.set(param.name, { written: true, declared: true, first: 0, last: 0, lastWrite: -1 });
    return sides;
  };
  const sides = sidesOf(given);
  const mentioning = new Map<string, number>();
  for (const side of sides) for (const name of new Set([...side.before.keys(), ...side.after.keys()])) mentioning.set(name, (mentioning.get(name) ?? 0) + 1);
  const dropped = new Map<Stmt, { part: number; side: 'before' | 'after'; name: string }>();
  given.forEach((part, i) =>
    (['before', 'after'] as const).forEach((side) =>
      part[side].forEach((s, position) => {
        if (s.kind !== 'declare' || s.init?.kind !== 'num' || !Object.is(s.init.value, 0) || typeOf(s.name) !== 'number') return;
        const use = sides[i]![side].get(s.name)!;
        const elsewhere = sides[i]![side === 'before' ? 'after' : 'before'].has(s.name);
        if (use.first === position && use.last === position && !elsewhere && mentioning.get(s.name)! > 1) dropped.set(s, { part: i, side, name: s.name });
      }),
    ),
  );
  if (dropped.size === 0) return { parts: given, sides };
  const parts = given.map((part) => ({ before: part.before.filter((s) => !dropped.has(s)), after: part.after.filter((s) => !dropped.has(s)) }));
  const kept = sidesOf(parts);
  // still declared there, and never set there: the parts that read it load it from its slot
  for (const { part, side, name } of dropped.values()) kept[part]![side].set(name, { written: false, declared: true, first: 0, last: 0, lastWrite: -1 });
  return { parts, sides: kept };
}

/** A top-level variable as the parts see it. */
interface Variable {
  name: string;
  /** The parts that mention it, in order. */
  parts: number[];
  /** The parts that assign it (a declaration with a value included), in order. */
  writers: number[];
  /** The parts whose `after` side mentions it, in order. */
  readAfterwardsBy: number[];
  /** The part that declares it. */
  home: number;
}

/** The variables the function declares (or takes as parameters), each with the parts that use it. */
function crossingVariables(sides: Array<{ before: Uses; after: Uses }>): Map<string, Variable> {
  const variables = new Map<string, Variable>();
  const undeclared = -1;
  sides.forEach((side, i) => {
    for (const name of new Set([...side.before.keys(), ...side.after.keys()])) {
      const before = side.before.get(name);
      const after = side.after.get(name);
      let v = variables.get(name);
      if (!v) variables.set(name, (v = { name, parts: [], writers: [], readAfterwardsBy: [], home: undeclared }));
      v.parts.push(i);
      if (before?.written || after?.written) v.writers.push(i);
      if (after) v.readAfterwardsBy.push(i);
      if (before?.declared || after?.declared) v.home = i;
    }
  });
  // a name the function does not declare is the module's (a constant, the tape)
  for (const [name, v] of variables) if (v.home === undeclared) variables.delete(name);
  return variables;
}

/**
 * Where the function returns: at the end of the first part, or of the innermost when nothing runs
 * after the calls. Undefined for any other `return` (one nested in a block would return from its
 * part only).
 */
function returnPlacement(parts: Part[]): 'first' | 'innermost' | undefined {
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
  return list === innermost.before && nothingAfter ? 'innermost' : undefined;
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
function declarationOrder(decl: FunctionDecl, parts: Part[]): Map<string, number> {
  const order = new Map<string, number>();
  decl.params.forEach((p) => order.set(p.name, order.size));
  const running = [...parts.map((p) => p.before), ...[...parts].reverse().map((p) => p.after)];
  for (const list of running) for (const s of list) if (s.kind === 'declare') order.set(s.name, order.size);
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
