/**
 * The construct table (docs/supported.md): every construct of a function body is either
 * supported, or rejected with its own code, at the construct, with a reason and a fix. Never the
 * generic AD1002, never an internal error.
 */
import { compile } from '@adjoint/core';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../packages/core/src/diagnostics/catalogue.js';

interface Row {
  construct: string;
  /** The body of `f(x: number, v: number[], o: { a: number }): number`. */
  body: string;
  /** The code it gets, or 'supported'. */
  expect: string;
  /** Code before the function (module level). */
  before?: string;
}

const rows: Row[] = [
  { construct: 'class declared inside a function', body: 'class A {}\n  return x;', expect: 'AD1101' },
  { construct: 'this outside a method', body: 'return this.x;', expect: 'AD1101' },
  { construct: 'new.target', body: 'return new.target ? 1 : x;', expect: 'AD1101' },
  { construct: 'async local function', body: 'const g = async (y: number) => y * x;\n  void g;\n  return x;', expect: 'AD1104' },
  { construct: 'local generator', body: 'function* g() { yield x; }\n  return x;', expect: 'AD1105' },
  { construct: 'a function returned', body: 'const make = () => (y: number) => y * x;\n  return make()(2);', expect: 'AD1140' },
  { construct: 'a function returned by a helper', body: 'return scaler(2)(x);', expect: 'AD1140', before: 'function scaler(k: number) {\n  return (y: number) => y * k;\n}\n' },
  { construct: 'a function stored in an array', body: 'const fs = [(y: number) => y * x];\n  return fs.length;', expect: 'AD1140' },
  { construct: 'a function stored in an object', body: 'const table = { f: Math.sin };\n  return table.f(x);', expect: 'AD1140' },
  { construct: 'a function chosen at run time', body: 'const g = x > 0 ? Math.sin : Math.cos;\n  return g(x);', expect: 'AD1140' },
  { construct: 'a function chosen by ||', body: 'const h = (y: number) => y;\n  const g = h || Math.cos;\n  return g(x);', expect: 'AD1140' },
  { construct: 'a function variable assigned again', body: 'let g = (y: number) => y;\n  g = (y: number) => 2 * y;\n  return g(x);', expect: 'AD1140' },
  { construct: 'a function passed as a parameter of another type', body: 'return size(Math.sin) * x;', expect: 'AD1140', before: 'function size(value: object): number {\n  return 1;\n}\n' },
  { construct: "an array method's this argument", body: 'return v.map((e) => e * x, null)[0]!;', expect: 'AD1141' },
  { construct: 'a closure assigning a captured variable, passed to a helper', body: 'let s = 0;\n  const add = (y: number) => {\n    s += y;\n    return y;\n  };\n  return twice(add, x) + s;', expect: 'AD1142', before: 'function twice(f: (y: number) => number, y: number): number {\n  return f(f(y));\n}\n' },
  { construct: 'a callback given fewer arguments than it needs', body: 'return Array.from(v, three)[0]!;', expect: 'AD1143', before: 'function three(a: number, b: number, c: number): number {\n  return a + b + c;\n}\n' },
  { construct: 'a recursive closure assigning a captured variable', body: 'let calls = 0;\n  const f = (n: number): number => {\n    calls++;\n    return n <= 0 ? x : f(n - 1);\n  };\n  return f(2) + calls;', expect: 'AD1144' },
  { construct: 'try/catch/finally', body: 'try {\n    x = x * 2;\n  } finally {\n    x = 1;\n  }\n  return x;', expect: 'AD1103' },
  { construct: 'throw', body: "if (x < 0) throw new Error('negative');\n  return x;", expect: 'AD1103' },
  { construct: 'await', body: 'return await x;', expect: 'AD1104', before: 'async ' },
  { construct: 'yield', body: 'yield x;\n  return x;', expect: 'AD1105' },
  { construct: 'label', body: 'outer: for (;;) break outer;\n  return x;', expect: 'AD1107' },
  { construct: 'spread in a call', body: 'return Math.max(...v);', expect: 'AD1108' },
  { construct: 'spread in an array', body: 'const w = [...v];\n  return w[0]!;', expect: 'AD1108' },
  { construct: 'rest element', body: 'const [first, ...rest] = v;\n  return first! + rest.length;', expect: 'AD1108' },
  { construct: 'optional chaining', body: 'return o?.a ?? x;', expect: 'AD1109' },
  { construct: 'optional call', body: 'return Math.sin?.(x);', expect: 'AD1109' },
  { construct: 'delete', body: 'delete (o as { a?: number }).a;\n  return x;', expect: 'AD1110' },
  { construct: 'typeof', body: "return typeof x === 'number' ? x : 0;", expect: 'AD1111' },
  { construct: 'instanceof', body: 'return v instanceof Array ? x : 0;', expect: 'AD1111' },
  { construct: 'in', body: "return 'a' in o ? x : 0;", expect: 'AD1111' },
  { construct: 'bigint', body: 'const big = 10n;\n  return x;', expect: 'AD1112' },
  { construct: "'with'", body: 'with (o) { x = a; }\n  return x;', expect: 'AD1106' },
  { construct: 'string arithmetic', body: "const s = 'n' + x;\n  return x;", expect: 'AD1113' },
  { construct: 'template string', body: 'const s = `${x}`;\n  return x;', expect: 'AD1113' },
  { construct: 'null', body: 'const n = null;\n  return x;', expect: 'AD1114' },
  { construct: 'void as a value', body: 'return void x;', expect: 'AD1114' },
  { construct: 'bitwise operator', body: 'return (x | 0) * x;', expect: 'AD1115' },
  { construct: 'bitwise not', body: 'return ~x;', expect: 'AD1115' },
  { construct: 'shift assignment', body: 'let k = 3;\n  k <<= 1;\n  return k * x;', expect: 'AD1115' },
  { construct: 'eval', body: "return eval('x');", expect: 'AD1116' },
  { construct: 'new of a class', body: 'const d = new Date();\n  return x;', expect: 'AD1117' },
  { construct: 'computed property name', body: "const k = { ['a' + 1]: x };\n  return x;", expect: 'AD1118' },
  { construct: 'object method', body: 'const p = { m() { return 1; } };\n  return x;', expect: 'AD1119' },
  { construct: 'getter', body: 'const p = { get a() { return 1; } };\n  return x;', expect: 'AD1119' },
  { construct: 'Math.random', body: 'return Math.random() * x;', expect: 'AD1120' },
  { construct: 'write to module-level state', body: 'counter = x;\n  return x;', expect: 'AD1121', before: 'let counter = 0;\n' },
  { construct: 'var', body: 'var y = x;\n  return y;', expect: 'AD1122' },
  { construct: 'a field Adjoint does not know', body: 'return x.toFixed.length * x;', expect: 'AD1129' },
  // one error for the unknown global, not a second for its field (issue 19, item 16)
  { construct: 'a field of a global Adjoint does not know', body: 'return Symbol.iterator ? x : 0;', expect: 'AD1006' },
  { construct: 'call of a method', body: 'return v.indexOf(x);', expect: 'AD1123' },
  { construct: 'console.log', body: 'console.log(x);\n  return x;', expect: 'AD1124' },
  { construct: 'logical assignment', body: 'let y = 0;\n  y ||= x;\n  return y;', expect: 'AD1125' },
  { construct: 'regular expression', body: 'const r = /a+/;\n  return x;', expect: 'AD1126' },
  { construct: 'for...in', body: 'for (const k in o) x += 1;\n  return x;', expect: 'AD1127' },
  { construct: 'enum in a function', body: 'enum E { A }\n  return x;', expect: 'AD1128' },
  { construct: 'unknown field', body: 'return v.at(0)! + (o as { a: number }).a.toFixed.length;', expect: 'AD1123' },
  { construct: 'default in a pattern', body: 'const { a = 1 } = o;\n  return a * x;', expect: 'AD1130' },
  { construct: 'a value that is an array or a number', body: 'const w = v || 0.1;\n  return x * (w ? 1 : 2);', expect: 'AD1131' },
  { construct: 'assigning an array length', body: 'const w = [x, x * 2];\n  w.length = 1;\n  return w[0]!;', expect: 'AD1132' },
  { construct: 'a write into a module-level constant', body: 'TABLE[0] = x;\n  return x;', expect: 'AD1145', before: 'const TABLE = [1, 2, 3];\n' },
  { construct: 'a write into a module-level constant through an alias', body: 'const row = TABLE[1]!;\n  row.push(x);\n  return x;', expect: 'AD1145', before: 'const TABLE = [[1], [2, 3]];\n' },
  { construct: 'Math member without a rule', body: 'return Math.clz32(x);', expect: 'AD1005' },
  { construct: '__proto__: value in an object literal (sets the prototype)', body: 'const p = { __proto__: x, y: x };\n  return p.y;', expect: 'AD1133' },
  // supported
  { construct: 'debugger', body: 'debugger;\n  return x;', expect: 'supported' },
  { construct: 'type declarations in the body', body: 'type T = number;\n  interface I { a: T }\n  const i: I = { a: x };\n  return i.a;', expect: 'supported' },
  { construct: 'Number constants', body: 'return x * Number.EPSILON + Number.MAX_SAFE_INTEGER;', expect: 'supported' },
  { construct: 'for...of over an existing variable', body: 'let e = 0;\n  let s = 0;\n  for (e of v) s += e * x;\n  return s;', expect: 'supported' },
  { construct: 'as, satisfies, non-null', body: 'return ((x as number) satisfies number) * v[0]!;', expect: 'supported' },
  { construct: 'void statement', body: 'const a = Math.acos(x / 2);\n  void a;\n  void (x = x * 2);\n  return x;', expect: 'supported' },
  { construct: 'expression statement whose value is unused', body: 'Math.acos(x);\n  x * 2;\n  v[0];\n  return x;', expect: 'supported' },
  { construct: 'arrow function (closure)', body: 'const g = (y: number) => y * x;\n  return g(2);', expect: 'supported' },
  { construct: 'function expression', body: 'const g = function (y: number): number {\n    return y * x;\n  };\n  return g(2);', expect: 'supported' },
  { construct: 'nested function declaration, called before it', body: 'const y = g(x);\n  function g(y: number) {\n    return y * x;\n  }\n  return y;', expect: 'supported' },
  { construct: 'closure over a mutable variable', body: 'let s = 0;\n  v.forEach((e) => {\n    s += e * x;\n  });\n  return s;', expect: 'supported' },
  { construct: 'recursive local function', body: 'const f = (n: number): number => (n <= 0 ? x : x * f(n - 1));\n  return f(3);', expect: 'supported' },
  { construct: 'call through a variable', body: 'const g = Math.sin;\n  return g(x);', expect: 'supported' },
  { construct: 'map, filter, reduce', body: 'return v.map((e) => e * x).filter((e, i) => i % 2 === 0).reduce((s, e) => s + e, 0);', expect: 'supported' },
  { construct: 'reduce without an initial value, reduceRight', body: 'return v.reduce((a, b) => a * b) + v.reduceRight((a, b) => a - b * x);', expect: 'supported' },
  { construct: 'some, every, find, findIndex, findLast, findLastIndex', body: 'const i = v.findIndex((e) => e > x) + v.findLastIndex((e) => e < x);\n  const e = (v.find((e) => e > x) ?? 0) + v.findLast((e) => e < x)!;\n  return v.some((e) => e > x) && v.every((e) => e < 2) ? e * i : x;', expect: 'supported' },
  { construct: 'flatMap, Array.from with a function', body: 'const pairs = v.flatMap((e) => [e, e * x]);\n  const squares = Array.from({ length: 3 }, (_, i) => i * x);\n  return pairs.length + squares[2]! + Array.from(v, (e) => e * x)[0]!;', expect: 'supported' },
  { construct: 'named callbacks: module functions, Math functions', body: 'return v.map(Math.sin).reduce(add, x);', expect: 'supported', before: 'function add(a: number, b: number): number {\n  return a + b;\n}\n' },
  { construct: 'a higher-order helper (specialised)', body: 'return integrate((t) => Math.sin(t * x), 0, 1, 10) + integrate(Math.exp, 0, x, 4);', expect: 'supported', before: 'function integrate(f: (t: number) => number, a: number, b: number, n: number): number {\n  const h = (b - a) / n;\n  let s = 0;\n  for (let i = 0; i < n; i++) s += f(a + (i + 0.5) * h);\n  return s * h;\n}\n' },
  { construct: 'module-level const arrays, tuples, objects, frozen tables', body: 'return C[1]! * x + PAIR[0] * P.b + F[1]![0]!;', expect: 'supported', before: 'const C = [676.52, -1259.14, 771.32];\nconst PAIR = [1.5, -2] as const;\nconst P = { a: 1, b: 2 } as const;\nconst F = Object.freeze([[1, 0], [0, 1]]);\n' },
  { construct: 'comma operator', body: 'let y = 0;\n  return (y = x * 2), y + 1;', expect: 'supported' },
  { construct: 'a missing element tested with == null or !== undefined', body: 'const e = v[3];\n  return e == null || v[2] !== undefined ? x : e * x;', expect: 'supported' },
  { construct: '=== null (nothing is null here)', body: 'return v[3] === null ? x : 0;', expect: 'AD1114' },
];

