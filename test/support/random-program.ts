/**
 * Random differentiable programs for property tests.
 *
 * Three layers, so that later issues can add constructs (branches, loops, arrays, calls) one
 * layer at a time:
 *
 *   1. An AST of the programs (`Expr`, `Stmt`, `FunctionDef`, `Program`): only what the tests
 *      generate, and every node prints as ordinary TypeScript.
 *   2. A printer (`printPrograms`, `printProgram`, `printExpr`) that inserts exactly the parentheses
 *      precedence requires, writes number literals in the notation each node asks for, and can
 *      instrument every computed value (to measure the magnitudes a program goes through).
 *   3. Generation (`programArbitrary`): fast-check draws a *recipe*, a tree that names variables
 *      by index rather than by name, and `buildProgram` turns it into an AST that is valid by
 *      construction: every name read is declared, assigned and outside its temporal dead zone,
 *      every write goes to a mutable binding, no block redeclares a name or declares one it has
 *      already read from an outer scope. Because any recipe builds a valid program, whatever
 *      fast-check shrinks a recipe to is still valid, so failures shrink to small programs.
 *
 *   4. Programs with control flow, arrays and calls (`flowProgramArbitrary`, `buildFlowProgram`):
 *      the same layers extended. Recipes add branches (if/else, ?:, &&, ||, !, switch), loops
 *      (for up and down, while and do…while with a counter, for…of), break/continue/return,
 *      array parameters (`number[]`, `readonly number[]`, `Float64Array`) and integer parameters,
 *      local arrays, element reads and writes, push, and helper functions of four kinds (numbers
 *      in; an array and numbers in; writing into a local array; recursive with a depth). The
 *      builder keeps them valid by construction too: a name is read only where it is assigned on
 *      every path (writes in a branch, a loop or a short-circuit operand do not count after it),
 *      every index is in range (a counter running over the array, `int % a.length`, a literal
 *      below the array's least length, …), every loop ends (a counter bounds it, and nothing is
 *      pushed onto an array a loop runs over), jumps go only where they are allowed, no code is
 *      unreachable, and helpers are called with arguments of their parameters' types. Integer
 *      parameters are used only as counts (bounds, indices, depths, switch values), so the
 *      result is piecewise constant in them. The straight-line generator (layers 1–3) draws and
 *      prints exactly what it did before these were added.
 *
 *   5. Functions as values (issue 16), in programs with control flow: array methods with callbacks
 *      (`Builder.arrayMethod`), `forEach` statements, local functions (`Builder.localFunction`) and
 *      higher-order helpers (a helper kind whose first parameter is a function of a number), called
 *      with arrows built in place, local functions, helpers or Math functions by name. A callback
 *      may run several times, or not at all: writes to the variables around it are damped as in a
 *      loop, and what it assigns is not assigned afterwards. A function passed to a helper does
 *      not assign the variables around it (the compiler rejects that, AD1142). `usesFunctions`
 *      tells whether a program uses any of them. `functions: false` leaves them out.
 *
 * The operations are generated on safe domains so that finite differences are meaningful: the
 * argument of log or sqrt is `1 + e ** 2` or `|e| + 0.5`, a divisor is `2 + Math.sin(e)`, a power
 * with a varied exponent has a positive base, and so on (see `templates`). Operations with kinks
 * (abs, min, max, %, floor, …) are generated as they are; the test detects a kink near the point.
 * Inside a loop, a write to a variable or array from outside it is damped (see
 * `Builder.assignment`), so that dozens of iterations stay within the magnitudes the test allows.
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// 1. The AST
// ---------------------------------------------------------------------------------------------

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | '**';
export type AssignmentOperator = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '**=';

/** How a number literal is spelled; every notation of a value denotes exactly that double. */
export type NumberNotation =
  | 'shortest' // String(value): 2, 0.5, 1e-7
  | 'plain' // positional digits only: 0.0000001
  | 'scientific' // 1.5e-7, 2e0
  | 'scientific-upper' // 15E-8
  | 'leading-dot' // .5
  | 'trailing-dot' // 2.
  | 'separators' // 1_000, 0.000_000_1
  | 'hex' // 0x1f
  | 'octal' // 0o17
  | 'binary'; // 0b101

export const MATH_CONSTANTS = ['PI', 'E', 'LN2', 'LN10', 'LOG2E', 'LOG10E', 'SQRT1_2', 'SQRT2'] as const;
export type MathConstant = (typeof MATH_CONSTANTS)[number];

export type Expr =
  | { kind: 'number'; value: number; notation: NumberNotation }
  /** A parameter, a local variable or a module-level constant. */
  | { kind: 'name'; name: string }
  | { kind: 'math-constant'; name: MathConstant }
  | { kind: 'unary'; op: '-' | '+'; operand: Expr }
  | { kind: 'binary'; op: ArithmeticOperator; left: Expr; right: Expr }
  /** A call of a Math function: `callee` is its name without `Math.`. */
  | { kind: 'call'; callee: string; args: Expr[] }
  | { kind: 'update'; op: '++' | '--'; prefix: boolean; target: string }
  | { kind: 'assign'; op: AssignmentOperator; target: string; value: Expr }
  /** Parentheses the printer would not need. */
  | { kind: 'paren'; expr: Expr }
  // Control flow, arrays and calls (section 4):
  /** `a[index]`, with a non-null assertion `a[index]!` when `bang`. */
  | { kind: 'element'; array: string; index: Expr; bang: boolean }
  | { kind: 'length'; array: string }
  | { kind: 'compare'; op: ComparisonOperator; left: Expr; right: Expr }
  | { kind: 'logical'; op: '&&' | '||'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'conditional'; test: Expr; then: Expr; otherwise: Expr }
  /** A call of a function of the module; `result` says whether it returns a number or nothing. */
  | { kind: 'invoke'; callee: string; args: Expr[]; result: 'number' | 'void' }
  | { kind: 'assign-element'; op: AssignmentOperator; array: string; index: Expr; value: Expr }
  | { kind: 'array-literal'; elements: Expr[] }
  /** `new Float64Array(n)` or `new Float64Array(array)`, and `new Array(n).fill(value)`. */
  | { kind: 'new-float64'; arg: Expr }
  | { kind: 'new-array-fill'; size: Expr; value: Expr }
  | { kind: 'array-from'; source: string }
  | { kind: 'method'; object: string; method: 'slice' | 'push'; args: Expr[] }
  // Functions as values (section 5):
  /** An arrow written where it is passed: `(v, i) => body` (its parameters typed by the context). */
  | { kind: 'lambda'; params: string[]; body: Expr }
  /** `object.method(args)` on an array, or on the array an inner call returns (`a.map(f).reduce(g, 0)`). */
  | { kind: 'array-method'; object: string | Expr; method: ArrayMethod; args: Expr[] }
  /** `(left ?? right)`, for `find`'s undefined. */
  | { kind: 'coalesce'; left: Expr; right: Expr };

export type ArrayMethod = 'map' | 'reduce' | 'reduceRight' | 'filter' | 'some' | 'every' | 'find' | 'findIndex' | 'forEach';

export type ComparisonOperator = '<' | '<=' | '>' | '>=' | '===' | '!==';

export interface Declarator {
  name: string;
  /** Whether the type (`: number`, or `typeText`) is written. */
  typed: boolean;
  /** The type written when `typed`; `number` when not set. */
  typeText?: string;
  init?: Expr;
}

export type Stmt =
  | { kind: 'declare'; declaration: 'let' | 'const'; declarators: Declarator[] }
  | { kind: 'expression'; expr: Expr }
  | { kind: 'block'; body: Stmt[] }
  | { kind: 'return'; value: Expr }
  // Control flow (section 4). `braces: false` prints a body of one statement without `{ }` where that is valid.
  | { kind: 'return-void' }
  | { kind: 'if'; test: Expr; then: Stmt[]; otherwise?: Stmt[]; braces: boolean }
  | { kind: 'for'; counter: string; init: Expr; test: Expr; update: Expr; body: Stmt[]; braces: boolean }
  | { kind: 'while'; test: Expr; body: Stmt[]; braces: boolean }
  | { kind: 'do-while'; body: Stmt[]; test: Expr }
  | { kind: 'for-of'; declaration: 'let' | 'const'; item: string; iterable: string; body: Stmt[]; braces: boolean }
  | { kind: 'break' }
  | { kind: 'continue' }
  /** Each clause's body is printed inside `{ }` when `braces` (a clause that declares a name needs them). */
  | { kind: 'switch'; discriminant: Expr; clauses: Array<{ test: Expr | null; body: Stmt[]; braces: boolean }> }
  // Functions as values (section 5):
  /** A local function, declared where it stands in the function around it. */
  | { kind: 'function'; fn: FunctionDef }
  /** `array.forEach((item, index) => { body })`. */
  | { kind: 'for-each'; array: string; params: string[]; body: Stmt[] };

/**
 * The types parameters are declared with; `int` is a `number` used only as a count or an index,
 * `fn` a function of a number (a higher-order helper's parameter, section 5).
 */
export type ParamType = 'number' | 'int' | 'number[]' | 'readonly number[]' | 'Float64Array' | 'fn';

export interface FunctionDef {
  name: string;
  /** `function f(…) {…}`, `const f = (…) => {…}` or `const f = function (…) {…}`. */
  form: 'declaration' | 'arrow' | 'function-expression';
  params: string[];
  /** The parameters' types, when not all `number`. */
  paramTypes?: ParamType[];
  /** For each array parameter, the length of the arrays it is called with (not printed). */
  paramLengths?: number[];
  /** `@differentiable(wrt: …)` when set; otherwise every parameter is differentiated. */
  wrt?: string[];
  /** `@differentiable(forward)`: jvp_f as well (the forward-mode property test sets it). */
  forward?: boolean;
  /** `@differentiable(hessian)`: hvp_f and hessian_f as well (the forward-mode property test sets it on some). */
  hessian?: boolean;
  /** Whether the return type (`: number`, or `: void` for a function returning nothing) is written. */
  returnType: boolean;
  /** What the function returns: a number unless set. */
  result?: 'number' | 'void';
  /** Whether it carries the `@differentiable` mark (helpers do not); true unless set. */
  marked?: boolean;
  /** Whether it is exported; true unless set. */
  exported?: boolean;
  /** Straight-line statements whose last one is the only `return`, or (section 4) any statements. */
  body: Stmt[];
}

export interface ConstantDef {
  name: string;
  typed: boolean;
  init: Expr;
}

/** One random program: a marked function, the module-level constants it may read and the helpers it may call. */
export interface Program {
  constants: ConstantDef[];
  /** Functions of the module that `fn` (or a later helper) calls, printed before it. */
  helpers?: FunctionDef[];
  fn: FunctionDef;
}

/**
 * Whether a program uses functions as values (section 5): an arrow, an array method with a
 * callback, `forEach`, a local function, or a helper with a function parameter.
 */
export function usesFunctions(program: Program): boolean {
  const inExpr = (e: Expr): boolean => {
    if (e.kind === 'lambda' || e.kind === 'array-method') return true;
    return Object.values(e).some((child) => (Array.isArray(child) ? child.some((c) => isExpr(c) && inExpr(c)) : isExpr(child) && inExpr(child)));
  };
  const inStmt = (s: Stmt): boolean => {
    if (s.kind === 'function' || s.kind === 'for-each') return true;
    return Object.values(s).some((child) =>
      Array.isArray(child) ? child.some((c) => (isStmt(c) ? inStmt(c) : isExpr(c) ? inExpr(c) : typeof c === 'object' && c !== null && Object.values(c).some((v) => (Array.isArray(v) ? v.some((x) => isStmt(x) && inStmt(x)) : isExpr(v) && inExpr(v))))) : isExpr(child) && inExpr(child),
    );
  };
  const functions = [...(program.helpers ?? []), program.fn];
  return functions.some((fn) => fn.paramTypes?.includes('fn') || fn.body.some(inStmt)) || program.constants.some((c) => inExpr(c.init));
}

const EXPR_KINDS = new Set(['number', 'name', 'math-constant', 'unary', 'binary', 'call', 'update', 'assign', 'paren', 'element', 'length', 'compare', 'logical', 'not', 'conditional', 'invoke', 'assign-element', 'array-literal', 'new-float64', 'new-array-fill', 'array-from', 'method', 'lambda', 'array-method', 'coalesce']);
const isExpr = (x: unknown): x is Expr => typeof x === 'object' && x !== null && EXPR_KINDS.has((x as { kind?: string }).kind ?? '') && !('declarators' in x);
const isStmt = (x: unknown): x is Stmt => typeof x === 'object' && x !== null && 'kind' in x && !isExpr(x) && typeof (x as { kind: unknown }).kind === 'string';

/** The parameters the gradient is taken with respect to, in parameter order. */
export function differentiatedParams(fn: FunctionDef): string[] {
  return fn.wrt ? fn.params.filter((p) => fn.wrt!.includes(p)) : fn.params;
}

// ---------------------------------------------------------------------------------------------
// 2. The printer
// ---------------------------------------------------------------------------------------------

export interface PrintOptions {
  /**
   * When set, every computed value `e` is printed as `probe(e)`, where `probe` is this name:
   * the module then measures what the function computes (see `probePrelude`). Such text is for
   * running directly, never for the compiler.
   */
  probe?: string;
  /**
   * Print JavaScript (a CommonJS module body) instead of TypeScript: no types, no non-null
   * assertions, `exports.f = f` instead of `export`. The same program, which a test can run
   * without a transpiler.
   */
  javascript?: boolean;
}

// JavaScript precedence: higher binds tighter.
const ASSIGNMENT = 2;
const CONDITIONAL = 2;
const OR = 3;
const AND = 4;
const EQUALITY = 8;
const RELATIONAL = 9;
const ADDITIVE = 11;
const MULTIPLICATIVE = 12;
const EXPONENT = 13;
const PREFIX = 14;
const POSTFIX = 15;
const CALL = 17;
const PRIMARY = 20;

const binaryPrecedence: Record<ArithmeticOperator, number> = {
  '+': ADDITIVE,
  '-': ADDITIVE,
  '*': MULTIPLICATIVE,
  '/': MULTIPLICATIVE,
  '%': MULTIPLICATIVE,
  '**': EXPONENT,
};

function precedenceOf(e: Expr, options: PrintOptions): number {
  if (options.probe && isComputed(e)) return CALL;
  switch (e.kind) {
    case 'number':
    case 'name':
    case 'paren':
      return PRIMARY;
    case 'math-constant':
    case 'call':
      return CALL;
    case 'unary':
      return PREFIX;
    case 'update':
      return e.prefix ? PREFIX : POSTFIX;
    case 'binary':
      return binaryPrecedence[e.op];
    case 'assign':
    case 'assign-element':
      return ASSIGNMENT;
    case 'array-literal':
      return PRIMARY;
    case 'element':
    case 'length':
    case 'invoke':
    case 'new-float64':
    case 'new-array-fill':
    case 'array-from':
    case 'method':
      return CALL;
    case 'compare':
      return e.op === '===' || e.op === '!==' ? EQUALITY : RELATIONAL;
    case 'logical':
      return e.op === '&&' ? AND : OR;
    case 'not':
      return PREFIX;
    case 'conditional':
      return CONDITIONAL;
    case 'lambda':
      return ASSIGNMENT;
    case 'array-method':
      return CALL;
    case 'coalesce':
      return PRIMARY;
  }
}

