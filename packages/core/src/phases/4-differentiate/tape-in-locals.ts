/**
 * The shared tape of numbers kept in two locals while a function runs. `tape.push(v)` loads the
 * tape's buffer and top from the object and stores the top back at every push: in a loop that
 * pushes a few numbers an iteration, V8 keeps that chain of stores and loads through memory in
 * some runs and not in others (the pendulum's 10⁴ steps: grad_f settled at 1.71× f in one run,
 * 1.85× in another, 2.53× in a six-second one; 1.70–1.71× with the locals, from the first quarter
 * second). A function that pushes or pops instead reads the buffer and the top into locals when it
 * starts, which V8 keeps in registers:
 *
 *   start         let tapeValues = tape.values;  let tapeTop = tape.top;
 *   push a, b     if (tapeTop + 2 > tapeValues.length) tapeValues = tape.grow(tapeTop + 2);
 *                 tapeValues[tapeTop++] = a;  tapeValues[tapeTop++] = b;
 *   pop           tapeValues[--tapeTop]
 *
 * (a run of pushes, which the tape plan writes together at the end of a block, checks for room
 * once; only a function with a push or pop inside a loop is rewritten), and hands them back
 * wherever other code may use the tape: `tape.top = tapeTop` before a statement that calls a
 * function using the tape, or names one (passes it, or an arrow that calls it), then
 * `tapeValues = tape.values; tapeTop = tape.top` after it, since the callee may push, pop or grow
 * the buffer; and `tape.top = tapeTop` before each return and at the end of the body. `tapeValues`
 * is always the tape's own buffer (grow replaces both), so only the top is written back.
 *
 * A function whose use does not fit (a push or pop in the statement that makes such a call, or in
 * a return, or in an arrow function; a call of such a function in the test or bounds of an `if` or
 * a loop) keeps calling tape.push and tape.pop, which work on the object: it agrees with the
 * functions in locals at every call and return, so the two kinds mix.
 */
import { forEachExpr, forEachExprInStatements, mapChildExprs } from '../../ir/code-walk.js';
import type { Expr, FunctionDecl, Stmt } from '../../ir/code.js';

/** The tape's name and the names claimed for its two locals. */
export interface TapeLocalNames {
  tape: string;
  values: string;
  top: string;
}

/** The functions with their pushes and pops on locals, in the same order. */
export function tapeInLocals(functions: FunctionDecl[], names: TapeLocalNames): FunctionDecl[] {
  const usesTape = functionsUsingTape(functions, names.tape);
  return functions.map((fn) => {
    if (!operatesOnTapeInLoop(fn.body, names.tape) || readsTapeOtherwise(fn.body, names.tape)) return fn;
    const rewriter = new Rewriter(names, usesTape);
    const body = rewriter.statements(fn.body);
    if (!body) return fn;
    // the locals, and the top handed back at the end when the body can get there
    const start: Stmt[] = [
      {
        kind: 'declare',
        declaration: 'let',
        name: names.values,
        init: member(names.tape, 'values'),
        comment: 'the tape, kept in locals while this function runs',
      },
      { kind: 'declare', declaration: 'let', name: names.top, init: member(names.tape, 'top') },
    ];
    return { ...fn, body: [...start, ...body, ...(completesNormally(body) ? [rewriter.handBack()] : [])] };
  });
}

/** The functions that use the tape: by a push or pop of their own, or by calling or naming one that does. */
function functionsUsingTape(functions: FunctionDecl[], tape: string): Set<string> {
  const calls = new Map(functions.map((fn) => [fn.name, namesIn(fn.body)]));
  const using = new Set(functions.filter((fn) => calls.get(fn.name)!.has(tape)).map((fn) => fn.name));
  for (let changed = true; changed;) {
    changed = false;
    for (const fn of functions)
      if (!using.has(fn.name) && [...calls.get(fn.name)!].some((name) => using.has(name))) {
        using.add(fn.name);
        changed = true;
      }
  }
  return using;
}

/** The variables and functions the statements name (calls included). */
function namesIn(statements: Stmt[]): Set<string> {
  const names = new Set<string>();
  forEachExprInStatements(statements, (e) => {
    if (e.kind === 'ref') names.add(e.name);
    if (e.kind === 'call') names.add(e.callee);
  });
  return names;
}

/**
 * True when a push or pop is inside a loop: only there does the chain through memory cost (a
 * function that saves a few numbers once, a recursive step, is left as it reads).
 */
