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
 * The operations are generated on safe domains so that finite differences are meaningful: the
 * argument of log or sqrt is `1 + e ** 2` or `|e| + 0.5`, a divisor is `2 + Math.sin(e)`, a power
 * with a varied exponent has a positive base, and so on (see `templates`). Operations with kinks
 * (abs, min, max, %, floor, …) are generated as they are; the test detects a kink near the point.
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
  | { kind: 'paren'; expr: Expr };

export interface Declarator {
  name: string;
  /** Whether `: number` is written. */
  typed: boolean;
  init?: Expr;
}

export type Stmt =
  | { kind: 'declare'; declaration: 'let' | 'const'; declarators: Declarator[] }
  | { kind: 'expression'; expr: Expr }
  | { kind: 'block'; body: Stmt[] }
  | { kind: 'return'; value: Expr };

export interface FunctionDef {
  name: string;
  /** `function f(…) {…}`, `const f = (…) => {…}` or `const f = function (…) {…}`. */
  form: 'declaration' | 'arrow' | 'function-expression';
  params: string[];
  /** `@differentiable(wrt: …)` when set; otherwise every parameter is differentiated. */
  wrt?: string[];
  /** Whether the return type `: number` is written. */
  returnType: boolean;
  /** Straight-line statements; the last one is the only `return`. */
  body: Stmt[];
}

export interface ConstantDef {
  name: string;
  typed: boolean;
  init: Expr;
}

/** One random program: a marked function and the module-level constants it may read. */
export interface Program {
  constants: ConstantDef[];
  fn: FunctionDef;
}

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
}

// JavaScript precedence: higher binds tighter.
const ASSIGNMENT = 2;
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
      return ASSIGNMENT;
  }
}

function isComputed(e: Expr): boolean {
  return e.kind === 'unary' || e.kind === 'binary' || e.kind === 'call' || e.kind === 'update' || e.kind === 'assign';
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
  switch (statement.kind) {
    case 'declare': {
      const declarators = statement.declarators.map(
        (d) => `${d.name}${d.typed ? ': number' : ''}${d.init ? ` = ${printExpr(d.init, options)}` : ''}`,
      );
      return [`${indent}${statement.declaration} ${declarators.join(', ')};`];
    }
    case 'expression':
      return [`${indent}${printExpr(statement.expr, options)};`];
    case 'block':
      return [`${indent}{`, ...statement.body.flatMap((s) => printStmt(s, `${indent}  `, options)), `${indent}}`];
    case 'return':
      return [`${indent}return ${printExpr(statement.value, options)};`];
  }
}

export function printFunction(fn: FunctionDef, options: PrintOptions = {}): string {
  const mark = fn.wrt ? `/** @differentiable(wrt: ${fn.wrt.join(', ')}) */` : '/** @differentiable */';
  const params = fn.params.map((p) => `${p}: number`).join(', ');
  const returnType = fn.returnType ? ': number' : '';
  const body = fn.body.flatMap((s) => printStmt(s, '  ', options)).join('\n');
  switch (fn.form) {
    case 'declaration':
      return `${mark}\nexport function ${fn.name}(${params})${returnType} {\n${body}\n}`;
    case 'arrow':
      return `${mark}\nexport const ${fn.name} = (${params})${returnType} => {\n${body}\n};`;
    case 'function-expression':
      return `${mark}\nexport const ${fn.name} = function (${params})${returnType} {\n${body}\n};`;
  }
}

export function printConstant(constant: ConstantDef, options: PrintOptions = {}): string {
  return `const ${constant.name}${constant.typed ? ': number' : ''} = ${printExpr(constant.init, options)};`;
}

/** The text that defines `probe` for an instrumented module: it tracks the largest |value|. */
export function probePrelude(probe: string): string {
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
  if (options.probe) push(probePrelude(options.probe));
  for (const program of programs) {
    const first = line;
    if (program.constants.length > 0) push(program.constants.map((c) => printConstant(c, options)).join('\n'));
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
  }
}

function renameStmt(s: Stmt, rename: (name: string) => string): Stmt {
  switch (s.kind) {
    case 'declare':
      return {
        ...s,
        declarators: s.declarators.map((d) => ({ ...d, name: rename(d.name), init: d.init && renameExpr(d.init, rename) })),
      };
    case 'expression':
      return { ...s, expr: renameExpr(s.expr, rename) };
    case 'block':
      return { ...s, body: s.body.map((b) => renameStmt(b, rename)) };
    case 'return':
      return { ...s, value: renameExpr(s.value, rename) };
  }
}