/** The nodes that compute a number (and so are probed): not comparisons, arrays or calls returning nothing. */
function isComputed(e: Expr): boolean {
  switch (e.kind) {
    case 'unary':
    case 'binary':
    case 'call':
    case 'update':
    case 'assign':
    case 'assign-element':
    case 'conditional':
      return true;
    case 'invoke':
      return e.result === 'number';
    case 'array-method':
      return e.method !== 'map' && e.method !== 'filter' && e.method !== 'some' && e.method !== 'every' && e.method !== 'forEach';
    default:
      return false;
  }
}

export function printExpr(e: Expr, options: PrintOptions = {}): string {
  const text = printBare(e, options);
  return options.probe && isComputed(e) ? `${options.probe}(${text})` : text;
}

function printBare(e: Expr, options: PrintOptions): string {
  const sub = (child: Expr, parens: boolean) => (parens ? `(${printExpr(child, options)})` : printExpr(child, options));
  const prec = (child: Expr) => precedenceOf(child, options);
  switch (e.kind) {
    case 'number':
      return printNumber(e.value, e.notation);
    case 'name':
      return e.name;
    case 'math-constant':
      return `Math.${e.name}`;
    case 'paren':
      return `(${printExpr(e.expr, options)})`;
    case 'unary': {
      const operand = sub(e.operand, prec(e.operand) < PREFIX);
      // `- -x` and `- --x` must not run together into `--x` and `---x`
      return operand.startsWith(e.op) ? `${e.op}(${operand})` : `${e.op}${operand}`;
    }
    case 'update':
      return e.prefix ? `${e.op}${e.target}` : `${e.target}${e.op}`;
    case 'binary': {
      const p = binaryPrecedence[e.op];
      // ** is right-associative, and its left operand cannot be a unary or update expression
      const left = e.op === '**' ? prec(e.left) <= POSTFIX : prec(e.left) < p;
      const right = e.op === '**' ? prec(e.right) < p : prec(e.right) <= p;
      return `${sub(e.left, left)} ${e.op} ${sub(e.right, right)}`;
    }
    case 'call':
      return `Math.${e.callee}(${e.args.map((a) => sub(a, prec(a) < ASSIGNMENT)).join(', ')})`;
    case 'assign':
      return `${e.target} ${e.op} ${sub(e.value, prec(e.value) < ASSIGNMENT)}`;
    case 'element':
      return `${e.array}[${printExpr(e.index, options)}]${e.bang && !options.javascript ? '!' : ''}`;
    case 'length':
      return `${e.array}.length`;
    case 'compare':
    case 'logical': {
      const p = precedenceOf(e, {});
      return `${sub(e.left, prec(e.left) < p)} ${e.op} ${sub(e.right, prec(e.right) <= p)}`;
    }
    case 'not':
      return `!${sub(e.operand, prec(e.operand) < PREFIX)}`;
    case 'conditional':
      return `${sub(e.test, prec(e.test) <= CONDITIONAL)} ? ${sub(e.then, prec(e.then) < ASSIGNMENT)} : ${sub(e.otherwise, prec(e.otherwise) < ASSIGNMENT)}`;
    case 'invoke':
      return `${e.callee}(${e.args.map((a) => sub(a, prec(a) < ASSIGNMENT)).join(', ')})`;
    case 'assign-element':
      return `${e.array}[${printExpr(e.index, options)}] ${e.op} ${sub(e.value, prec(e.value) < ASSIGNMENT)}`;
    case 'array-literal':
      return `[${e.elements.map((a) => sub(a, prec(a) < ASSIGNMENT)).join(', ')}]`;
    case 'new-float64':
      return `new Float64Array(${printExpr(e.arg, options)})`;
    case 'new-array-fill':
      return `new Array(${printExpr(e.size, options)}).fill(${sub(e.value, prec(e.value) < ASSIGNMENT)})`;
    case 'array-from':
      return `Array.from(${e.source})`;
    case 'method':
      return `${e.object}.${e.method}(${e.args.map((a) => sub(a, prec(a) < ASSIGNMENT)).join(', ')})`;
    case 'lambda':
      return `(${e.params.join(', ')}) => ${sub(e.body, prec(e.body) < ASSIGNMENT || e.body.kind === 'lambda')}`;
    case 'array-method': {
      const object = typeof e.object === 'string' ? e.object : sub(e.object, prec(e.object) < CALL);
      return `${object}.${e.method}(${e.args.map((a) => sub(a, prec(a) < ASSIGNMENT)).join(', ')})`;
    }
    case 'coalesce':
      return `(${sub(e.left, prec(e.left) <= CONDITIONAL)} ?? ${sub(e.right, prec(e.right) <= CONDITIONAL)})`;
  }
}

/** Exact decimal digits and exponent of a finite value ≥ 0: value = digits × 10^exponent. */
function decimal(value: number): { digits: string; exponent: number } {
  const text = String(value);
  const [mantissa, exp = '0'] = text.split('e');
  const [whole, fraction = ''] = mantissa!.split('.');
  let digits = (whole! + fraction).replace(/^0+(?=\d)/, '');
  let exponent = Number(exp) - fraction.length;
  if (/^0+$/.test(digits)) return { digits: '0', exponent: 0 };
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent++;
  }
  return { digits, exponent };
}

/** Positional notation: integer part and fraction digits. */
function positional(value: number): { whole: string; fraction: string } {
  const { digits, exponent } = decimal(value);
  if (exponent >= 0) return { whole: digits + '0'.repeat(exponent), fraction: '' };
  const padded = digits.padStart(-exponent + 1, '0');
  return { whole: padded.slice(0, exponent), fraction: padded.slice(exponent) };
}

const group = (digits: string, fromRight: boolean): string => {
  const parts: string[] = [];
  if (fromRight) for (let end = digits.length; end > 0; end -= 3) parts.unshift(digits.slice(Math.max(0, end - 3), end));
  else for (let start = 0; start < digits.length; start += 3) parts.push(digits.slice(start, start + 3));
  return parts.join('_');
};

/** The notations that can spell `value` (a finite number ≥ 0). */
export function notationsFor(value: number): NumberNotation[] {
  const notations: NumberNotation[] = ['shortest', 'plain', 'scientific', 'scientific-upper'];
  const { whole } = positional(value);
  if (whole === '0' && value !== 0) notations.push('leading-dot');
  if (Number.isInteger(value) && !String(value).includes('e')) notations.push('trailing-dot');
  if (value >= 1000 || positional(value).fraction.length > 3) notations.push('separators');
  if (Number.isSafeInteger(value)) notations.push('hex', 'octal', 'binary');
  return notations;
}

export function printNumber(value: number, notation: NumberNotation): string {
  if (!Number.isFinite(value) || value < 0) throw new Error(`cannot print ${value} as a literal`);
  const { whole, fraction } = positional(value);
  const plain = fraction ? `${whole}.${fraction}` : whole;
  switch (notation) {
    case 'shortest':
      return String(value);
    case 'plain':
      return plain;
    case 'scientific': {
      const { digits, exponent } = decimal(value);
      const e = exponent + digits.length - 1;
      return `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e}`;
    }
    case 'scientific-upper': {
      const { digits, exponent } = decimal(value);
      return `${digits}E${exponent}`;
    }
    case 'leading-dot':
      return whole === '0' && fraction ? `.${fraction}` : plain;
    case 'trailing-dot':
      return fraction ? plain : `${whole}.`;
    case 'separators':
      return fraction ? `${group(whole, true)}.${group(fraction, false)}` : group(whole, true);
    case 'hex':
      return Number.isSafeInteger(value) ? `0x${value.toString(16)}` : plain;
    case 'octal':
      return Number.isSafeInteger(value) ? `0o${value.toString(8)}` : plain;
    case 'binary':
      return Number.isSafeInteger(value) ? `0b${value.toString(2)}` : plain;
  }
}

function printStmt(statement: Stmt, indent: string, options: PrintOptions): string[] {
  const inner = `${indent}  `;
  const block = (body: Stmt[]) => body.flatMap((s) => printStmt(s, inner, options));
  /** `head {…}`, or `head statement;` on one line for a body of one statement that needs no braces. */
  const compound = (head: string, body: Stmt[], braces: boolean): string[] => {
    if (!braces && body.length === 1 && body[0]!.kind !== 'declare') {
      const lines = printStmt(body[0]!, '', options);
      if (lines.length === 1) return [`${indent}${head} ${lines[0]}`];
    }
    return [`${indent}${head} {`, ...block(body), `${indent}}`];
  };
  switch (statement.kind) {
    case 'declare': {
      const declarators = statement.declarators.map(
        (d) => `${d.name}${d.typed && !options.javascript ? `: ${d.typeText ?? 'number'}` : ''}${d.init ? ` = ${printExpr(d.init, options)}` : ''}`,
      );
      return [`${indent}${statement.declaration} ${declarators.join(', ')};`];
    }
    case 'expression':
      return [`${indent}${printExpr(statement.expr, options)};`];
    case 'block':
      return [`${indent}{`, ...block(statement.body), `${indent}}`];
    case 'return':
      return [`${indent}return ${printExpr(statement.value, options)};`];
    case 'return-void':
      return [`${indent}return;`];
    case 'break':
      return [`${indent}break;`];
    case 'continue':
      return [`${indent}continue;`];
    case 'if': {
      const head = `if (${printExpr(statement.test, options)})`;
      if (!statement.otherwise) return compound(head, statement.then, statement.braces);
      const lines = [`${indent}${head} {`, ...block(statement.then)];
      const otherwise = statement.otherwise;
      if (otherwise.length === 1 && otherwise[0]!.kind === 'if') {
        // else if: the nested if's lines, its first line joined to the `}`
        const [first, ...rest] = printStmt(otherwise[0]!, indent, options);
        return [...lines, `${indent}} else ${first!.trimStart()}`, ...rest];
      }
      return [...lines, `${indent}} else {`, ...block(otherwise), `${indent}}`];
    }
    case 'for':
      return compound(
        `for (let ${statement.counter} = ${printExpr(statement.init, options)}; ${printExpr(statement.test, options)}; ${printExpr(statement.update, options)})`,
        statement.body,
        statement.braces,
      );
    case 'while':
      return compound(`while (${printExpr(statement.test, options)})`, statement.body, statement.braces);
    case 'do-while':
      return [`${indent}do {`, ...block(statement.body), `${indent}} while (${printExpr(statement.test, options)});`];
    case 'for-of':
      return compound(`for (${statement.declaration} ${statement.item} of ${statement.iterable})`, statement.body, statement.braces);
    case 'function':
      return printFunction(statement.fn, options).split('\n').map((line) => `${indent}${line}`);
    case 'for-each':
      return [`${indent}${statement.array}.forEach((${statement.params.join(', ')}) => {`, ...block(statement.body), `${indent}});`];
    case 'switch': {
      const lines = [`${indent}switch (${printExpr(statement.discriminant, options)}) {`];
      for (const clause of statement.clauses) {
        const label = clause.test ? `case ${printExpr(clause.test, options)}:` : 'default:';
        if (clause.braces) lines.push(`${inner}${label} {`, ...clause.body.flatMap((s) => printStmt(s, `${inner}  `, options)), `${inner}}`);
        else lines.push(`${inner}${label}`, ...clause.body.flatMap((s) => printStmt(s, `${inner}  `, options)));
      }
      return [...lines, `${indent}}`];
    }
  }
}

const typeText = (type: ParamType) => (type === 'int' ? 'number' : type === 'fn' ? '(t: number) => number' : type);

export function printFunction(fn: FunctionDef, options: PrintOptions = {}): string {
  const markOptions = [...(fn.forward ? ['forward'] : []), ...(fn.hessian ? ['hessian'] : []), ...(fn.wrt ? [`wrt: ${fn.wrt.join(', ')}`] : [])];
  const mark = fn.marked === false ? '' : markOptions.length > 0 ? `/** @differentiable(${markOptions.join(', ')}) */\n` : '/** @differentiable */\n';
  const js = options.javascript === true;
  const exported = fn.exported === false || js ? '' : 'export ';
  const params = fn.params.map((p, i) => (js ? p : `${p}: ${typeText(fn.paramTypes?.[i] ?? 'number')}`)).join(', ');
  const returnType = fn.returnType && !js ? `: ${fn.result ?? 'number'}` : '';
  const body = fn.body.flatMap((s) => printStmt(s, '  ', options)).join('\n');
  const exports = fn.exported !== false && js ? `\nexports.${fn.name} = ${fn.name};` : '';
  switch (fn.form) {
    case 'declaration':
      return `${mark}${exported}function ${fn.name}(${params})${returnType} {\n${body}\n}${exports}`;
    case 'arrow':
      return `${mark}${exported}const ${fn.name} = (${params})${returnType} => {\n${body}\n};${exports}`;
    case 'function-expression':
      return `${mark}${exported}const ${fn.name} = function (${params})${returnType} {\n${body}\n};${exports}`;
  }
}

export function printConstant(constant: ConstantDef, options: PrintOptions = {}): string {
  return `const ${constant.name}${constant.typed && !options.javascript ? ': number' : ''} = ${printExpr(constant.init, options)};`;
}

/** The text that defines `probe` for an instrumented module: it tracks the largest |value|. */
export function probePrelude(probe: string, javascript = false): string {
  if (javascript) {
    return [
      `let ${probe}Largest = 0;`,
      `function ${probe}(value) {`,
      `  ${probe}Largest = Math.max(${probe}Largest, Math.abs(value));`,
      '  return value;',
      '}',
      `exports.${probe}Take = () => {`,
      `  const largest = ${probe}Largest;`,
      `  ${probe}Largest = 0;`,
      '  return largest;',
      '};',
    ].join('\n');
  }
  return [
    `let ${probe}Largest = 0;`,
    `function ${probe}(value: number): number {`,
    `  ${probe}Largest = Math.max(${probe}Largest, Math.abs(value));`,
    '  return value;',
    '}',
    `/** The largest |value| computed since the last call (NaN when a value was NaN). */`,
    `export function ${probe}Take(): number {`,
    `  const largest = ${probe}Largest;`,
    `  ${probe}Largest = 0;`,
    '  return largest;',
    '}',
  ].join('\n');
}

export interface PrintedModule {
  text: string;
  /** For each program, the 1-based first and last lines of its text (constants and function). */
  lines: Array<{ first: number; last: number }>;
}

/**
 * Prints programs one after the other as one source file, each program's constants just before
 * its function (so a diagnostic's line tells which program it is about). The programs' names must
 * not clash: see `combinePrograms`.
 */
export function printPrograms(programs: Program[], options: PrintOptions = {}): PrintedModule {
  const chunks: string[] = [];
  const lines: PrintedModule['lines'] = [];
  let line = 1;
  const push = (text: string) => {
    chunks.push(text);
    line += text.split('\n').length + 1; // each chunk is followed by a blank line
  };
  if (options.probe) push(probePrelude(options.probe, options.javascript));
  for (const program of programs) {
    const first = line;
    if (program.constants.length > 0) push(program.constants.map((c) => printConstant(c, options)).join('\n'));
    for (const helper of program.helpers ?? []) push(printFunction(helper, options));
    push(printFunction(program.fn, options));
    lines.push({ first, last: line - 2 });
  }
  return { text: `${chunks.join('\n\n')}\n`, lines };
}

export function printProgram(program: Program, options: PrintOptions = {}): string {
  return printPrograms([program], options).text;
}

// ---------------------------------------------------------------------------------------------
// Renaming, to put several programs in one file
// ---------------------------------------------------------------------------------------------