function operatesOnTapeInLoop(statements: Stmt[], tape: string, inLoop = false): boolean {
  return statements.some((s) => {
    switch (s.kind) {
      case 'if':
        return operatesOnTapeInLoop(s.then, tape, inLoop) || operatesOnTapeInLoop(s.else, tape, inLoop);
      case 'block':
        return operatesOnTapeInLoop(s.body, tape, inLoop);
      case 'forever':
      case 'countdown':
      case 'countup':
        return operatesOnTapeInLoop(s.body, tape, true);
      default: {
        if (!inLoop) return false;
        let found = false;
        forEachExprInStatements([s], (e) => (found ||= isTapeOperation(e, tape) !== undefined));
        return found;
      }
    }
  });
}

/** True when the tape is named other than by its pushes and pops (its locals would not see that use). */
function readsTapeOtherwise(statements: Stmt[], tape: string): boolean {
  let references = 0;
  let operations = 0;
  forEachExprInStatements(statements, (e) => {
    if (e.kind === 'ref' && e.name === tape) references++;
    if (isTapeOperation(e, tape)) operations++;
  });
  return references > operations;
}

/** 'push' or 'pop' for `tape.push(v)` or `tape.pop()`. */
function isTapeOperation(e: Expr, tape: string): 'push' | 'pop' | undefined {
  if (e.kind !== 'method' || e.object.kind !== 'ref' || e.object.name !== tape) return undefined;
  if (e.method === 'push' && e.args.length === 1) return 'push';
  if (e.method === 'pop' && e.args.length === 0) return 'pop';
  return undefined;
}

/** Rewrites one function's statements; undefined when its use of the tape does not fit (see above). */
class Rewriter {
  constructor(
    private readonly names: TapeLocalNames,
    private readonly usesTape: ReadonlySet<string>,
  ) {}

  /** `tape.top = tapeTop;` */
  handBack(): Stmt {
    return { kind: 'assign', op: '=', target: member(this.names.tape, 'top'), value: ref(this.names.top) };
  }

  /** `tapeValues = tape.values; tapeTop = tape.top;` */
  private takeBack(): Stmt[] {
    return [
      { kind: 'assign', op: '=', target: ref(this.names.values), value: member(this.names.tape, 'values') },
      { kind: 'assign', op: '=', target: ref(this.names.top), value: member(this.names.tape, 'top') },
    ];
  }

  statements(statements: Stmt[]): Stmt[] | undefined {
    const out: Stmt[] = [];
    for (let i = 0; i < statements.length; i++) {
      const pushes = this.pushRun(statements, i);
      if (pushes.length > 0) {
        out.push(...this.pushes(pushes));
        i += pushes.length - 1;
        continue;
      }
      const rewritten = this.statement(statements[i]!);
      if (!rewritten) return undefined;
      out.push(...rewritten);
    }
    return out;
  }

  /** The values of the pushes that start at statements[i] and follow one another. */
  private pushRun(statements: Stmt[], i: number): Expr[] {
    const values: Expr[] = [];
    for (let s = statements[i]; s?.kind === 'expr' && isTapeOperation(s.expr, this.names.tape) === 'push'; s = statements[++i]) {
      const value = (s.expr as Extract<Expr, { kind: 'method' }>).args[0]!;
      if (this.touchesTape(value)) break;
      values.push(value);
    }
    return values;
  }

  /** if (tapeTop + k > tapeValues.length) tapeValues = tape.grow(tapeTop + k); then tapeValues[tapeTop++] = v for each. */
  private pushes(values: Expr[]): Stmt[] {
    const { names } = this;
    const needed: Expr = { kind: 'binary', op: '+', left: ref(names.top), right: { kind: 'num', value: values.length } };
    const room: Stmt = {
      kind: 'if',
      test: { kind: 'binary', op: '>', left: needed, right: { kind: 'member', object: ref(names.values), property: 'length' } },
      then: [
        {
          kind: 'assign',
          op: '=',
          target: ref(names.values),
          value: { kind: 'method', object: ref(names.tape), method: 'grow', args: [needed] },
        },
      ],
      else: [],
    };
    const next: Expr = { kind: 'postIncrement', name: names.top };
    return [
      room,
      ...values.map((value): Stmt => ({
        kind: 'assign',
        op: '=',
        target: { kind: 'index', object: ref(names.values), index: next },
        value,
      })),
    ];
  }

