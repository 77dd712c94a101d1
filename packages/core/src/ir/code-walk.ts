/** Traversals of the output language. */
import type { Expr, Stmt } from './code.js';

/** Calls `visit` on an expression and on every expression inside it. */
export function forEachExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  for (const child of childExprs(e)) forEachExpr(child, visit);
}

/** The expressions directly inside an expression. */
export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'cond':
      return [e.test, e.then, e.else];
    case 'call':
    case 'new':
      return e.args;
    case 'method':
      return [e.object, ...e.args];
    case 'index':
      return [e.object, e.index];
    case 'member':
      return [e.object];
    case 'array':
      return e.elements;
    case 'object':
      return e.properties.map((p) => p.value);
    case 'arrow':
      return [e.body];
    case 'as':
      return [e.expr];
    default:
      return [];
  }
}

/** The expression with each direct child replaced by `f(child)`. */
export function mapChildExprs(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'unary':
      return { ...e, operand: f(e.operand) };
    case 'binary':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'cond':
      return { ...e, test: f(e.test), then: f(e.then), else: f(e.else) };
    case 'call':
    case 'new':
      return { ...e, args: e.args.map(f) };
    case 'method':
      return { ...e, object: f(e.object), args: e.args.map(f) };
    case 'index':
      return { ...e, object: f(e.object), index: f(e.index) };
    case 'member':
      return { ...e, object: f(e.object) };
    case 'array':
      return { ...e, elements: e.elements.map(f) };
    case 'object':
      return { ...e, properties: e.properties.map((p) => ({ ...p, value: f(p.value) })) };
    case 'arrow':
      return { ...e, body: f(e.body) };
    case 'as':
      return { ...e, expr: f(e.expr) };
    default:
      return e;
  }
}

/** Calls `visit` on every expression of the statements, nested statements included. */
export function forEachExprInStatements(statements: Stmt[], visit: (e: Expr) => void): void {
  for (const s of statements) {
    switch (s.kind) {
      case 'declare':
        if (s.init) forEachExpr(s.init, visit);
        break;
      case 'assign':
        forEachExpr(s.target, visit);
        forEachExpr(s.value, visit);
        break;
      case 'expr':
        forEachExpr(s.expr, visit);
        break;
      case 'if':
        forEachExpr(s.test, visit);
        forEachExprInStatements(s.then, visit);
        forEachExprInStatements(s.else, visit);
        break;
      case 'block':
      case 'forever':
        forEachExprInStatements(s.body, visit);
        break;
      case 'countdown':
        forEachExpr(s.from, visit);
        forEachExprInStatements(s.body, visit);
        break;
      case 'countup':
        if (s.from) forEachExpr(s.from, visit);
        forEachExpr(s.to, visit);
        forEachExprInStatements(s.body, visit);
        break;
      case 'return':
        forEachExpr(s.value, visit);
        break;
      default:
        break;
    }
  }
}

/** True when the expression reads the variable `name`. */
export function readsVariable(e: Expr, name: string): boolean {
  let found = false;
  forEachExpr(e, (sub) => {
    if (sub.kind === 'ref' && sub.name === name) found = true;
  });
  return found;
}