function renameExpr(e: Expr, rename: (name: string) => string): Expr {
  switch (e.kind) {
    case 'number':
    case 'math-constant':
      return e;
    case 'name':
      return { ...e, name: rename(e.name) };
    case 'paren':
      return { ...e, expr: renameExpr(e.expr, rename) };
    case 'unary':
      return { ...e, operand: renameExpr(e.operand, rename) };
    case 'binary':
      return { ...e, left: renameExpr(e.left, rename), right: renameExpr(e.right, rename) };
    case 'call':
      return { ...e, args: e.args.map((a) => renameExpr(a, rename)) };
    case 'update':
      return { ...e, target: rename(e.target) };
    case 'assign':
      return { ...e, target: rename(e.target), value: renameExpr(e.value, rename) };
    case 'element':
      return { ...e, array: rename(e.array), index: renameExpr(e.index, rename) };
    case 'length':
      return { ...e, array: rename(e.array) };
    case 'compare':
    case 'logical':
      return { ...e, left: renameExpr(e.left, rename), right: renameExpr(e.right, rename) };
    case 'not':
      return { ...e, operand: renameExpr(e.operand, rename) };
    case 'conditional':
      return { ...e, test: renameExpr(e.test, rename), then: renameExpr(e.then, rename), otherwise: renameExpr(e.otherwise, rename) };
    case 'invoke':
      return { ...e, callee: rename(e.callee), args: e.args.map((a) => renameExpr(a, rename)) };
    case 'assign-element':
      return { ...e, array: rename(e.array), index: renameExpr(e.index, rename), value: renameExpr(e.value, rename) };
    case 'array-literal':
      return { ...e, elements: e.elements.map((a) => renameExpr(a, rename)) };
    case 'new-float64':
      return { ...e, arg: renameExpr(e.arg, rename) };
    case 'new-array-fill':
      return { ...e, size: renameExpr(e.size, rename), value: renameExpr(e.value, rename) };
    case 'array-from':
      return { ...e, source: rename(e.source) };
    case 'method':
      return { ...e, object: rename(e.object), args: e.args.map((a) => renameExpr(a, rename)) };
    case 'lambda':
      return { ...e, params: e.params.map(rename), body: renameExpr(e.body, rename) };
    case 'array-method':
      return { ...e, object: typeof e.object === 'string' ? rename(e.object) : renameExpr(e.object, rename), args: e.args.map((a) => renameExpr(a, rename)) };
    case 'coalesce':
      return { ...e, left: renameExpr(e.left, rename), right: renameExpr(e.right, rename) };
  }
}

function renameStmt(s: Stmt, rename: (name: string) => string): Stmt {
  const body = (b: Stmt[]) => b.map((x) => renameStmt(x, rename));
  switch (s.kind) {
    case 'declare':
      return {
        ...s,
        declarators: s.declarators.map((d) => ({ ...d, name: rename(d.name), init: d.init && renameExpr(d.init, rename) })),
      };
    case 'expression':
      return { ...s, expr: renameExpr(s.expr, rename) };
    case 'block':
      return { ...s, body: body(s.body) };
    case 'return':
      return { ...s, value: renameExpr(s.value, rename) };
    case 'return-void':
    case 'break':
    case 'continue':
      return s;
    case 'if':
      return { ...s, test: renameExpr(s.test, rename), then: body(s.then), ...(s.otherwise ? { otherwise: body(s.otherwise) } : {}) };
    case 'for':
      return {
        ...s,
        counter: rename(s.counter),
        init: renameExpr(s.init, rename),
        test: renameExpr(s.test, rename),
        update: renameExpr(s.update, rename),
        body: body(s.body),
      };
    case 'while':
    case 'do-while':
      return { ...s, test: renameExpr(s.test, rename), body: body(s.body) };
    case 'for-of':
      return { ...s, item: rename(s.item), iterable: rename(s.iterable), body: body(s.body) };
    case 'switch':
      return {
        ...s,
        discriminant: renameExpr(s.discriminant, rename),
        clauses: s.clauses.map((c) => ({ ...c, test: c.test && renameExpr(c.test, rename), body: body(c.body) })),
      };
    case 'function':
      return { ...s, fn: renameFunction(s.fn, rename(s.fn.name), rename) };
    case 'for-each':
      return { ...s, array: rename(s.array), params: s.params.map(rename), body: body(s.body) };
  }
}

function renameFunction(fn: FunctionDef, name: string, rename: (name: string) => string): FunctionDef {
  return {
    ...fn,
    name,
    params: fn.params.map(rename),
    ...(fn.wrt ? { wrt: fn.wrt.map(rename) } : {}),
    body: fn.body.map((s) => renameStmt(s, rename)),
  };
}

/**
 * The program with its function called `name` and its module-level constants renamed with
 * `suffix` (every occurrence of those names, so shadowing stays exactly as it was). Names of the
 * generator never contain `__`, so suffixes like `__12` keep programs of one file apart.
 */
export function renameProgram(program: Program, name: string, suffix: string): Program {
  const moduleNames = new Set([...program.constants.map((c) => c.name), ...(program.helpers ?? []).map((h) => h.name)]);
  const rename = (n: string) => (moduleNames.has(n) ? `${n}${suffix}` : n);
  return {
    constants: program.constants.map((c) => ({ ...c, name: rename(c.name), init: renameExpr(c.init, rename) })),
    ...(program.helpers ? { helpers: program.helpers.map((h) => renameFunction(h, rename(h.name), rename)) } : {}),
    fn: {
      ...program.fn,
      name,
      params: program.fn.params.map(rename),
      wrt: program.fn.wrt?.map(rename),
      body: program.fn.body.map((s) => renameStmt(s, rename)),
    },
  };
}

/** Several programs made fit to share a file: functions f0, f1, …, constants suffixed `__0`, `__1`, …. */
export function combinePrograms(programs: Program[], functionName = (i: number) => `f${i}`): Program[] {
  return programs.map((p, i) => renameProgram(p, functionName(i), `__${i}`));
}

// ---------------------------------------------------------------------------------------------
// 3. Generation: recipes, and the builder that turns a recipe into a valid program
// ---------------------------------------------------------------------------------------------

/** A subexpression by index into the variables in scope, so that any recipe builds a valid program. */
export type ExprRecipe =
  | { t: 'name'; pick: number }
  | { t: 'number'; value: number; notation: number }
  | { t: 'math-constant'; pick: number }
  | { t: 'unary'; op: '-' | '+'; e: ExprRecipe }
  | { t: 'binary'; op: '+' | '-' | '*'; a: ExprRecipe; b: ExprRecipe }
  | { t: 'template'; name: TemplateName; variant: number; args: ExprRecipe[] }
  | { t: 'update'; op: '++' | '--'; prefix: boolean; pick: number }
  | { t: 'assign'; op: AssignmentOperator; pick: number; variant: number; e: ExprRecipe }
  | { t: 'paren'; e: ExprRecipe }
  // Arrays, branches and calls (section 4); straight-line programs never contain these:
  /** An element of an array in scope, at an index in range by construction. */
  | { t: 'element'; pick: number; index: IndexRecipe; bang: boolean }
  | { t: 'length'; pick: number }
  | { t: 'conditional'; test: CondRecipe; a: ExprRecipe; b: ExprRecipe }
  /**
   * A call of a helper returning a number: `args` for its number parameters, `arrays` picks its
   * array arguments, `callback` its function argument (a higher-order helper's, section 5).
   */
  | { t: 'invoke'; pick: number; args: ExprRecipe[]; arrays: number[]; depth: IntRecipe; callback: number }
  | { t: 'assign-element'; op: AssignmentOperator; pick: number; index: IndexRecipe; variant: number; e: ExprRecipe }
  // Functions as values (section 5):
  /** An array method with a callback, over an array in scope (see `Builder.arrayMethod`). */
  | { t: 'array-method'; form: number; pick: number; names: number; body: ExprRecipe; test: CondRecipe; init: ExprRecipe };

/** Integer expressions ≥ 0 that do not depend on the inputs: counters, integer parameters, lengths. */
export type IntRecipe =
  | { t: 'int'; pick: number }
  | { t: 'int-literal'; value: number }
  | { t: 'int-add'; a: IntRecipe; b: IntRecipe }
  | { t: 'int-mod'; a: IntRecipe; by: number }
  | { t: 'int-length'; pick: number };

/** An index into an array: a counter known to be in range, `int % a.length`, a literal below its least length, the last one, …. */
export interface IndexRecipe {
  form: number;
  int: IntRecipe;
  offset: number;
}

export type CondRecipe =
  | { t: 'compare'; op: '<' | '<=' | '>' | '>='; a: ExprRecipe; b: ExprRecipe }
  | { t: 'int-compare'; op: ComparisonOperator; a: IntRecipe; b: IntRecipe }
  | { t: 'and' | 'or'; a: CondRecipe; b: CondRecipe }
  | { t: 'not'; c: CondRecipe };

/** A loop bound: a literal 0…6, an integer parameter, or an array's length. */
export interface BoundRecipe {
  form: number;
  value: number;
  pick: number;
}

export type StmtRecipe =
  | { t: 'declare'; declaration: 'let' | 'const'; declarators: Array<{ name: number; typed: boolean; init: ExprRecipe | null }> }
  | { t: 'expression'; e: ExprRecipe }
  | { t: 'block'; body: StmtRecipe[] }
  // Control flow, arrays and calls (section 4):
  | { t: 'if'; test: CondRecipe; then: StmtRecipe[]; otherwise: StmtRecipe[] | null; braces: boolean }
  /** `for` loops counting up or down to a bound, optionally with an input-dependent condition too. */
  | { t: 'for'; form: number; bound: BoundRecipe; test: CondRecipe | null; counter: number; body: StmtRecipe[]; braces: boolean }
  /** `while` and `do … while` loops with a counter, incremented before any `continue`. */
  | { t: 'while'; form: number; bound: BoundRecipe; test: CondRecipe | null; counter: number; body: StmtRecipe[]; braces: boolean }
  | { t: 'for-of'; pick: number; item: number; declaration: 'let' | 'const'; body: StmtRecipe[]; braces: boolean }
  /** `break`, `continue` or `return`, behind `if (test)`; unguarded (test null) only as the last statement of a branch. */
  | { t: 'jump'; kind: 'break' | 'continue' | 'return'; test: CondRecipe | null; value: ExprRecipe }
  | { t: 'switch'; discriminant: IntRecipe; clauses: Array<{ label: number; body: StmtRecipe[]; end: 'break' | 'fall'; braces: boolean }>; otherwise: StmtRecipe[] | null }
  /** A local array: a literal, `new Float64Array(n)`, a copy of another array, `new Array(n).fill(v)`. */
  | { t: 'array'; name: number; form: number; declaration: 'let' | 'const'; typed: boolean; size: number; pick: number; elements: ExprRecipe[] }
  | { t: 'push'; pick: number; e: ExprRecipe }
  /** A call of a helper that writes into a local array and returns nothing. */
  | { t: 'fill'; pick: number; array: number; args: ExprRecipe[] }
  // Functions as values (section 5):
  /** `a.forEach((item, index) => { body })`, whose body may update the variables around it. */
  | { t: 'for-each'; pick: number; names: number; body: StmtRecipe[] }
  /** A local function of number parameters returning a number, reading (and when `writes`, updating) the variables around it. */
  | { t: 'local-function'; name: number; form: FunctionDef['form']; params: number[]; writes: boolean; body: StmtRecipe[]; result: ProgramRecipe['result'] };

export interface ProgramRecipe {
  params: number[];
  form: FunctionDef['form'];
  returnType: boolean;
  /** When set, `wrt[i]` says whether parameter i is in `@differentiable(wrt: …)`. */
  wrt: boolean[] | null;
  constants: Array<{ name: number; typed: boolean; init: ExprRecipe }>;
  body: StmtRecipe[];
  /** The return value: the variable assigned last, combined with these terms, so the body's work flows into it. */
  result: { terms: ExprRecipe[]; ops: Array<'+' | '-' | '*'> };
}

/**
 * Names the generator draws from: short ones, ones the compiler also likes to generate, and ones
 * that mean something else as object keys (`__proto__`, `constructor`: the companion returns
 * gradients in objects keyed by parameter names).
 */
export const PARAM_NAMES = ['x', 'y', 'z', 'w', 'u', 'v', 't1', 'd_x', 'sum', 'value', '__proto__', 'constructor', 'hasOwnProperty'];
export const LOCAL_NAMES = [
  'a', 'b', 'c', 'x', 'y', 's', 't', 't1', 't2', 'd_x', 'd_a', 'a_2', 'x_2',
  'sum', 'diff', 'prod', 'quot', 'neg', 'pow', 'sin', 'exp', 'value', 'grad', 'grad_f0', 'valueAndGrad_f0', 'K',
  'jvp_f0', 'hvp_f0', 'backprop_f0', 'tangent_f0', 'distinctArguments', 'zerosLike', 'toString',
];
export const CONSTANT_NAMES = ['K', 'C', 'SCALE', 'OFFSET', 'x', 't1', 'd_x', 'prod'];
/** Programs with control flow also use names the compiler generates for loops, flags, tapes and copies. */
export const FLOW_LOCAL_NAMES = [
  ...LOCAL_NAMES, 'tape', 'trips', 'broke', 'returned', 'continued', 'merged', 'result', 'test', 'element', 'rem', 'length', 'd_result',
];
export const COUNTER_NAMES = ['i', 'j', 'k', 'idx', 'trips', 'i_2', 'step'];
export const ARRAY_NAMES = ['v', 'u', 'buf', 'acc', 'd_v', 'copy', 'tape', 'values', 'a_2', 'savedArrays'];
export const ARRAY_PARAM_NAMES = ['a', 'b', 'xs', 'ws', 'd_a', 'values', 'copy', 'valueOf', '__proto__'];
export const INT_PARAM_NAMES = ['n', 'm', 'count', 'steps'];
export const HELPER_NAMES = ['g', 'h', 'q', 'helper', 'accumulate', 'blend', 'Tape'];
/** Section 5: local functions, the parameters of callbacks, and the function parameter of a higher-order helper. */
export const LOCAL_FUNCTION_NAMES = ['scaled', 'local', 'inner', 'g', 'step', 'f1', 'backprop_g', 'tangent_h'];
export const CALLBACK_NAMES = ['v', 'e', 'acc', 'p', 'q', 'item', 'x', 'value', 's', 'element', 'tape'];
export const FUNCTION_PARAM_NAMES = ['f', 'fn', 'g', 'phi', 'Math_sin'];
/** The Math functions passed by name (numbers in all of ℝ). */
const NAMED_MATH = ['Math.tanh', 'Math.sin', 'Math.cos', 'Math.atan'];

/** A helper function: what it takes and returns (see `Builder.helper`), and its statements. */
export interface HelperRecipe {
  /** higher-order (section 5): a function of a number as first parameter, called in its body and result. */
  kind: 'scalar' | 'reduce' | 'fill' | 'recursive' | 'higher-order';
  name: number;
  /** Its number parameters. */
  params: number[];
  arrayType: number;
  form: FunctionDef['form'];
  returnType: boolean;
  exported: boolean;
  variant: number;
  body: StmtRecipe[];
  result: ProgramRecipe['result'];
  /** recursive: the value at depth 0, and the argument of the call one level down. */
  base: ExprRecipe;
  arg: ExprRecipe;
}