  private statement(s: Stmt): Stmt[] | undefined {
    switch (s.kind) {
      case 'declare':
      case 'assign':
      case 'expr': {
        const use = this.useIn((visit) => forEachExprInStatements([s], visit));
        // a push outside a run reads the tape in its value; a pop with the call would read the top the callee left
        if (use.push || use.inArrow || (use.pop && use.callsTapeUser)) return undefined;
        if (use.callsTapeUser) return [this.handBack(), s, ...this.takeBack()];
        return [use.pop ? this.withPops(s) : s];
      }
      case 'return': {
        // (a pop there would run after the top is handed back)
        const use = this.useIn((visit) => forEachExprInStatements([s], visit));
        return use.pop || use.push ? undefined : [this.handBack(), s];
      }
      case 'if': {
        if (this.touchesTape(s.test, true)) return undefined;
        const then = this.statements(s.then);
        const otherwise = this.statements(s.else);
        return then && otherwise && [{ ...s, test: this.withPopsIn(s.test), then, else: otherwise }];
      }
      case 'block':
      case 'forever': {
        const body = this.statements(s.body);
        return body && [{ ...s, body }];
      }
      case 'countdown': {
        if (this.touchesTape(s.from)) return undefined;
        const body = this.statements(s.body);
        return body && [{ ...s, body }];
      }
      case 'countup': {
        if ((s.from && this.touchesTape(s.from)) || this.touchesTape(s.to)) return undefined;
        const body = this.statements(s.body);
        return body && [{ ...s, body }];
      }
      case 'break':
      case 'comment':
        return [s];
      case 'hole':
        throw new Error(`hole ${s.id} left unfilled in a finished function`);
    }
  }

  /** True when the expression calls or names a function that uses the tape, or (unless pops are allowed) pushes or pops itself. */
  private touchesTape(e: Expr, popsAllowed = false): boolean {
    const use = this.useIn((visit) => forEachExpr(e, visit));
    return use.push || use.inArrow || use.callsTapeUser || (use.pop && !popsAllowed);
  }

  /** What code does with the tape, from its expressions (`walk` visits each): pushes, pops (inside an arrow function, too), calls or names a function using it. */
  private useIn(walk: (visit: (e: Expr) => void) => void): { push: boolean; pop: boolean; inArrow: boolean; callsTapeUser: boolean } {
    const found = { push: false, pop: false, inArrow: false, callsTapeUser: false };
    walk((e) => {
      const operation = isTapeOperation(e, this.names.tape);
      if (operation) found[operation] = true;
      if (e.kind === 'arrow' && containsTapeOperationIn(e.body, this.names.tape)) found.inArrow = true;
      if ((e.kind === 'call' && this.usesTape.has(e.callee)) || (e.kind === 'ref' && this.usesTape.has(e.name))) found.callsTapeUser = true;
    });
    return found;
  }

  private withPops(s: Extract<Stmt, { kind: 'declare' | 'assign' | 'expr' }>): Stmt {
    switch (s.kind) {
      case 'declare':
        return s.init ? { ...s, init: this.withPopsIn(s.init) } : s;
      case 'assign':
        return { ...s, target: this.withPopsIn(s.target) as typeof s.target, value: this.withPopsIn(s.value) };
      case 'expr':
        return { ...s, expr: this.withPopsIn(s.expr) };
    }
  }

  /** The expression with each `tape.pop()` read as `tapeValues[--tapeTop]`. */
  private withPopsIn(e: Expr): Expr {
    if (isTapeOperation(e, this.names.tape) === 'pop')
      return { kind: 'index', object: ref(this.names.values), index: { kind: 'unary', op: '--', operand: ref(this.names.top) } };
    return mapChildExprs(e, (child) => this.withPopsIn(child));
  }
}

function containsTapeOperationIn(e: Expr, tape: string): boolean {
  let found = false;
  forEachExpr(e, (sub) => (found ||= isTapeOperation(sub, tape) !== undefined));
  return found;
}

/** True when running the statements may reach their end (no return or endless loop on every path). */
function completesNormally(statements: Stmt[]): boolean {
  const last = statements[statements.length - 1];
  if (!last) return true;
  switch (last.kind) {
    case 'return':
      return false;
    case 'if':
      return completesNormally(last.then) || completesNormally(last.else);
    case 'block':
      return completesNormally(last.body);
    case 'forever':
      return containsBreak(last.body);
    default:
      return true;
  }
}

/** True when a `break` in the statements leaves the loop they are the body of (not an inner one). */
function containsBreak(statements: Stmt[]): boolean {
  return statements.some((s) => {
    if (s.kind === 'break') return true;
    if (s.kind === 'if') return containsBreak(s.then) || containsBreak(s.else);
    if (s.kind === 'block') return containsBreak(s.body);
    return false;
  });
}

function ref(name: string): Extract<Expr, { kind: 'ref' }> {
  return { kind: 'ref', name };
}

function member(object: string, property: string): Extract<Expr, { kind: 'member' }> {
  return { kind: 'member', object: ref(object), property };
}