/**
 * The program with its function called `name` and its module-level constants renamed with
 * `suffix` (every occurrence of those names, so shadowing stays exactly as it was). Names of the
 * generator never contain `__`, so suffixes like `__12` keep programs of one file apart.
 */
export function renameProgram(program: Program, name: string, suffix: string): Program {
  const constants = new Set(program.constants.map((c) => c.name));
  const rename = (n: string) => (constants.has(n) ? `${n}${suffix}` : n);
  return {
    constants: program.constants.map((c) => ({ ...c, name: rename(c.name), init: renameExpr(c.init, rename) })),
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
  | { t: 'paren'; e: ExprRecipe };

export type StmtRecipe =
  | { t: 'declare'; declaration: 'let' | 'const'; declarators: Array<{ name: number; typed: boolean; init: ExprRecipe | null }> }
  | { t: 'expression'; e: ExprRecipe }
  | { t: 'block'; body: StmtRecipe[] };

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

/** Names the generator draws from: short ones, and ones the compiler also likes to generate. */
export const PARAM_NAMES = ['x', 'y', 'z', 'w', 'u', 'v', 't1', 'd_x', 'sum', 'value'];
export const LOCAL_NAMES = [
  'a', 'b', 'c', 'x', 'y', 's', 't', 't1', 't2', 'd_x', 'd_a', 'a_2', 'x_2',
  'sum', 'diff', 'prod', 'quot', 'neg', 'pow', 'sin', 'exp', 'value', 'grad', 'grad_f0', 'valueAndGrad_f0', 'K',
];
export const CONSTANT_NAMES = ['K', 'C', 'SCALE', 'OFFSET', 'x', 't1', 'd_x', 'prod'];

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

interface Binding {
  name: string;
  mutable: boolean;
  /** 'tdz' while its own initialiser is evaluated; 'unassigned' for `let y: number;`. */
  state: 'tdz' | 'unassigned' | 'assigned';
  order: number;
  /** When it was last written, to find the variable assigned last. */
  assignedAt: number;
}

/** A lexical scope while building: the bindings declared in it, and the outer names it has read. */
class BuildScope {
  readonly bindings = new Map<string, Binding>();
  /** Names used in this scope that resolve to an outer scope: declaring them here would move them into a TDZ. */
  readonly usedFromOuter = new Set<string>();
  constructor(readonly parent?: BuildScope) {}
}

const JS_RESERVED = new Set(['arguments', 'eval']);

class Builder {
  private scope: BuildScope;
  private order = 0;
  private fresh = 0;

  constructor(root: BuildScope) {
    this.scope = root;
  }

  declare(nameText: string, mutable: boolean, state: Binding['state']): Binding {
    const binding: Binding = { name: nameText, mutable, state, order: this.order, assignedAt: this.order++ };
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

  readable(): Binding[] {
    return this.visible().filter((b) => b.state === 'assigned');
  }

  writable(needsValue: boolean): Binding[] {
    return this.visible().filter((b) => b.mutable && (b.state === 'assigned' || (!needsValue && b.state === 'unassigned')));
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
        const targets = this.writable(true);
        if (targets.length === 0) return this.expr({ t: 'name', pick: r.pick });
        const target = targets[r.pick % targets.length]!;
        this.wrote(target);
        return { kind: 'update', op: r.op, prefix: r.prefix, target: this.use(target) };
      }
      case 'assign': {
        const targets = this.writable(r.op !== '=');
        if (targets.length === 0) return this.expr(r.e);
        const target = targets[r.pick % targets.length]!;
        this.use(target);
        // the right-hand side is evaluated before `=` assigns, so it cannot read an unassigned target
        const value = safeOperand(r.op, () => this.expr(r.e), r.variant);
        this.wrote(target);
        return { kind: 'assign', op: r.op, target: target.name, value };
      }
    }
  }

  result(r: ProgramRecipe['result']): Expr {
    const latest = this.readable().sort((a, b) => a.assignedAt - b.assignedAt).at(-1);
    let value: Expr = latest ? name(this.use(latest)) : n(1);
    r.terms.forEach((term, i) => {
      value = bin(r.ops[i % Math.max(1, r.ops.length)] ?? '+', value, this.expr(term));
    });
    return value;
  }

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
          const id = this.freeName(LOCAL_NAMES, d.name);
          // declared before its initialiser is built: the initialiser cannot read it, nor the outer name it shadows
          const binding = this.declare(id, declaration === 'let', 'tdz');
          const init = d.init === null ? undefined : this.expr(d.init);
          if (init) this.wrote(binding);
          else binding.state = 'unassigned';
          return { name: id, typed: d.typed || !init, ...(init ? { init } : {}) };
        });
        return { kind: 'declare', declaration, declarators };
      }
    }
  }
}

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
