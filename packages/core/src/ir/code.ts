/**
 * The output language: a small tree of TypeScript statements and expressions that the
 * differentiator builds and the emitter prints. It holds only what generated code needs.
 */

export type BinaryOperator =
  '+' | '-' | '*' | '/' | '%' | '**' | '===' | '!==' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '??';

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'bool'; value: boolean }
  /** A string literal, printed quoted (JSON.stringify). */
  | { kind: 'str'; value: string }
  /** A variable; `source` says which primal value (or its shadow) it holds, for the tape. */
  | { kind: 'ref'; name: string; source?: { value: number; shadow: boolean } }
  /** `--x` decrements the variable x and reads it (the pop of a local tape). */
  | { kind: 'unary'; op: '-' | '!' | '--'; operand: Expr }
  /** `x++` reads the variable x, then adds one to it (the push of a tape kept in locals). */
  | { kind: 'postIncrement'; name: string }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr }
  | { kind: 'call'; callee: string; args: Expr[] }
  | { kind: 'method'; object: Expr; method: string; args: Expr[] }
  | { kind: 'new'; callee: string; args: Expr[] }
  | { kind: 'index'; object: Expr; index: Expr }
  | { kind: 'member'; object: Expr; property: string }
  | { kind: 'array'; elements: Expr[] }
  | { kind: 'object'; properties: Array<{ key: string; value: Expr }> }
  | { kind: 'arrow'; params: string[]; body: Expr }
  | { kind: 'as'; expr: Expr; type: string };

/** What an assignment writes: a variable, an element or a field. */
export type AssignTarget = Extract<Expr, { kind: 'ref' | 'index' | 'member' }>;

export type Stmt =
  | { kind: 'declare'; declaration: 'const' | 'let'; name: string; type?: string; init?: Expr; comment?: string }
  | { kind: 'assign'; op: '=' | '+=' | '-='; target: AssignTarget; value: Expr; comment?: string }
  /** `role` marks the check at an export's entry that its arguments do not share storage (argument-aliasing.ts). */
  | { kind: 'expr'; expr: Expr; comment?: string; role?: 'argument-check' }
  | { kind: 'if'; test: Expr; then: Stmt[]; else: Stmt[] }
  /** `{ body }`: a scope of its own, so that its declarations may reuse names declared around it. */
  | { kind: 'block'; body: Stmt[] }
  /** `for (;;) { body }`, left by a `break` in the body. */
  | { kind: 'forever'; body: Stmt[] }
  /** `for (let counter = from; counter > 0; counter--) { body }`: the reverse of a loop. */
  | { kind: 'countdown'; counter: string; from: Expr; body: Stmt[] }
  /**
   * `for (let counter = from; counter < to; counter++) { body }`: a walk in index order (from 0 by
   * default), or a counted loop of the source, which may test `counter <= to` (or `>`, `>=`: `test`)
   * and step by another whole number (`counter += step`, `counter--`).
   */
  | { kind: 'countup'; counter: string; from?: Expr; to: Expr; test?: '<' | '<=' | '>' | '>='; step?: number; body: Stmt[] }
  | { kind: 'break' }
  | { kind: 'return'; value: Expr }
  | { kind: 'comment'; text: string }
  /** Room for code the differentiator writes once the tape plan is known (phases/4-differentiate/sweeps.ts); never printed. */
  | { kind: 'hole'; id: number };

export interface FunctionDecl {
  kind: 'function';
  name: string;
  params: Array<{ name: string; type: string }>;
  returnType: string;
  body: Stmt[];
  doc: string;
  exported: boolean;
}

export interface ConstDecl {
  kind: 'const';
  name: string;
  init: Expr;
}

/** Verbatim declarations the generated functions share (the tape class). */
export interface RawDecl {
  kind: 'raw';
  text: string;
}

export interface CodeModule {
  header: string;
  /** `import { name as local } from 'module'` */
  imports: Array<{ module: string; name: string; local: string }>;
  items: Array<FunctionDecl | ConstDecl | RawDecl>;
}