/** A program with control flow, arrays and calls: helpers, then the marked function. */
export interface FlowProgramRecipe {
  constants: ProgramRecipe['constants'];
  helpers: HelperRecipe[];
  /** number, array (of `length` elements, of type `arrayType`) or integer parameters. */
  params: Array<{ kind: 'number' | 'array' | 'int'; pick: number; length: number; arrayType: number }>;
  /** Whether the function may write into its array parameters. */
  writesArguments: boolean;
  form: FunctionDef['form'];
  returnType: boolean;
  wrt: boolean[] | null;
  body: StmtRecipe[];
  result: ProgramRecipe['result'];
}

const n = (value: number): Expr => ({ kind: 'number', value, notation: 'shortest' });
const name = (id: string): Expr => ({ kind: 'name', name: id });
const call = (callee: string, ...args: Expr[]): Expr => ({ kind: 'call', callee, args });
const bin = (op: ArithmeticOperator, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const neg = (operand: Expr): Expr => ({ kind: 'unary', op: '-', operand });

/** Squashing into [-π/2, π/2] or [-1, 1], for arguments that must stay moderate. */
const squash = (e: Expr, variant: number): Expr => call(['sin', 'cos', 'tanh', 'atan'][variant % 4]!, e);
/** Expressions bounded away from zero, for divisors and the like: ≥ 1 for every e. */
const positive = (e: Expr, variant: number): Expr =>
  [bin('+', n(2), call('sin', e)), bin('+', n(1), bin('**', e, n(2))), bin('-', n(2), call('cos', e)), call('hypot', e, n(1))][variant % 4]!;

/**
 * The Math functions and safe-domain operations. A template asks for its operands with `arg(i)`,
 * in the order they appear in the output: only those are built, as the program evaluates them
 * (so an assignment inside an operand that a template leaves out never counts as done). The
 * variant picks one of several spellings. Where an argument must stay in a domain, it is built so
 * for every value of the operand; the forms that are only piecewise smooth (abs, min, max, floor,
 * %, …) are kept, and the test skips a point where finite differences see a kink.
 * `fround` is left out: it rounds to float32, so at the scale of a finite-difference step it is a
 * staircase (steps of 2⁻²⁴ relative), while its derivative is taken as 1.
 */
type Operand = (i: number) => Expr;
const choose = <T>(v: number, ...options: Array<() => T>): T => options[v % options.length]!();

const templates = {
  sin: (arg) => call('sin', arg(0)),
  cos: (arg) => call('cos', arg(0)),
  tanh: (arg) => call('tanh', arg(0)),
  atan: (arg) => call('atan', arg(0)),
  div: (arg, v) => {
    const a = arg(0);
    return bin('/', a, choose(v, () => positive(arg(1), v >> 2), () => n(4), () => bin('+', n(3), call('cos', arg(1)))));
  },
  exp: (arg, v) => call('exp', choose(v, () => arg(0), () => squash(arg(0), v >> 1), () => squash(arg(0), v >> 1))),
  log: (arg, v) =>
    choose(
      v,
      () => call('log', bin('+', n(1), bin('**', arg(0), n(2)))),
      () => call('log', bin('+', call('abs', arg(0)), n(0.5))),
      () => call('log', positive(arg(0), v >> 2)),
      () => call('log', bin('+', call('exp', squash(arg(0), v >> 2)), n(1))),
    ),
  log1p: (arg) => call('log1p', bin('**', arg(0), n(2))),
  log2: (arg, v) => call('log2', positive(arg(0), v)),
  log10: (arg, v) => call('log10', positive(arg(0), v)),
  sqrt: (arg, v) => call('sqrt', choose(v, () => positive(arg(0), v >> 1), () => bin('+', call('abs', arg(0)), n(0.25)))),
  cbrt: (arg, v) => call('cbrt', positive(arg(0), v)),
  // a ** k for a small integer k; a ** 0 on a base bounded away from zero
  pow: (arg, v) =>
    choose(
      v,
      () => bin('**', arg(0), n(2)),
      () => call('pow', arg(0), n(3)),
      () => bin('**', arg(0), n(1)),
      () => bin('**', positive(arg(0), v >> 2), n(0)),
      () => call('pow', arg(0), n(2)),
    ),
  // a positive base to a varied power
  powReal: (arg, v) =>
    choose(
      v,
      () => bin('**', positive(arg(0), v >> 1), arg(1)),
      () => call('pow', positive(arg(0), v >> 1), squash(arg(1), v >> 1)),
    ),
  powNegative: (arg, v) => bin('**', positive(arg(0), v), neg(n(1 + (v % 2)))),
  tan: (arg, v) => call('tan', squash(arg(0), v % 2 === 0 ? 0 : 2)),
  asin: (arg, v) => call('asin', bin('*', n(0.9), squash(arg(0), v % 2 === 0 ? 0 : 2))),
  acos: (arg, v) => call('acos', bin('/', squash(arg(0), v % 2 === 0 ? 1 : 2), n(2))),
  atanh: (arg, v) => call('atanh', bin('*', n(0.5), squash(arg(0), v % 2 === 0 ? 0 : 2))),
  sinh: (arg, v) => call('sinh', choose(v, () => arg(0), () => squash(arg(0), v >> 1))),
  cosh: (arg, v) => call('cosh', choose(v, () => arg(0), () => squash(arg(0), v >> 1))),
  asinh: (arg) => call('asinh', arg(0)),
  acosh: (arg, v) =>
    call('acosh', bin('+', n(1.25), choose(v, () => bin('**', arg(0), n(2)), () => call('abs', arg(0)), () => bin('+', n(1), call('cos', arg(0)))))),
  expm1: (arg, v) => call('expm1', choose(v, () => arg(0), () => squash(arg(0), v >> 1))),
  atan2: (arg, v) => {
    const y = arg(0);
    return call('atan2', y, choose(v, () => arg(1), () => positive(arg(1), v >> 1), () => positive(arg(1), v >> 2)));
  },
  hypot: (arg, v) => choose(v, () => call('hypot', arg(0), arg(1)), () => call('hypot', arg(0), arg(1), arg(2)), () => call('hypot', arg(0), n(1))),
  abs: (arg) => call('abs', arg(0)),
  sign: (arg) => call('sign', arg(0)),
  floor: (arg, v) => call(['floor', 'ceil', 'round', 'trunc'][v % 4]!, arg(0)),
  min: (arg, v) => {
    const callee = v % 2 === 0 ? 'min' : 'max';
    return choose(v >> 1, () => call(callee, arg(0), arg(1)), () => call(callee, arg(0), arg(1), arg(2)), () => call(callee, arg(0)));
  },
  mod: (arg, v) => {
    const a = arg(0);
    return bin('%', a, choose(v, () => positive(arg(1), v >> 2), () => n(1.5), () => n(2), () => arg(1)));
  },
} satisfies Record<string, (arg: Operand, variant: number) => Expr>;

export type TemplateName = keyof typeof templates;
export const TEMPLATE_NAMES = Object.keys(templates) as TemplateName[];

/**
 * What a name holds in a program with arrays and calls (straight-line programs hold numbers only);
 * `spent` is a counter no longer usable (after `while (k-- > n)` it is −1, and it depends on n).
 */
type BindingType = 'number' | 'count' | 'array' | 'function' | 'spent';

/** The signature of a generated helper. */
interface HelperSignature {
  params: ParamType[];
  result: 'number' | 'void';
  /** A recursive helper's last parameter is its depth: it calls itself with depth − 1 down to 0. */
  recursive: boolean;
}

interface Binding {
  name: string;
  mutable: boolean;
  /** 'tdz' while its own initialiser is evaluated; 'unassigned' for `let y: number;`. */
  state: 'tdz' | 'unassigned' | 'assigned';
  order: number;
  /** When it was last written, to find the variable assigned last. */
  assignedAt: number;
  /** A number unless set. */
  type?: BindingType;
  /** How many loops enclose its declaration: a write from deeper inside is carried from iteration to iteration. */
  loopDepth?: number;
  /** count: an integer ≥ 0 fixed by control flow (counters, integer parameters); whether arithmetic may read it too. */
  numeric?: boolean;
  /** count: the arrays it is a valid index of (a counter running over their indices). */
  inRangeOf?: Binding[];
  /** array: its type, the least length it can have, whether its elements may be written, whether `push` may grow it. */
  arrayType?: 'number[]' | 'readonly number[]' | 'Float64Array';
  minLength?: number;
  writable?: boolean;
  growable?: boolean;
  /** array: how many loops are running over it (its length must not change meanwhile). */
  frozen?: number;
  /** array: whether it is a local array of the function (helpers that write into an array are called with these). */
  local?: boolean;
  signature?: HelperSignature;
  /** function: a local function that assigns variables around it (it cannot be passed to a helper: AD1142). */
  writesCaptures?: boolean;
}

/** A lexical scope while building: the bindings declared in it, and the outer names it has read. */
class BuildScope {
  readonly bindings = new Map<string, Binding>();
  /** Names used in this scope that resolve to an outer scope: declaring them here would move them into a TDZ. */
  readonly usedFromOuter = new Set<string>();
  constructor(readonly parent?: BuildScope) {}
}

const JS_RESERVED = new Set(['arguments', 'eval']);

/**
 * The arguments of `source.slice(…)` for a copy or a part of it from bounds computed at run time,
 * and the least length the part can have (at least 1 for a source of at least 1 element).
 */
function sliceBounds(source: string, minLength: number, variant: number): { args: Expr[]; minLength: number } {
  const length: Expr = { kind: 'length', array: source };
  switch (variant % 6) {
    case 1: // from the middle: ⌈length/2⌉ elements, the start fractional for an odd length
      return { args: [bin('/', length, n(2))], minLength: Math.ceil(minLength / 2) };
    case 2: // from a fractional start counted from the end: trunc(−length/2 − 0.5)
      return { args: [bin('-', neg(bin('/', length, n(2))), n(0.5))], minLength: Math.trunc(minLength / 2 + 0.5) };
    case 3: // fractional start and end beyond the length: every element
      return { args: [n(0.9), bin('+', length, n(0.7))], minLength };
    case 4: // the last element: -1.5 is read as -1
      return { args: [neg(n(1.5))], minLength: 1 };
    case 5: // a NaN start (read as 0) and a fractional end: the first element
      return { args: [bin('/', n(0), n(0)), n(1.5)], minLength: 1 };
    default:
      return { args: [], minLength };
  }
}

/** Where a statement is built: what `break`, `continue` and `return` may do there. */
interface JumpContext {
  loops: number;
  switches: number;
  /** What the function being built returns. */
  returns: 'number' | 'void';
}

/** The states of some bindings, to undo the writes of code that may not run (a branch, a loop body). */
type States = Map<Binding, Binding['state']>;

class Builder {
  private scope: BuildScope;
  private order = 0;
  private fresh = 0;
  /** How many loops enclose the code being built (in the function being built). */
  private loopDepth = 0;
  private jumps: JumpContext = { loops: 0, switches: 0, returns: 'number' };
  /** Bindings declared before this (in `order`) may not be written: inside a function passed to a helper. */
  private readOnlyBefore = 0;

  constructor(
    root: BuildScope,
    private readonly localNames: readonly string[] = LOCAL_NAMES,
  ) {
    this.scope = root;
  }

  declare(nameText: string, mutable: boolean, state: Binding['state'], extra: Partial<Binding> = {}): Binding {
    const binding: Binding = { name: nameText, mutable, state, order: this.order, assignedAt: this.order++, ...extra };
    if (this.loopDepth > 0) binding.loopDepth = this.loopDepth;
    this.scope.bindings.set(nameText, binding);
    return binding;
  }

  /** A name from `pool` (from index `pick` on) that may be declared in the current scope. */
  freeName(pool: readonly string[], pick: number): string {
    const scope = this.scope;
    const ok = (candidate: string) => !scope.bindings.has(candidate) && !scope.usedFromOuter.has(candidate) && !JS_RESERVED.has(candidate);
    for (let k = 0; k < pool.length; k++) {
      const candidate = pool[(pick + k) % pool.length]!;
      if (ok(candidate)) return candidate;
    }
    let candidate: string;
    do candidate = `v${this.fresh++}`;
    while (!ok(candidate));
    return candidate;
  }

  /** The bindings visible here (the innermost of each name), in declaration order. */
  visible(): Binding[] {
    const seen = new Map<string, Binding>();
    for (let s: BuildScope | undefined = this.scope; s; s = s.parent) {
      for (const [key, binding] of s.bindings) if (!seen.has(key)) seen.set(key, binding);
    }
    return [...seen.values()].sort((a, b) => a.order - b.order);
  }

  /** Records a write to `binding`. */
  wrote(binding: Binding): void {
    binding.state = 'assigned';
    binding.assignedAt = this.order++;
  }

  /** Records that `binding` is used here, so that no scope between here and its own shadows it later. */
  use(binding: Binding): string {
    for (let s: BuildScope | undefined = this.scope; s && s.bindings.get(binding.name) !== binding; s = s.parent) {
      s.usedFromOuter.add(binding.name);
    }
    return binding.name;
  }

  /** The names arithmetic may read: numbers, and counters that are not integer parameters. */
  readable(): Binding[] {
    return this.visible().filter((b) => b.state === 'assigned' && (b.type === undefined || b.type === 'number' || (b.type === 'count' && b.numeric)));
  }

  writable(needsValue: boolean): Binding[] {
    return this.visible().filter(
      (b) => b.mutable && b.order >= this.readOnlyBefore && (b.type === undefined || b.type === 'number') && (b.state === 'assigned' || (!needsValue && b.state === 'unassigned')),
    );
  }

  /**
   * The variables a write may go to. In a program with control flow, two writes in three go to a
   * variable from outside the current block when there is one, so that the work done in loops
   * and branches flows out of them (a straight-line program writes any variable).
   */
  private writeTargets(needsValue: boolean, pick: number): Binding[] {
    const targets = this.writable(needsValue);
    if (this.localNames === LOCAL_NAMES || pick % 3 === 0) return targets;
    const outer = targets.filter((b) => !this.scope.bindings.has(b.name) || this.scope.bindings.get(b.name) !== b);
    return outer.length > 0 ? outer : targets;
  }

  enter(): void {
    this.scope = new BuildScope(this.scope);
  }

  leave(): void {
    this.scope = this.scope.parent!;
  }

  expr(r: ExprRecipe): Expr {
    switch (r.t) {
      case 'number': {
        const notations = notationsFor(r.value);
        return { kind: 'number', value: r.value, notation: notations[r.notation % notations.length]! };
      }
      case 'name': {
        const readable = this.readable();
        if (readable.length === 0) return n(1 + (r.pick % 3));
        return name(this.use(readable[r.pick % readable.length]!));
      }
      case 'math-constant':
        return { kind: 'math-constant', name: MATH_CONSTANTS[r.pick % MATH_CONSTANTS.length]! };
      case 'unary':
        return { kind: 'unary', op: r.op, operand: this.expr(r.e) };
      case 'paren':
        return { kind: 'paren', expr: this.expr(r.e) };
      case 'binary':
        return bin(r.op, this.expr(r.a), this.expr(r.b));
      case 'template': {
        // operands are built on demand, in evaluation order; a missing one is a literal
        const fallback = [1, 2, 0.5];
        const arg = (i: number) => (i < r.args.length ? this.expr(r.args[i]!) : n(fallback[i]!));
        return templates[r.name](arg, r.variant);
      }
      case 'update': {
        const targets = this.writeTargets(true, r.pick);
        if (targets.length === 0) return this.expr({ t: 'name', pick: r.pick });
        const target = targets[r.pick % targets.length]!;
        this.wrote(target);
        return { kind: 'update', op: r.op, prefix: r.prefix, target: this.use(target) };
      }
      case 'assign': {
        const targets = this.writeTargets(r.op !== '=', r.pick);
        if (targets.length === 0) return this.expr(r.e);
        const target = targets[r.pick % targets.length]!;
        this.use(target);
        // the right-hand side is evaluated before `=` assigns, so it cannot read an unassigned target
        const { op, value } = this.assignment(target, r.op, () => this.expr(r.e), r.variant);
        this.wrote(target);
        return { kind: 'assign', op, target: target.name, value };
      }
      case 'element': {
        const arrays = this.arrays();
        if (arrays.length === 0) return this.expr({ t: 'name', pick: r.pick });
        const array = arrays[r.pick % arrays.length]!;
        return { kind: 'element', array: this.use(array), index: this.index(array, r.index), bang: r.bang };
      }
      case 'length': {
        const arrays = this.arrays();
        if (arrays.length === 0) return n(1 + (r.pick % 3));
        return { kind: 'length', array: this.use(arrays[r.pick % arrays.length]!) };
      }
      case 'conditional': {
        const test = this.cond(r.test);
        // only one of the two operands runs: writes in either are not certain afterwards
        const then = this.conditionally(() => this.expr(r.a));
        const otherwise = this.conditionally(() => this.expr(r.b));
        return { kind: 'conditional', test, then, otherwise };
      }
      case 'invoke': {
        const helpers = this.callable('number');
        if (helpers.length === 0) return this.expr(r.args[0] ?? { t: 'name', pick: r.pick });
        return this.invoke(helpers[r.pick % helpers.length]!, r.args, r.arrays, r.depth, r.callback);
      }
      case 'array-method':
        return this.arrayMethod(r);
      case 'assign-element': {
        const arrays = this.arrays().filter((a) => a.writable && a.order >= this.readOnlyBefore);
        if (arrays.length === 0) return this.expr(r.e);
        const array = arrays[r.pick % arrays.length]!;
        const index = this.index(array, r.index);
        const { op, value } = this.assignment(array, r.op, () => this.expr(r.e), r.variant);
        return { kind: 'assign-element', op, array: this.use(array), index, value };
      }
    }
  }

  /**
   * The operator and right-hand side of a write to `target`. A write inside a loop to a variable or
   * array from outside it is repeated up to dozens of times, so there it is damped to stay bounded:
   * `+=` and `-=` add a squashed value, `=` assigns one, `*=` multiplies by at most 1 in magnitude.
   */
  private assignment(target: Binding, op: AssignmentOperator, value: () => Expr, variant: number): { op: AssignmentOperator; value: Expr } {
    if ((target.loopDepth ?? 0) >= this.loopDepth) return { op, value: safeOperand(op, value, variant) };
    switch (op) {
      case '=':
      case '+=':
      case '-=':
        return { op, value: squash(value(), variant) };
      case '*=':
      case '**=':
        return { op: '*=', value: call(['cos', 'tanh', 'sin'][variant % 3]!, value()) };
      default:
        return { op, value: safeOperand(op, value, variant) };
    }
  }

  /** The arrays visible here. */
  private arrays(): Binding[] {
    return this.visible().filter((b) => b.type === 'array' && b.state === 'assigned');
  }

  /** The integer bindings visible here. */
  private counts(): Binding[] {
    return this.visible().filter((b) => b.type === 'count' && b.state === 'assigned');
  }

  /** The helpers visible here that return `result` and whose array parameters some visible array fits. */
  private callable(result: 'number' | 'void'): Binding[] {
    return this.visible().filter(
      (b) => b.type === 'function' && b.signature!.result === result && b.signature!.params.every((p) => !isArrayType(p) || this.fitting(p, result === 'void').length > 0),
    );
  }

  /** The arrays visible here that may be passed for a parameter of type `type` (local arrays only, for a helper that writes). */
  private fitting(type: ParamType, writes: boolean): Binding[] {
    return this.arrays().filter(
      (a) => (type === 'Float64Array' ? a.arrayType === 'Float64Array' : type === 'readonly number[]' ? a.arrayType !== 'Float64Array' : a.arrayType === 'number[]') && (!writes || (a.local && a.writable)),
    );
  }

  private invoke(helper: Binding, args: ExprRecipe[], arrays: number[], depth: IntRecipe, callback = 0): Expr {
    const { params, result, recursive } = helper.signature!;
    let numbers = 0;
    let picks = 0;
    const built = params.map((type, i): Expr => {
      if (recursive && i === params.length - 1) return this.intExpr(depth);
      if (type === 'fn') return this.functionArgument(callback, args[numbers++] ?? { t: 'name', pick: callback });
      if (isArrayType(type)) {
        const candidates = this.fitting(type, result === 'void');
        return name(this.use(candidates[(arrays[picks++] ?? 0) % candidates.length]!));
      }
      const recipe = args[numbers++];
      return recipe ? this.expr(recipe) : n([0.5, 1.5, 2][i % 3]!);
    });
    return { kind: 'invoke', callee: this.use(helper), args: built, result };
  }

  /**
   * A function of a number passed to a higher-order helper: an arrow built here, a function in
   * scope (a local one that does not assign the variables around it, a helper, the helper's own
   * function parameter), or a Math function. An arrow may read the variables around it but not
   * assign them (AD1142): the helper is copied for it, and the copy takes them as values.
   */
  private functionArgument(choice: number, body: ExprRecipe): Expr {
    const named = this.visible().filter((b) => b.type === 'function' && !b.writesCaptures && b.signature!.result === 'number' && b.signature!.params.length === 1 && b.signature!.params[0] === 'number');
    if (choice % 3 === 1 && named.length > 0) return name(this.use(named[(choice >> 2) % named.length]!));
    if (choice % 3 === 2) return name(NAMED_MATH[(choice >> 2) % NAMED_MATH.length]!);
    return this.lambda(['number'], choice, () => this.expr(body), true);
  }

  /**
   * An arrow `(params) => body`, built in a scope of its own with its parameters declared (numbers,
   * or a count running over `over`'s indices). It may run many times: writes to the variables
   * around it are damped as in a loop, and forbidden with `readOnly`. It may not run at all: what
   * it assigns is not assigned afterwards.
   */
  private lambda(kinds: Array<'number' | 'index'>, names: number, body: (params: Binding[]) => Expr, readOnly: boolean, over?: Binding): Extract<Expr, { kind: 'lambda' }> {
    const saved = { readOnlyBefore: this.readOnlyBefore, loopDepth: this.loopDepth };
    if (readOnly) this.readOnlyBefore = this.order;
    this.loopDepth += 1;
    if (over) over.frozen = (over.frozen ?? 0) + 1;
    const built = this.conditionally(() => {
      this.enter();
      const params = kinds.map((kind, i) =>
        kind === 'index'
          ? this.declare(this.freeName(COUNTER_NAMES, names + i), true, 'assigned', { type: 'count', numeric: true, inRangeOf: over ? [over] : [] })
          : this.declare(this.freeName(CALLBACK_NAMES, names + i), true, 'assigned'),
      );
      const expr = body(params);
      this.leave();
      return { kind: 'lambda' as const, params: params.map((p) => p.name), body: expr };
    });
    if (over) over.frozen!--;
    Object.assign(this, saved);
    return built;
  }

  /**
   * An array method with a callback over an array in scope, as a number (or a test):
   *   a.reduce((acc, v, i) => acc + squash(e), init)   a.reduce((acc, v) => acc * cos(e))
   *   a.map((v, i) => e).reduce((p, q) => p + q, 0)     a.filter((v, i) => c).length
   *   (a.find((v) => c) ?? e)                            a.some(…) ? e1 : e2, a.every(…) ? e1 : e2
   *   a.findIndex((v, i) => c)                           a.reduceRight((acc, v) => acc * 0.5 + squash(e), init)
   *   a.map(g).reduce((p, q) => p + q, 0), g a function of a number in scope or a Math function
   * The callbacks read the variables around them and may update them (closures).
   */
  private arrayMethod(r: Extract<ExprRecipe, { t: 'array-method' }>): Expr {
    const arrays = this.arrays();
    if (arrays.length === 0) return this.expr(r.body);
    const array = arrays[r.pick % arrays.length]!;
    const object = this.use(array);
    const method = (called: ArrayMethod, args: Expr[], on: string | Expr = object): Expr => ({ kind: 'array-method', object: on, method: called, args });
    const sum = (): Expr => this.lambda(['number', 'number'], r.names, ([p, q]) => bin('+', name(p!.name), name(q!.name)), false);
    const item = (read: (v: Binding, i: Binding) => Expr) => this.lambda(['number', 'index'], r.names, ([v, i]) => read(v!, i!), false, array);
    switch (r.form % 10) {
      case 0: {
        const init = this.expr(r.init);
        const fn = this.lambda(['number', 'number', 'index'], r.names, ([acc]) => bin('+', name(acc!.name), squash(this.expr(r.body), r.names)), false, array);
        return method('reduce', [fn, init]);
      }
      case 1:
        return method('reduce', [this.lambda(['number', 'number'], r.names, ([acc]) => bin('*', name(acc!.name), call('cos', this.expr(r.body))), false, array)]);
      case 2:
        return method('reduce', [sum(), n(0)], method('map', [item(() => this.expr(r.body))]));
      case 3:
        return method('reduce', [sum(), n(0)], method('filter', [item(() => this.cond(r.test))]));
      case 4: {
        const found = method('find', [item(() => this.cond(r.test))]);
        return { kind: 'coalesce', left: found, right: this.conditionally(() => this.expr(r.body)) };
      }
      case 5:
      case 8: {
        const test = method(r.form % 10 === 5 ? 'some' : 'every', [item(() => this.cond(r.test))]);
        return { kind: 'conditional', test, then: this.conditionally(() => this.expr(r.body)), otherwise: this.conditionally(() => this.expr(r.init)) };
      }
      case 6:
        return method('findIndex', [item(() => this.cond(r.test))]);
      case 7: {
        const init = this.expr(r.init);
        const fn = this.lambda(['number', 'number'], r.names, ([acc]) => bin('+', bin('*', name(acc!.name), n(0.5)), squash(this.expr(r.body), r.names)), false, array);
        return method('reduceRight', [fn, init]);
      }
      default: {
        const named = this.visible().filter((b) => b.type === 'function' && b.signature!.result === 'number' && b.signature!.params.length === 1 && b.signature!.params[0] === 'number');
        const fn = named.length > 0 && r.names % 2 === 0 ? name(this.use(named[r.pick % named.length]!)) : name(NAMED_MATH[r.names % NAMED_MATH.length]!);
        return method('reduce', [sum(), n(0)], method('map', [fn]));
      }
    }
  }

  /** An index of `array` that is in range whatever the inputs (every array has at least one element). */
  private index(array: Binding, r: IndexRecipe): Expr {
    const length: Expr = { kind: 'length', array: this.use(array) };
    const inRange = this.counts().filter((c) => c.inRangeOf?.includes(array));
    const counter = inRange.length > 0 ? inRange[r.offset % inRange.length]! : undefined;
    switch (r.form % 6) {
      case 0:
      case 1:
        if (counter) return name(this.use(counter));
        return bin('%', this.intExpr(r.int), length);
      case 2:
        return bin('%', this.intExpr(r.int), length);
      case 3:
        return n(r.offset % array.minLength!);
      case 4:
        return bin('-', length, n(1));
      default:
        if (counter) return bin('-', bin('-', length, n(1)), name(this.use(counter)));
        return bin('%', bin('+', this.intExpr(r.int), n(r.offset)), length);
    }
  }

  /** An integer expression ≥ 0 that does not depend on the inputs. */
  private intExpr(r: IntRecipe): Expr {
    switch (r.t) {
      case 'int': {
        const counts = this.counts();
        if (counts.length === 0) return n(r.pick % 4);
        return name(this.use(counts[r.pick % counts.length]!));
      }
      case 'int-literal':
        return n(r.value);
      case 'int-add':
        return bin('+', this.intExpr(r.a), this.intExpr(r.b));
      case 'int-mod':
        return bin('%', this.intExpr(r.a), n(r.by));
      case 'int-length': {
        const arrays = this.arrays();
        if (arrays.length === 0) return n(1 + (r.pick % 3));
        return { kind: 'length', array: this.use(arrays[r.pick % arrays.length]!) };
      }
    }
  }

  private cond(r: CondRecipe): Expr {
    switch (r.t) {
      case 'compare':
        return { kind: 'compare', op: r.op, left: this.expr(r.a), right: this.expr(r.b) };
      case 'int-compare': {
        const left = this.intExpr(r.a);
        const right = this.intExpr(r.b);
        // TypeScript rejects `1 === 0` (literal types that do not overlap)
        const op = (r.op === '===' || r.op === '!==') && left.kind === 'number' && right.kind === 'number' ? '<=' : r.op;
        return { kind: 'compare', op, left, right };
      }
      case 'and':
      case 'or': {
        const left = this.cond(r.a);
        // the right operand runs only sometimes
        const right = this.conditionally(() => this.cond(r.b));
        return { kind: 'logical', op: r.t === 'and' ? '&&' : '||', left, right };
      }
      case 'not':
        return { kind: 'not', operand: this.cond(r.c) };
    }
  }

  private states(): States {
    return new Map(this.visible().map((b) => [b, b.state]));
  }

  private restore(states: States): void {
    for (const [b, state] of states) b.state = state;
  }

  /** Builds code that may not run: a variable it assigns is not certainly assigned afterwards. */
  private conditionally<T>(build: () => T): T {
    const before = this.states();
    const built = build();
    this.restore(before);
    return built;
  }

  result(r: ProgramRecipe['result']): Expr {
    const readable = this.readable().sort((a, b) => a.assignedAt - b.assignedAt);
    // with control flow, the variable assigned last that is not a counter, and an element of the array declared last
    const numbers = this.localNames === LOCAL_NAMES ? readable : readable.filter((b) => b.type !== 'count');
    const latest = (numbers.length > 0 ? numbers : readable).at(-1);
    let value: Expr = latest ? name(this.use(latest)) : n(1);
    const array = this.localNames === LOCAL_NAMES ? undefined : this.arrays().at(-1);
    if (array) value = bin(r.ops[0] ?? '+', value, { kind: 'element', array: this.use(array), index: this.index(array, { form: 2 + (r.terms.length % 2), int: { t: 'int-literal', value: r.ops.length }, offset: r.terms.length }), bang: true });
    r.terms.forEach((term, i) => {
      value = bin(r.ops[i % Math.max(1, r.ops.length)] ?? '+', value, this.expr(term));
    });
    return value;
  }

  /** A statement of a straight-line program. */
  stmt(r: StmtRecipe): Stmt {
    switch (r.t) {
      case 'expression':
        return { kind: 'expression', expr: this.expr(r.e) };
      case 'block': {
        this.enter();
        const body = r.body.map((s) => this.stmt(s));
        this.leave();
        return { kind: 'block', body };
      }
      case 'declare': {
        const declaration = r.declarators.some((d) => d.init === null) ? 'let' : r.declaration;
        const declarators = r.declarators.map((d): Declarator => {
          const id = this.freeName(this.localNames, d.name);
          // declared before its initialiser is built: the initialiser cannot read it, nor the outer name it shadows
          const binding = this.declare(id, declaration === 'let', 'tdz');
          const init = d.init === null ? undefined : this.expr(d.init);
          if (init) this.wrote(binding);
          else binding.state = 'unassigned';
          return { name: id, typed: d.typed || !init, ...(init ? { init } : {}) };
        });
        return { kind: 'declare', declaration, declarators };
      }
      default:
        return { kind: 'block', body: this.block([r], false).body };
    }
  }

  /**
   * The statements of a block. `jumpAtEnd` allows its last statement to be an unguarded `break`,
   * `continue` or `return` (in a branch, never where the code after it would be unreachable);
   * `jumps` says whether it is.
   */
  block(recipes: StmtRecipe[], jumpAtEnd: boolean): { body: Stmt[]; jumps: boolean } {
    const body: Stmt[] = [];
    let jumps = false;
    recipes.forEach((r, i) => {
      const built = this.statement(r, jumpAtEnd && i === recipes.length - 1);
      body.push(...built.stmts);
      jumps = built.jumps;
    });
    return { body, jumps };
  }

  /** A statement of a program with control flow: one or more statements (a loop's counter is declared before it). */
  private statement(r: StmtRecipe, tail: boolean): { stmts: Stmt[]; jumps: boolean } {
    const one = (stmt: Stmt, jumps = false) => ({ stmts: [stmt], jumps });
    switch (r.t) {
      case 'declare':
      case 'expression':
        return one(this.stmt(r));
      case 'block': {
        this.enter();
        const built = this.block(r.body, tail);
        this.leave();
        return one({ kind: 'block', body: built.body }, built.jumps);
      }
      case 'if': {
        const test = this.cond(r.test);
        const before = this.states();
        this.enter();
        const then = this.block(r.then, true);
        this.leave();
        const afterThen = this.states();
        this.restore(before);
        let otherwise: Stmt[] | undefined;
        if (r.otherwise) {
          this.enter();
          // when the then-branch jumps, the else-branch must not: the code after the if stays reachable
          otherwise = this.block(r.otherwise, !then.jumps).body;
          this.leave();
        }
        // assigned afterwards only where both branches assign
        for (const [b, state] of before) b.state = afterThen.get(b) === 'assigned' && b.state === 'assigned' ? 'assigned' : state;
        return one({ kind: 'if', test, then: then.body, ...(otherwise ? { otherwise } : {}), braces: r.braces });
      }
      case 'for':
        return this.forLoop(r);
      case 'while':
        return this.whileLoop(r);
      case 'for-of': {
        const arrays = this.arrays();
        if (arrays.length === 0) return this.statement({ t: 'block', body: r.body }, false);
        const array = arrays[r.pick % arrays.length]!;
        const before = this.states();
        // the iterable is evaluated in the loop's scope, where the item is in its TDZ: it must not be named alike
        this.enter();
        const iterable = this.use(array);
        this.loopDepth++;
        const item = this.freeName(this.localNames, r.item);
        this.declare(item, r.declaration === 'let', 'assigned');
        const body = this.loopBody(r.body, [array]);
        this.loopDepth--;
        this.leave();
        this.restore(before);
        return one({ kind: 'for-of', declaration: r.declaration, item, iterable, body, braces: r.braces });
      }
      case 'jump': {
        const { loops, switches, returns } = this.jumps;
        const kind = r.kind === 'continue' && loops > 0 ? 'continue' : r.kind !== 'return' && loops + switches > 0 ? 'break' : 'return';
        const jump = (): Stmt =>
          kind === 'break'
            ? { kind: 'break' }
            : kind === 'continue'
              ? { kind: 'continue' }
              : returns === 'void'
                ? { kind: 'return-void' }
                : { kind: 'return', value: this.expr(r.value) };
        if (r.test === null && tail) return one(jump(), true);
        const test = this.cond(r.test ?? { t: 'compare', op: '>', a: { t: 'name', pick: 0 }, b: { t: 'number', value: 1, notation: 0 } });
        return one({ kind: 'if', test, then: [this.conditionally(jump)], braces: false });
      }
      case 'switch': {
        let discriminant = this.intExpr(r.discriminant);
        // TypeScript rejects `switch (4) { case 3: … }`: a literal discriminant is taken modulo 5
        if (discriminant.kind === 'number') discriminant = bin('%', discriminant, n(5));
        const before = this.states();
        const clauses: Array<{ test: Expr | null; body: Stmt[]; braces: boolean }> = [];
        const labels = new Set<number>();
        const recipes = [...r.clauses.filter((c) => !labels.has(c.label) && labels.add(c.label)), ...(r.otherwise ? [{ label: -1, body: r.otherwise, end: 'break' as const, braces: true }] : [])];
        this.jumps.switches++;
        recipes.forEach((c, i) => {
          // any clause may be the first to run
          this.restore(before);
          this.enter();
          const last = i === recipes.length - 1;
          const built = this.block(c.body, !last);
          this.leave();
          const body = c.end === 'break' && !built.jumps ? [...built.body, { kind: 'break' as const }] : built.body;
          clauses.push({ test: c.label < 0 ? null : n(c.label), body, braces: c.braces || body.some((s) => s.kind === 'declare') });
        });
        this.jumps.switches--;
        this.restore(before);
        return one({ kind: 'switch', discriminant, clauses });
      }
      case 'array':
        return one(this.localArray(r));
      case 'push': {
        const arrays = this.arrays().filter((a) => a.growable && !a.frozen);
        if (arrays.length === 0) return one({ kind: 'expression', expr: this.expr(r.e) });
        const array = arrays[r.pick % arrays.length]!;
        return one({ kind: 'expression', expr: { kind: 'method', object: this.use(array), method: 'push', args: [this.expr(r.e)] } });
      }
      case 'for-each':
        return one(this.forEach(r));
      case 'local-function':
        return one(this.localFunction(r));
      case 'fill': {
        const helpers = this.callable('void');
        if (helpers.length > 0) return one({ kind: 'expression', expr: this.invoke(helpers[r.pick % helpers.length]!, r.args, [r.array], { t: 'int-literal', value: 0 }) });
        const writers = this.visible().filter((b) => b.type === 'function' && b.signature!.result === 'void');
        if (writers.length === 0) return one({ kind: 'expression', expr: this.expr(r.args[0] ?? { t: 'name', pick: r.pick }) });
        // no local array of the type it writes: declare one for it
        const helper = writers[r.pick % writers.length]!;
        const float64 = helper.signature!.params[0] === 'Float64Array';
        const declaration = this.localArray({ t: 'array', name: r.array, form: float64 ? 1 : 5, declaration: 'const', typed: false, size: r.array, pick: r.pick, elements: r.args.slice(0, 1) });
        return { stmts: [declaration, { kind: 'expression', expr: this.invoke(helper, r.args, [r.array], { t: 'int-literal', value: 0 }) }], jumps: false };
      }
    }
  }

  /**
   * `a.forEach((item, index) => { body })`: a loop over a's indices whose body is a function: no
   * `break` or `continue` reaches out of it, and `return;` leaves the callback (a `continue`).
   */
  private forEach(r: Extract<StmtRecipe, { t: 'for-each' }>): Stmt {
    const arrays = this.arrays();
    if (arrays.length === 0) {
      this.enter();
      const body = this.block(r.body, false).body;
      this.leave();
      return { kind: 'block', body };
    }
    const array = arrays[r.pick % arrays.length]!;
    const iterable = this.use(array);
    const saved = { jumps: this.jumps, loopDepth: this.loopDepth };
    const before = this.states();
    array.frozen = (array.frozen ?? 0) + 1;
    this.enter();
    this.loopDepth++;
    const item = this.declare(this.freeName(CALLBACK_NAMES, r.names), true, 'assigned');
    const index = this.declare(this.freeName(COUNTER_NAMES, r.names), true, 'assigned', { type: 'count', numeric: true, inRangeOf: [array] });
    this.jumps = { loops: 0, switches: 0, returns: 'void' };
    // the body runs in the parameters' scope (it cannot redeclare a parameter)
    const body = this.block(r.body, false).body;
    this.leave();
    array.frozen!--;
    Object.assign(this, saved);
    this.restore(before);
    return { kind: 'for-each', array: iterable, params: [item.name, index.name], body };
  }

  /**
   * A local function of numbers returning a number, declared here: its body reads the variables in
   * scope, and when `writes`, assigns them too (damped, as it may be called in a loop). It is
   * declared after its body is built (it does not call itself), and called like a helper.
   */
  private localFunction(r: Extract<StmtRecipe, { t: 'local-function' }>): Stmt {
    const id = this.freeName(LOCAL_FUNCTION_NAMES, r.name);
    // inside its body its name is itself (a function declaration is hoisted, an arrow's const is
    // read when the body runs): declared first, as nothing the body may use
    const binding = this.declare(id, false, 'assigned', { type: 'spent' });
    const saved = { jumps: this.jumps, loopDepth: this.loopDepth, readOnlyBefore: this.readOnlyBefore };
    const before = this.states();
    if (!r.writes) this.readOnlyBefore = this.order;
    // deeper than any loop around: a write to a variable around it is damped
    this.loopDepth += 8;
    this.jumps = { loops: 0, switches: 0, returns: 'number' };
    // the statements run in the parameters' scope (a body cannot redeclare a parameter)
    this.enter();
    const params = r.params.map((pick) => this.declare(this.freeName(PARAM_NAMES, pick), true, 'assigned').name);
    const body = this.block(r.body, false).body;
    body.push({ kind: 'return', value: this.result(r.result) });
    this.leave();
    Object.assign(this, saved);
    // what its body assigns is assigned only when it is called
    this.restore(before);
    Object.assign(binding, { type: 'function', signature: { params: params.map(() => 'number' as const), result: 'number', recursive: false }, writesCaptures: r.writes });
    return { kind: 'function', fn: { name: id, form: r.form, params, returnType: true, body, marked: false, exported: false } };
  }

  /**
   * The bound of a loop, the array whose length it is, and whether it is an integer parameter (a
   * counter that starts from it and is read as a number would make the result depend on it).
   */
  private bound(r: BoundRecipe): { bound: Expr; array?: Binding; parameter?: boolean } {
    const counts = this.counts().filter((c) => !c.numeric);
    const arrays = this.arrays();
    if (r.form % 3 === 1 && counts.length > 0) return { bound: name(this.use(counts[r.pick % counts.length]!)), parameter: true };
    if (r.form % 3 === 2 && arrays.length > 0) {
      const array = arrays[r.pick % arrays.length]!;
      return { bound: { kind: 'length', array: this.use(array) }, array };
    }
    return { bound: n(r.value % 7) };
  }

  /**
   * A loop body, in a scope of its own, with `arrays` frozen (no `push`) while it runs. `prefix`
   * (a counter's increment) starts the body and uses `counter`, which the body may then not redeclare.
   */
  private loopBody(recipes: StmtRecipe[], arrays: Binding[], prefix: Stmt[] = [], counter?: Binding): Stmt[] {
    for (const a of arrays) a.frozen = (a.frozen ?? 0) + 1;
    this.jumps.loops++;
    const saved = this.jumps.switches;
    // a `break` in the body leaves the loop, not a switch around it
    this.jumps.switches = 0;
    this.enter();
    if (counter && prefix.length > 0) this.use(counter);
    const body = [...prefix, ...this.block(recipes, false).body];
    this.leave();
    this.jumps.switches = saved;
    this.jumps.loops--;
    for (const a of arrays) a.frozen!--;
    return body;
  }

  private forLoop(r: Extract<StmtRecipe, { t: 'for' }>): { stmts: Stmt[]; jumps: boolean } {
    const before = this.states();
    // the loop's own scope holds the counter; the bound is read in it, so the counter cannot be named like it
    this.enter();
    const { bound, array, parameter } = this.bound(r.bound);
    this.loopDepth++;
    const form = r.form % 4;
    const counter = this.freeName(COUNTER_NAMES, r.counter);
    // counting down from an integer parameter, the counter depends on it: then it is only a count
    const binding = this.declare(counter, false, 'assigned', { type: 'count', numeric: !(form === 1 && parameter) });
    // counting up from 0 or down from bound − 1 runs over the indices of an array of that length
    if (array && form !== 2) binding.inRangeOf = [array];
    const i = name(counter);
    let init: Expr;
    let test: Expr;
    let update: Expr;
    if (form === 1) {
      init = bin('-', bound, n(1));
      test = { kind: 'compare', op: '>=', left: i, right: n(0) };
      update = { kind: 'update', op: '--', prefix: r.counter % 2 === 0, target: counter };
    } else {
      init = n(form === 2 ? 1 : 0);
      test = { kind: 'compare', op: form === 2 ? '<=' : '<', left: i, right: bound };
      update = r.counter % 3 === 2 ? { kind: 'assign', op: '+=', target: counter, value: n(1) } : { kind: 'update', op: '++', prefix: r.counter % 3 === 1, target: counter };
    }
    if (array) array.frozen = (array.frozen ?? 0) + 1;
    // work in the condition: an input-dependent test as well, evaluated before each iteration
    if (r.test) test = { kind: 'logical', op: '&&', left: test, right: this.cond(r.test) };
    const body = this.loopBody(r.body, []);
    if (array) array.frozen!--;
    this.loopDepth--;
    this.leave();
    this.restore(before);
    return { stmts: [{ kind: 'for', counter, init, test, update, body, braces: r.braces }], jumps: false };
  }

  private whileLoop(r: Extract<StmtRecipe, { t: 'while' }>): { stmts: Stmt[]; jumps: boolean } {
    const { bound, array, parameter } = this.bound(r.bound);
    const form = r.form % 5;
    // the counter is declared before the loop, in the enclosing scope, and is read after it
    const counter = this.freeName(COUNTER_NAMES, r.counter);
    // starting from an integer parameter, the counter depends on it: then it is only a count
    const fromParameter = form === 2 && parameter === true;
    const binding = this.declare(counter, false, 'assigned', { type: 'count', numeric: !fromParameter });
    const k = name(counter);
    const declaration: Stmt = { kind: 'declare', declaration: 'let', declarators: [{ name: counter, typed: r.counter % 2 === 1, init: form === 2 ? bound : n(0) }] };
    const increment: Stmt = { kind: 'expression', expr: r.counter % 3 === 2 ? { kind: 'assign', op: '+=', target: counter, value: n(1) } : { kind: 'update', op: '++', prefix: r.counter % 3 === 1, target: counter } };
    const before = this.states();
    this.loopDepth++;
    if (array) array.frozen = (array.frozen ?? 0) + 1;
    let test: Expr;
    const prefix: Stmt[] = [];
    switch (form) {
      case 1: // while (k++ < bound): k runs from 1 to bound in the body
        test = { kind: 'compare', op: '<', left: { kind: 'update', op: '++', prefix: false, target: counter }, right: bound };
        break;
      case 2: // while (k-- > 0): k runs from bound − 1 down to 0 in the body
        test = { kind: 'compare', op: '>', left: { kind: 'update', op: '--', prefix: false, target: counter }, right: n(0) };
        if (array) binding.inRangeOf = [array];
        break;
      default: // the counter counts first thing in the body, so that `continue` cannot skip it
        test = { kind: 'compare', op: '<', left: k, right: bound };
        prefix.push(increment);
    }
    // a do … while loop runs its body before its test: built in that order
    const extra = r.test && form !== 3 ? this.cond(r.test) : undefined;
    const body = this.loopBody(r.body, [], prefix, binding);
    if (r.test && form === 3) {
      this.restore(before);
      test = { kind: 'logical', op: '&&', left: test, right: this.cond(r.test) };
    }
    if (extra) test = form === 4 ? { kind: 'logical', op: '&&', left: extra, right: test } : { kind: 'logical', op: '&&', left: test, right: extra };
    if (array) array.frozen!--;
    this.loopDepth--;
    this.restore(before);
    // after the loop the counter is a number (k-- leaves it at −1): no longer an index
    binding.type = fromParameter ? 'spent' : 'number';
    binding.mutable = false;
    delete binding.inRangeOf;
    const loop: Stmt = form === 3 ? { kind: 'do-while', body, test } : { kind: 'while', test, body, braces: r.braces };
    return { stmts: [declaration, loop], jumps: false };
  }

  private localArray(r: Extract<StmtRecipe, { t: 'array' }>): Stmt {
    const arrays = this.arrays();
    const source = arrays.length > 0 ? arrays[r.pick % arrays.length]! : undefined;
    const size = 1 + (r.size % 4);
    let form = r.form % 6;
    if (!source && form >= 2 && form <= 4) form = 1;
    // a copy reads its source before the new name is declared: the two must not be named alike
    if (form >= 2 && form <= 4) this.use(source!);
    const id = this.freeName(ARRAY_NAMES, r.name);
    // declared before its initialiser is built (which cannot read it)
    const binding = this.declare(id, false, 'tdz', { type: 'array', local: true, writable: true });
    let init: Expr;
    let type: NonNullable<Binding['arrayType']>;
    let length: number;
    switch (form) {
      case 0: {
        const elements = (r.elements.length > 0 ? r.elements : [{ t: 'name' as const, pick: r.pick }]).map((e) => this.expr(e));
        init = { kind: 'array-literal', elements };
        type = 'number[]';
        length = elements.length;
        break;
      }
      case 1:
        init = { kind: 'new-float64', arg: n(size) };
        type = 'Float64Array';
        length = size;
        break;
      case 2:
        init = { kind: 'new-float64', arg: name(this.use(source!)) };
        type = 'Float64Array';
        length = source!.minLength!;
        break;
      case 3: {
        // a copy, or a part from bounds computed as JavaScript computes them (truncated, from the end, NaN as 0)
        const slice = sliceBounds(this.use(source!), source!.minLength!, r.size);
        init = { kind: 'method', object: this.use(source!), method: 'slice', args: slice.args };
        type = source!.arrayType === 'Float64Array' ? 'Float64Array' : 'number[]';
        length = slice.minLength;
        break;
      }
      case 4:
        init = { kind: 'array-from', source: this.use(source!) };
        type = 'number[]';
        length = source!.minLength!;
        break;
      default:
        init = { kind: 'new-array-fill', size: n(size), value: this.expr(r.elements[0] ?? { t: 'name', pick: r.pick }) };
        type = 'number[]';
        length = size;
    }
    Object.assign(binding, { arrayType: type, minLength: length, growable: type === 'number[]' });
    this.wrote(binding);
    // `new Array(n).fill(v)` is an any[] unless declared
    const typed = r.typed || form === 5;
    return { kind: 'declare', declaration: r.declaration, declarators: [{ name: id, typed, typeText: type, init }] };
  }

  /**
   * A helper function of the module, declared in the module scope once built. Its kind:
   * `scalar` (numbers in, number out), `reduce` (an array and numbers in, number out), `fill`
   * (writes into its array argument, returns nothing) or `recursive` (numbers and a depth in,
   * calls itself with depth − 1 until 0).
   */
  helper(r: HelperRecipe, helperNames: readonly string[]): FunctionDef {
    const id = this.freeName(helperNames, r.name);
    const kind = r.kind;
    const arrayType = (['number[]', 'Float64Array', 'readonly number[]'] as const)[r.arrayType % 3]!;
    const paramTypes: ParamType[] = [];
    const params: string[] = [];
    this.enter();
    let fn: Binding | undefined;
    if (kind === 'higher-order') {
      // a function of a number: the helper is specialised for each function it is passed
      fn = this.declare(this.freeName(FUNCTION_PARAM_NAMES, r.name), false, 'assigned', { type: 'function', signature: { params: ['number'], result: 'number', recursive: false } });
      params.push(fn.name);
      paramTypes.push('fn');
    }
    if (kind === 'reduce' || kind === 'fill') {
      const type = kind === 'fill' && arrayType === 'readonly number[]' ? 'number[]' : arrayType;
      const array = this.freeName(ARRAY_PARAM_NAMES, r.name);
      // a helper that writes into its array may run in a loop: its writes are damped as in one (loop depth −1)
      this.declare(array, false, 'assigned', { type: 'array', arrayType: type, minLength: 1, writable: kind === 'fill', growable: false, loopDepth: -1 });
      params.push(array);
      paramTypes.push(type);
    }
    for (const pick of r.params) {
      const param = this.freeName(PARAM_NAMES, pick);
      this.declare(param, true, 'assigned');
      params.push(param);
      paramTypes.push('number');
    }
    const signature: HelperSignature = { params: paramTypes, result: kind === 'fill' ? 'void' : 'number', recursive: kind === 'recursive' };
    let depth: string | undefined;
    const body: Stmt[] = [];
    if (kind === 'recursive') {
      depth = this.freeName(COUNTER_NAMES, r.name);
      this.declare(depth, false, 'assigned', { type: 'count', numeric: false });
      params.push(depth);
      paramTypes.push('int');
      body.push({ kind: 'if', test: { kind: 'compare', op: ['<=', '<', '==='][r.variant % 3] as ComparisonOperator, left: name(depth), right: n(r.variant % 3 === 1 ? 1 : 0) }, then: [{ kind: 'return', value: this.conditionally(() => this.expr(r.base)) }], braces: r.variant % 2 === 0 });
    }
    const savedJumps = this.jumps;
    const savedDepth = this.loopDepth;
    this.jumps = { loops: 0, switches: 0, returns: signature.result };
    this.loopDepth = 0;
    // the statements run in the parameters' scope, as in the marked function
    body.push(...this.block(r.body, false).body);
    if (kind === 'recursive') {
      const self: Binding = { name: id, mutable: false, state: 'assigned', order: -1, assignedAt: -1, type: 'function', signature };
      // built in evaluation order: the left operand first
      const left = this.result(r.result);
      const inner = this.invoke(self, [{ t: 'template', name: 'tanh', variant: r.variant, args: [r.arg] }], [], { t: 'int-literal', value: 0 });
      // depth − 1 instead of the literal
      (inner as Extract<Expr, { kind: 'invoke' }>).args[params.length - 1] = bin('-', name(depth!), n(1));
      body.push({ kind: 'return', value: bin(r.result.ops[0] ?? '+', left, inner) });
    } else if (kind === 'higher-order') {
      // its function is certainly called, at the end if nowhere before
      const left = this.result(r.result);
      body.push({ kind: 'return', value: bin(r.result.ops[0] ?? '+', left, this.invoke(fn!, [r.arg], [], { t: 'int-literal', value: 0 })) });
    } else if (kind !== 'fill') {
      body.push({ kind: 'return', value: this.result(r.result) });
    }
    this.jumps = savedJumps;
    this.loopDepth = savedDepth;
    this.leave();
    this.declare(id, false, 'assigned', { type: 'function', signature });
    // a recursive function needs its return type written (TypeScript cannot infer it)
    const returnType = r.returnType || kind === 'fill' || kind === 'recursive';
    return { name: id, form: r.form, params, paramTypes, returnType, result: signature.result, marked: false, exported: r.exported, body };
  }
}

const isArrayType = (type: ParamType) => type === 'number[]' || type === 'readonly number[]' || type === 'Float64Array';

/** Keeps compound assignments on safe domains: `/=` and `%=` by a positive divisor, `**=` by a small integer. */
function safeOperand(op: AssignmentOperator, value: () => Expr, variant: number): Expr {
  switch (op) {
    case '/=':
      return variant % 5 === 4 ? n(2 + (variant % 3)) : positive(value(), variant);
    case '%=':
      return variant % 3 === 2 ? n(1.5) : positive(value(), variant);
    case '**=':
      return n([2, 3, 1][variant % 3]!);
    default:
      return value();
  }
}

/** Turns a recipe into a program whose every read, write and declaration is valid JavaScript. */
export function buildProgram(recipe: ProgramRecipe): Program {
  const moduleScope = new BuildScope();
  const builder = new Builder(moduleScope);
  const constants: ConstantDef[] = recipe.constants.map((c) => {
    const id = builder.freeName(CONSTANT_NAMES, c.name);
    const binding = builder.declare(id, false, 'tdz');
    const init = builder.expr(c.init);
    builder.wrote(binding);
    return { name: id, typed: c.typed, init };
  });
  // the parameters and the top-level statements of the body share one scope (a body cannot redeclare a parameter)
  builder.enter();
  const params: string[] = [];
  for (const pick of recipe.params) {
    const id = builder.freeName(PARAM_NAMES, pick);
    builder.declare(id, true, 'assigned');
    params.push(id);
  }
  const body = recipe.body.map((s) => builder.stmt(s));
  body.push({ kind: 'return', value: builder.result(recipe.result) });
  const wrtParams = recipe.wrt ? params.filter((_, i) => recipe.wrt![i % recipe.wrt!.length]) : undefined;
  const fn: FunctionDef = {
    name: 'f',
    form: recipe.form,
    params,
    returnType: recipe.returnType,
    body,
    ...(wrtParams && wrtParams.length > 0 ? { wrt: wrtParams } : {}),
  };
  return { constants, fn };
}

/**
 * Turns a recipe of a program with control flow into a valid program: every name read is
 * assigned on every path to it, every index is in range, every loop ends (its trip count is
 * bounded by a counter; no loop pushes onto the array it runs over), every `break` and
 * `continue` is inside a loop or switch, no code is unreachable, and helpers are called with
 * arguments of their parameters' types.
 */
export function buildFlowProgram(recipe: FlowProgramRecipe): Program {
  const moduleScope = new BuildScope();
  const builder = new Builder(moduleScope, FLOW_LOCAL_NAMES);
  const constants: ConstantDef[] = recipe.constants.map((c) => {
    const id = builder.freeName(CONSTANT_NAMES, c.name);
    const binding = builder.declare(id, false, 'tdz');
    const init = builder.expr(c.init);
    builder.wrote(binding);
    return { name: id, typed: c.typed, init };
  });
  const helpers = recipe.helpers.map((h) => builder.helper(h, HELPER_NAMES));
  builder.enter();
  const params: string[] = [];
  const paramTypes: ParamType[] = [];
  const paramLengths: number[] = [];
  // at least one parameter that is not a count, or the gradient could only be zero
  const kinds: Array<FlowProgramRecipe['params'][number]['kind']> = recipe.params.map((p) => p.kind);
  if (!kinds.some((k) => k !== 'int')) kinds[0] = 'number';
  for (const [i, p] of recipe.params.entries()) {
    const kind = kinds[i]!;
    if (kind === 'number') {
      params.push(builder.freeName(PARAM_NAMES, p.pick));
      builder.declare(params.at(-1)!, true, 'assigned');
      paramTypes.push('number');
      paramLengths.push(0);
    } else if (kind === 'int') {
      params.push(builder.freeName(INT_PARAM_NAMES, p.pick));
      // a count: used as a bound, an index or a depth, never in arithmetic (its gradient is 0)
      builder.declare(params.at(-1)!, false, 'assigned', { type: 'count', numeric: false });
      paramTypes.push('int');
      paramLengths.push(0);
    } else {
      const type = (['number[]', 'Float64Array', 'readonly number[]'] as const)[p.arrayType % 3]!;
      params.push(builder.freeName(ARRAY_PARAM_NAMES, p.pick));
      builder.declare(params.at(-1)!, false, 'assigned', { type: 'array', arrayType: type, minLength: p.length, writable: recipe.writesArguments && type !== 'readonly number[]', growable: false });
      paramTypes.push(type);
      paramLengths.push(p.length);
    }
  }
  const body = builder.block(recipe.body, false).body;
  body.push({ kind: 'return', value: builder.result(recipe.result) });
  const wrtParams = recipe.wrt ? params.filter((_, i) => recipe.wrt![i % recipe.wrt!.length]) : undefined;
  const fn: FunctionDef = {
    name: 'f',
    form: recipe.form,
    params,
    paramTypes,
    paramLengths,
    returnType: recipe.returnType,
    body,
    ...(wrtParams && wrtParams.length > 0 ? { wrt: wrtParams } : {}),
  };
  return { constants, helpers, fn };
}

// ---------------------------------------------------------------------------------------------
// fast-check arbitraries
// ---------------------------------------------------------------------------------------------

export interface GeneratorOptions {
  /** Most parameters of a function (at least 1). */
  maxParams?: number;
  /** Most statements in a block. */
  maxStatements?: number;
  /** Deepest nesting of expressions. */
  maxExprDepth?: number;
  /** Deepest nesting of `{ }` blocks. */
  maxBlockDepth?: number;
}

/** Literal values: small integers and decimals mostly; tiny and large ones exercise the notations. */
const literalValue: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 12 }), weight: 6 },
  { arbitrary: fc.constantFrom(0.5, 0.25, 1.5, 2.5, 0.1, 0.75, 0.125, 3.25), weight: 4 },
  { arbitrary: fc.integer({ min: 1, max: 4000 }).map((k) => k / 1000), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 2 ** 20 }).map((k) => k / 2 ** 18), weight: 1 },
  { arbitrary: fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 7, max: 12 })).map(([m, e]) => Number(`${m}e-${e}`)), weight: 1 },
  { arbitrary: fc.integer({ min: 1000, max: 200_000 }), weight: 1 },
);