describe.each(rows)('$construct', ({ body, expect: expected, before }) => {
  const source = `${before && before !== 'async ' ? before : ''}/** @differentiable */\nexport ${before === 'async ' ? 'async ' : ''}function${body.startsWith('yield') ? '*' : ''} f(x: number, v: number[], o: { a: number }): number {\n  ${body}\n}\n`;

  it(expected === 'supported' ? 'is supported' : `is rejected with ${expected}, with a reason and a fix`, () => expectConstruct(source, expected, 3));
});

/** `source` compiles (expected 'supported'), or gets the error `expected`, with a fix, at or after `line` (the function's body). */
async function expectConstruct(source: string, expected: string, line: number): Promise<void> {
  const { diagnostics, outputs } = await compile([{ path: 'construct.ts', text: source }]);
  const errors = diagnostics.filter((d) => d.category === 'error');
  expect(errors.map((d) => d.code)).not.toContain('AD9001');
  if (expected === 'supported') {
    expect(errors).toEqual([]);
    expect(outputs).toHaveLength(1);
    return;
  }
  expect(errors.map((d) => d.code)).toContain(expected);
  const error = errors.find((d) => d.code === expected)!;
  expect(error.location?.line).toBeGreaterThanOrEqual(line);
  expect(error.fix ?? '').not.toBe('');
  expect(errors.map((d) => d.code)).not.toContain('AD1002');
}

