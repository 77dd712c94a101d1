/**
 * The output language: a small tree of TypeScript statements and expressions that the
 * differentiator builds and the emitter prints. It holds only what generated code needs.
 */

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '**' | '===' | '!==' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'ref'; name: string }
  | { kind: 'unary'; op: '-'; operand: Expr }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr }
  | { kind: 'call'; callee: string; args: Expr[] }
  | { kind: 'object'; properties: Array<{ key: string; value: Expr }> }
  | { kind: 'member'; object: Expr; property: string };

export type Stmt =
  | { kind: 'declare'; declaration: 'const' | 'let'; name: string; init: Expr; comment?: string }
  | { kind: 'assign'; op: '=' | '+=' | '-='; name: string; value: Expr; comment?: string }
  | { kind: 'return'; value: Expr }
  | { kind: 'comment'; text: string };

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

export interface CodeModule {
  header: string;
  items: Array<FunctionDecl | ConstDecl>;
}