export function exprRecipeArbitrary(maxDepth: number): fc.Arbitrary<ExprRecipe> {
  const pick = fc.nat({ max: 31 });
  const variant = fc.nat({ max: 63 });
  const { expr } = fc.letrec<{ expr: ExprRecipe }>((tie) => {
    const sub = tie('expr');
    return {
      expr: fc.oneof(
        { maxDepth, depthSize: 'small', withCrossShrink: true },
        // the first alternative is where shrinking goes, and what is drawn at the maximum depth
        { arbitrary: fc.record({ t: fc.constant('name' as const), pick }), weight: 8 },
        { arbitrary: fc.record({ t: fc.constant('number' as const), value: literalValue, notation: fc.nat({ max: 15 }) }), weight: 4 },
        { arbitrary: fc.record({ t: fc.constant('math-constant' as const), pick }), weight: 1 },
        { arbitrary: fc.record({ t: fc.constant('binary' as const), op: fc.constantFrom('+' as const, '-' as const, '*' as const), a: sub, b: sub }), weight: 8 },
        { arbitrary: fc.record({ t: fc.constant('template' as const), name: fc.constantFrom(...TEMPLATE_NAMES), variant, args: fc.array(sub, { minLength: 1, maxLength: 3 }) }), weight: 8 },
        { arbitrary: fc.record({ t: fc.constant('unary' as const), op: fc.constantFrom('-' as const, '+' as const), e: sub }), weight: 2 },
        { arbitrary: fc.record({ t: fc.constant('update' as const), op: fc.constantFrom('++' as const, '--' as const), prefix: fc.boolean(), pick }), weight: 1 },
        { arbitrary: fc.record({ t: fc.constant('assign' as const), op: assignmentOperator, pick, variant, e: sub }), weight: 1 },
        { arbitrary: fc.record({ t: fc.constant('paren' as const), e: sub }), weight: 1 },
      ),
    };
  });
  return expr;
}