/** Constructs of classes (phases/2-lower/methods.ts): `members` are added to the class Layer below, and hold the marked method. */
interface ClassRow {
  construct: string;
  members: string;
  expect: string;
  /** Code after the class (module level). */
  after?: string;
}

const layer = (members: string, after = '') => `export class Layer {
  w: number[] = [1, 2];
  b = 0.5;
  label = 'layer';
  private p = 2;
  #q = 3;
  opt?: number;
  get twice(): number {
    return 2 * this.b;
  }
  set half(v: number) {
    this.b = 2 * v;
  }
  scale(v: number): number {
    return this.b * v;
  }
  static double(v: number): number {
    return 2 * v;
  }
  ${members}
}
${after}`;

const classRows: ClassRow[] = [
  { construct: 'a marked method reading fields of this', members: '/** @differentiable */\n  f(x: number): number {\n    return this.w[0]! * x + this.b;\n  }', expect: 'supported' },
  { construct: 'wrt: this, this.field', members: '/** @differentiable(wrt: x, this.w) */\n  f(x: number): number {\n    return this.w[1]! * x;\n  }', expect: 'supported' },
  { construct: 'a field written', members: '/** @differentiable */\n  f(x: number): number {\n    this.w[0] = this.w[0]! * x;\n    this.b += x;\n    return this.w[0]! + this.b;\n  }', expect: 'supported' },
  { construct: 'calls of methods through this, and of static methods', members: '/** @differentiable */\n  f(x: number): number {\n    return this.scale(x) + Layer.double(x);\n  }', expect: 'supported' },
  { construct: 'an arrow reading this', members: '/** @differentiable */\n  f(x: number): number {\n    return this.w.map((e) => e * x * this.b).reduce((s, e) => s + e, 0);\n  }', expect: 'supported' },
  { construct: 'a marked static method', members: '/** @differentiable */\n  static f(x: number): number {\n    return Layer.double(x) * x;\n  }', expect: 'supported' },
  { construct: 'a getter read', members: '/** @differentiable */\n  f(x: number): number {\n    return this.twice * x;\n  }', expect: 'AD1146' },
  { construct: 'a setter written', members: '/** @differentiable */\n  f(x: number): number {\n    this.half = x;\n    return x;\n  }', expect: 'AD1146' },
  { construct: 'a private field', members: '/** @differentiable */\n  f(x: number): number {\n    return this.p * x;\n  }', expect: 'AD1146' },
  { construct: 'an ECMAScript private field', members: '/** @differentiable */\n  f(x: number): number {\n    return this.#q * x;\n  }', expect: 'AD1146' },
  { construct: 'an optional field', members: '/** @differentiable */\n  f(x: number): number {\n    return (this.opt ?? 1) * x;\n  }', expect: 'AD1146' },
  { construct: 'a field holding a string', members: '/** @differentiable */\n  f(x: number): number {\n    return this.label.length * x;\n  }', expect: 'AD1146' },
  { construct: 'super', members: '/** @differentiable */\n  f(x: number): number {\n    return super.toString.length * x;\n  }', expect: 'AD1147' },
  { construct: 'this passed to a function (it escapes)', members: '/** @differentiable */\n  f(x: number): number {\n    return size(this) * x;\n  }', expect: 'AD1148', after: 'function size(l: Layer): number {\n  return l.b;\n}\n' },
  { construct: 'a method passed as a callback', members: '/** @differentiable */\n  f(x: number): number {\n    return this.w.map(this.scale)[0]! * x;\n  }', expect: 'AD1148' },
  { construct: 'this stored in a variable', members: '/** @differentiable */\n  f(x: number): number {\n    const self = this;\n    return self.b * x;\n  }', expect: 'AD1148' },
  { construct: 'this in a static method', members: '/** @differentiable */\n  static f(x: number): number {\n    return this.double(x);\n  }', expect: 'AD1148' },
  { construct: "this in a nested 'function'", members: '/** @differentiable */\n  f(x: number): number {\n    function g(this: Layer | void, y: number): number {\n      return (this as Layer).b * y;\n    }\n    return g(x);\n  }', expect: 'AD1148' },
  { construct: 'a method called through this that a subclass overrides', members: '/** @differentiable */\n  f(x: number): number {\n    return this.scale(x);\n  }', expect: 'AD1149', after: 'export class Wide extends Layer {\n  scale(v: number): number {\n    return 3 * this.b * v;\n  }\n}\n' },
  { construct: 'a method assigned a new function', members: '/** @differentiable */\n  f(x: number): number {\n    return this.scale(x);\n  }', expect: 'AD1149', after: 'Layer.prototype.scale = (v: number) => v;\n' },
  { construct: 'a marked method assigned a new function', members: '/** @differentiable */\n  f(x: number): number {\n    return this.b * x;\n  }', expect: 'AD1149', after: 'new Layer().f = (x: number) => x;\n' },
  { construct: 'wrt naming a field the method does not read', members: '/** @differentiable(wrt: this.w) */\n  f(x: number): number {\n    return this.b * x;\n  }', expect: 'AD2012' },
  { construct: "a parameter declaring the type of 'this'", members: '/** @differentiable */\n  f(this: Layer, x: number): number {\n    return this.b * x;\n  }', expect: 'AD1011' },
  { construct: "a marked function named as a marked method's exports are", members: '/** @differentiable */\n  f(x: number): number {\n    return this.b * x;\n  }', expect: 'AD2013', after: '/** @differentiable */\nexport function Layer_f(x: number): number {\n  return x;\n}\n' },
  { construct: 'a mark on a getter', members: '/** @differentiable */\n  get f(): number {\n    return this.b;\n  }', expect: 'AD2003' },
];

describe.each(classRows)('class: $construct', ({ members, expect: expected, after }) => {
  // at the marked member: the class's own members end on line 20
  it(expected === 'supported' ? 'is supported' : `is rejected with ${expected}, with a reason and a fix`, () => expectConstruct(layer(members, after), expected, 20));
});

it('every diagnostic code of the catalogue has a test that produces it', () => {
  const tests = ['constructs.test.ts', 'diagnostics.test.ts', 'rules.custom.test.ts', 'regressions.test.ts', 'second-order.test.ts', 'imports.test.ts', 'naming.test.ts', 'deep-input.test.ts'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
  const cliDir = new URL('../cli/', import.meta.url);
  const cliTests = readdirSync(cliDir).filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(new URL(f, cliDir), 'utf8')).join('\n');
  // AD1002 is the fallback no construct should reach; AD9001 is a bug, not something a test can provoke.
  const untested = Object.keys(catalogue).filter((code) => !['AD1002', 'AD9001'].includes(code) && !tests.includes(`'${code}'`) && !cliTests.includes(code));
  expect(untested).toEqual([]);
});