const assignmentOperator = fc.constantFrom<AssignmentOperator>('=', '+=', '-=', '*=', '/=', '%=', '**=');

export function stmtRecipeArbitrary(options: Required<GeneratorOptions>): fc.Arbitrary<StmtRecipe> {
  const expr = exprRecipeArbitrary(options.maxExprDepth);
  const pick = fc.nat({ max: 31 });
  const variant = fc.nat({ max: 63 });
  const declare = fc.record({
    t: fc.constant('declare' as const),
    declaration: fc.constantFrom('let' as const, 'const' as const),
    declarators: fc.array(
      fc.record({ name: pick, typed: fc.boolean(), init: fc.option(expr, { freq: 8, nil: null }) }),
      { minLength: 1, maxLength: 2 },
    ),
  });
  // statement-level writes: x = e, x op= e, x++ and the like
  const write = fc.oneof(
    fc.record({ t: fc.constant('assign' as const), op: assignmentOperator, pick, variant, e: expr }),
    fc.record({ t: fc.constant('update' as const), op: fc.constantFrom('++' as const, '--' as const), prefix: fc.boolean(), pick }),
  );
  const { stmt } = fc.letrec<{ stmt: StmtRecipe }>((tie) => ({
    stmt: fc.oneof(
      { maxDepth: options.maxBlockDepth, depthSize: 'small', withCrossShrink: true },
      { arbitrary: declare, weight: 5 },
      { arbitrary: fc.record({ t: fc.constant('expression' as const), e: write as fc.Arbitrary<ExprRecipe> }), weight: 4 },
      // an expression statement whose value is dropped, for the side effects inside it
      { arbitrary: fc.record({ t: fc.constant('expression' as const), e: expr }), weight: 1 },
      { arbitrary: fc.record({ t: fc.constant('block' as const), body: fc.array(tie('stmt'), { maxLength: options.maxStatements }) }), weight: 2 },
    ),
  }));
  return stmt;
}

export function programRecipeArbitrary(options: GeneratorOptions = {}): fc.Arbitrary<ProgramRecipe> {
  const o: Required<GeneratorOptions> = { maxParams: 4, maxStatements: 6, maxExprDepth: 3, maxBlockDepth: 2, ...options };
  const expr = exprRecipeArbitrary(o.maxExprDepth);
  const pick = fc.nat({ max: 31 });
  return fc.record({
    params: fc.array(pick, { minLength: 1, maxLength: o.maxParams }),
    form: fc.constantFrom('declaration' as const, 'arrow' as const, 'function-expression' as const),
    returnType: fc.boolean(),
    // mostly every parameter; sometimes @differentiable(wrt: …) with a subset
    wrt: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: fc.array(fc.boolean(), { minLength: 1, maxLength: o.maxParams }), weight: 1 }),
    // initialisers nest deeper than statements: the compiler reprints them whole in the companion
    constants: fc.array(fc.record({ name: pick, typed: fc.boolean(), init: exprRecipeArbitrary(o.maxExprDepth + 1) }), { maxLength: 3 }),
    body: fc.array(stmtRecipeArbitrary(o), { maxLength: o.maxStatements }),
    result: fc.record({ terms: fc.array(expr, { maxLength: 2 }), ops: fc.array(fc.constantFrom('+' as const, '-' as const, '*' as const), { maxLength: 2 }) }),
  });
}

/** Random programs, printed as TypeScript in fast-check's reports. */
export function programArbitrary(options: GeneratorOptions = {}): fc.Arbitrary<Program> {
  return programRecipeArbitrary(options).map((recipe) => {
    const program = buildProgram(recipe);
    Object.defineProperty(program, fc.toStringMethod, { value: () => printProgram(program), enumerable: false });
    return program;
  });
}

// ---------------------------------------------------------------------------------------------
// 4. Programs with control flow, arrays and calls
// ---------------------------------------------------------------------------------------------

export interface FlowGeneratorOptions {
  /** Most parameters of the marked function (at least 1). */
  maxParams?: number;
  /** Most statements in a block. */
  maxStatements?: number;
  /** Deepest nesting of expressions (conditions included). */
  maxExprDepth?: number;
  /** Deepest nesting of statements (loops, branches, blocks) in the marked function. */
  maxStmtDepth?: number;
  /** Most helper functions. */
  maxHelpers?: number;
  /** Callbacks, local functions and higher-order helpers (section 5); true unless set. */
  functions?: boolean;
}

const weighted = <T>(...alternatives: Array<[fc.Arbitrary<T>, number]>) => alternatives.map(([arbitrary, weight]) => ({ arbitrary, weight }));

/** The recipe arbitraries of programs with control flow. */
export function flowRecipeArbitraries(options: FlowGeneratorOptions = {}) {
  const o: Required<FlowGeneratorOptions> = { maxParams: 4, maxStatements: 3, maxExprDepth: 2, maxStmtDepth: 3, maxHelpers: 3, functions: true, ...options };
  /** The weight of a section 5 alternative: 0 when functions are off. */
  const fw = (weight: number) => (o.functions ? weight : 0);
  const pick = fc.nat({ max: 31 });
  const variant = fc.nat({ max: 63 });
  const { int } = fc.letrec<{ int: IntRecipe }>((tie) => ({
    int: fc.oneof(
      { maxDepth: 2, depthSize: 'small', withCrossShrink: true },
      ...weighted<IntRecipe>(
        [fc.record({ t: fc.constant('int' as const), pick }), 4],
        [fc.record({ t: fc.constant('int-literal' as const), value: fc.nat({ max: 6 }) }), 2],
        [fc.record({ t: fc.constant('int-add' as const), a: tie('int'), b: tie('int') }), 1],
        [fc.record({ t: fc.constant('int-mod' as const), a: tie('int'), by: fc.integer({ min: 2, max: 4 }) }), 1],
        [fc.record({ t: fc.constant('int-length' as const), pick }), 1],
      ),
    ),
  }));
  const index: fc.Arbitrary<IndexRecipe> = fc.record({ form: fc.nat({ max: 11 }), int, offset: fc.nat({ max: 7 }) });
  // expressions and conditions nest in each other: one depth for both
  const depthIdentifier = fc.createDepthIdentifier();
  const { expr, cond } = fc.letrec<{ expr: ExprRecipe; cond: CondRecipe }>((tie) => {
    const sub = tie('expr');
    const c = tie('cond');
    return {
      expr: fc.oneof(
        { maxDepth: o.maxExprDepth, depthSize: 'small', withCrossShrink: true, depthIdentifier },
        ...weighted<ExprRecipe>(
          [fc.record({ t: fc.constant('name' as const), pick }), 8],
          [fc.record({ t: fc.constant('number' as const), value: literalValue, notation: fc.nat({ max: 15 }) }), 4],
          [fc.record({ t: fc.constant('element' as const), pick, index, bang: fc.boolean() }), 6],
          [fc.record({ t: fc.constant('math-constant' as const), pick }), 1],
          [fc.record({ t: fc.constant('length' as const), pick }), 1],
          [fc.record({ t: fc.constant('binary' as const), op: fc.constantFrom('+' as const, '-' as const, '*' as const), a: sub, b: sub }), 8],
          [fc.record({ t: fc.constant('template' as const), name: fc.constantFrom(...TEMPLATE_NAMES), variant, args: fc.array(sub, { minLength: 1, maxLength: 3 }) }), 7],
          [fc.record({ t: fc.constant('conditional' as const), test: c, a: sub, b: sub }), 2],
          [fc.record({ t: fc.constant('invoke' as const), pick, args: fc.array(sub, { maxLength: 3 }), arrays: fc.array(pick, { maxLength: 1 }), depth: int, callback: variant }), 4],
          [fc.record({ t: fc.constant('array-method' as const), form: fc.nat({ max: 19 }), pick, names: pick, body: sub, test: c, init: sub }), fw(2)],
          [fc.record({ t: fc.constant('unary' as const), op: fc.constantFrom('-' as const, '+' as const), e: sub }), 2],
          [fc.record({ t: fc.constant('update' as const), op: fc.constantFrom('++' as const, '--' as const), prefix: fc.boolean(), pick }), 1],
          [fc.record({ t: fc.constant('assign' as const), op: assignmentOperator, pick, variant, e: sub }), 1],
          [fc.record({ t: fc.constant('assign-element' as const), op: assignmentOperator, pick, index, variant, e: sub }), 1],
          [fc.record({ t: fc.constant('paren' as const), e: sub }), 1],
        ),
      ),
      cond: fc.oneof(
        { maxDepth: o.maxExprDepth, depthSize: 'small', withCrossShrink: true, depthIdentifier },
        ...weighted<CondRecipe>(
          [fc.record({ t: fc.constant('compare' as const), op: fc.constantFrom('<' as const, '<=' as const, '>' as const, '>=' as const), a: sub, b: sub }), 6],
          [fc.record({ t: fc.constant('int-compare' as const), op: fc.constantFrom<ComparisonOperator>('<', '<=', '>', '>=', '===', '!=='), a: int, b: int }), 2],
          [fc.record({ t: fc.constantFrom('and' as const, 'or' as const), a: c, b: c }), 2],
          [fc.record({ t: fc.constant('not' as const), c }), 1],
        ),
      ),
    };
  });
  const bound: fc.Arbitrary<BoundRecipe> = fc.record({ form: fc.nat({ max: 5 }), value: fc.nat({ max: 6 }), pick });
  const result = fc.record({ terms: fc.array(expr, { maxLength: 2 }), ops: fc.array(fc.constantFrom('+' as const, '-' as const, '*' as const), { maxLength: 2 }) });
  const form = fc.constantFrom('declaration' as const, 'arrow' as const, 'function-expression' as const);
  const stmtArbitrary = (maxDepth: number, maxStatements: number) => {
    const declare = fc.record({
      t: fc.constant('declare' as const),
      declaration: fc.constantFrom('let' as const, 'const' as const),
      declarators: fc.array(fc.record({ name: pick, typed: fc.boolean(), init: fc.option(expr, { freq: 8, nil: null }) }), { minLength: 1, maxLength: 2 }),
    });
    const write = fc.oneof(
      ...weighted<ExprRecipe>(
        [fc.record({ t: fc.constant('assign' as const), op: assignmentOperator, pick, variant, e: expr }), 3],
        [fc.record({ t: fc.constant('assign-element' as const), op: assignmentOperator, pick, index, variant, e: expr }), 2],
        [fc.record({ t: fc.constant('update' as const), op: fc.constantFrom('++' as const, '--' as const), prefix: fc.boolean(), pick }), 1],
      ),
    );
    return fc.letrec<{ stmt: StmtRecipe }>((tie) => {
      const body = fc.array(tie('stmt'), { maxLength: maxStatements });
      const braces = fc.boolean();
      return {
        stmt: fc.oneof(
          { maxDepth, depthSize: 'small', withCrossShrink: true },
          ...weighted<StmtRecipe>(
            [declare, 4],
            [fc.record({ t: fc.constant('expression' as const), e: write }), 5],
            [fc.record({ t: fc.constant('expression' as const), e: expr }), 1],
            [fc.record({ t: fc.constant('array' as const), name: pick, form: fc.nat({ max: 11 }), declaration: fc.constantFrom('const' as const, 'let' as const), typed: fc.boolean(), size: fc.nat({ max: 7 }), pick, elements: fc.array(expr, { minLength: 1, maxLength: 4 }) }), 3],
            [fc.record({ t: fc.constant('push' as const), pick, e: expr }), 2],
            [fc.record({ t: fc.constant('fill' as const), pick, array: pick, args: fc.array(expr, { maxLength: 3 }) }), 2],
            [fc.record({ t: fc.constant('jump' as const), kind: fc.constantFrom('break' as const, 'continue' as const, 'return' as const), test: fc.option(cond, { freq: 4, nil: null }), value: expr }), 4],
            [fc.record({ t: fc.constant('if' as const), test: cond, then: body, otherwise: fc.option(body, { nil: null }), braces }), 4],
            [fc.record({ t: fc.constant('for' as const), form: fc.nat({ max: 7 }), bound, test: fc.option(cond, { freq: 3, nil: null }), counter: pick, body, braces }), 4],
            [fc.record({ t: fc.constant('while' as const), form: fc.nat({ max: 9 }), bound, test: fc.option(cond, { freq: 3, nil: null }), counter: pick, body, braces }), 2],
            [fc.record({ t: fc.constant('for-of' as const), pick, item: pick, declaration: fc.constantFrom('const' as const, 'let' as const), body, braces }), 1],
            [
              fc.record({
                t: fc.constant('switch' as const),
                discriminant: int,
                clauses: fc.array(fc.record({ label: fc.nat({ max: 4 }), body, end: fc.constantFrom('break' as const, 'fall' as const), braces }), { minLength: 1, maxLength: 3 }),
                otherwise: fc.option(body, { nil: null }),
              }),
              1,
            ],
            [fc.record({ t: fc.constant('block' as const), body }), 1],
            [fc.record({ t: fc.constant('for-each' as const), pick, names: pick, body }), fw(1)],
            [fc.record({ t: fc.constant('local-function' as const), name: pick, form, params: fc.array(pick, { minLength: 1, maxLength: 2 }), writes: fc.boolean(), body, result }), fw(1)],
          ),
        ),
      };
    }).stmt;
  };
  const stmt = stmtArbitrary(o.maxStmtDepth, o.maxStatements);
  const helper: fc.Arbitrary<HelperRecipe> = fc.record({
    kind: o.functions ? fc.constantFrom('scalar' as const, 'reduce' as const, 'fill' as const, 'recursive' as const, 'higher-order' as const) : fc.constantFrom('scalar' as const, 'reduce' as const, 'fill' as const, 'recursive' as const),
    name: pick,
    params: fc.array(pick, { minLength: 1, maxLength: 3 }),
    arrayType: fc.nat({ max: 2 }),
    form,
    returnType: fc.boolean(),
    exported: fc.boolean(),
    variant,
    body: fc.array(stmtArbitrary(Math.max(1, o.maxStmtDepth - 1), Math.max(1, o.maxStatements - 1)), { maxLength: Math.max(1, o.maxStatements - 1) }),
    result,
    base: expr,
    arg: expr,
  });
  const program: fc.Arbitrary<FlowProgramRecipe> = fc.record({
    constants: fc.array(fc.record({ name: pick, typed: fc.boolean(), init: exprRecipeArbitrary(3) }), { maxLength: 2 }),
    helpers: fc.array(helper, { maxLength: o.maxHelpers }),
    params: fc.array(
      fc.record({ kind: fc.oneof(...weighted(...([['number', 3], ['array', 3], ['int', 1]] as const).map(([k, w]) => [fc.constant(k), w] as [fc.Arbitrary<'number' | 'array' | 'int'>, number]))), pick, length: fc.integer({ min: 1, max: 4 }), arrayType: fc.nat({ max: 2 }) }),
      { minLength: 1, maxLength: o.maxParams },
    ),
    writesArguments: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
    form,
    returnType: fc.boolean(),
    wrt: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: fc.array(fc.boolean(), { minLength: 1, maxLength: o.maxParams }), weight: 1 }),
    body: fc.array(stmt, { maxLength: o.maxStatements + 2 }),
    result,
  });
  return { int, index, expr, cond, stmt, helper, program };
}

/** Random programs with branches, loops, arrays and calls of random helpers, printed as TypeScript in fast-check's reports. */
export function flowProgramArbitrary(options: FlowGeneratorOptions = {}): fc.Arbitrary<Program> {
  return flowRecipeArbitraries(options).program.map((recipe) => {
    const program = buildFlowProgram(recipe);
    Object.defineProperty(program, fc.toStringMethod, { value: () => printProgram(program), enumerable: false });
    return program;
  });
}
