/**
 * Every diagnostic the compiler reports for a bad function: its code, where it points, and that
 * the file gets no companion while other files still do.
 */
import { compile, createDiagnostic, formatDiagnostic, sortDiagnostics } from '@adjoint/core';
import { describe, expect, it } from 'vitest';

interface Case {
  code: string;
  source: string;
  /** The text the diagnostic must point at: its last occurrence, or its first with `first`. */
  at: string;
  first?: boolean;
  message?: RegExp;
}

const marked = (signature: string, body: string) => `/** @differentiable */\nexport function ${signature} {\n${body}\n}\n`;

const cases: Case[] = [
  { code: 'AD1001', source: 'export function f(x: number): number { return x * ; }', at: ';', message: /syntax error/ },
  { code: 'AD1103', source: marked('f(x: number): number', '  try {\n    x = 1;\n  } catch {}\n  return x;'), at: 'try {', message: /exceptions cannot be differentiated/ },
  { code: 'AD1115', source: marked('f(x: number): number', '  return x << 1;'), at: '<<', message: /'<<': bitwise operators/ },
  { code: 'AD1107', source: marked('f(x: number): number', '  outer: for (;;) {\n    break outer;\n  }\n  return x;'), at: 'outer: for', message: /labelled statements/ },
  { code: 'AD1113', source: marked('f(x: number): number', "  const s = 'a';\n  return x;"), at: "'a'", message: /strings/ },
  { code: 'AD1003', source: marked('f(x: string): number', '  return 1;'), at: 'x: string', message: /Parameter 'x' has type 'string'/ },
  { code: 'AD1004', source: marked('f(x: number): string', "  return 'x';"), at: 'export function f', message: /must return a number/ },
  { code: 'AD1120', source: marked('f(x: number): number', '  return Math.random() * x;'), at: 'Math.random', message: /random numbers have no derivative/ },
  { code: 'AD1005', source: marked('f(x: number): number', '  return Math.clz32(x);'), at: 'Math.clz32', message: /'Math.clz32'/ },
  { code: 'AD1012', source: 'declare function external(x: number): number;\n' + marked('f(x: number): number', '  return external(x);'), at: 'external(x)', message: /'external' has no body/ },
  { code: 'AD1006', source: `let scale = 2;\n${marked('f(x: number): number', '  return scale * x;')}`, at: 'scale', message: /module-level mutable state/ },
  { code: 'AD1006', source: `const label = 'x';\n${marked('f(x: number): number', '  return (label as unknown as number) * x;')}`, at: 'label', first: true, message: /not a number/ },
  { code: 'AD1006', source: marked('f(x: number): number', '  return undefined;'), at: 'undefined' },
  { code: 'AD1008', source: marked('f(x: number): number', '  const y = x;\n  y = 2;\n  return y;'), at: 'y = 2', message: /'y' is a constant/ },
  { code: 'AD1009', source: marked('f(x: number): number', '  let y: number;\n  return y + x;'), at: 'y + x' },
  { code: 'AD1010', source: '/** @differentiable */\nexport declare function f(x: number): number;\n', at: 'export declare function f(x: number): number;' },
  { code: 'AD1011', source: marked('f(x: number = 1): number', '  return x;'), at: 'x: number = 1' },
  {
    code: 'AD1013',
    source: 'function firstRow(m: number[][]): number[] {\n  return m[0]!;\n}\n' + marked('f(m: number[][]): number', '  return firstRow(m)[0]!;'),
    at: 'function firstRow',
    message: /'firstRow' returns \(part of\) its parameter 'm'/,
  },
  {
    code: 'AD1014',
    source: "function label(x: number): string {\n  return 'x';\n}\n" + marked('f(x: number): number', '  return label(x).length;'),
    at: 'label(x)',
    message: /'label' returns 'string'/,
  },
  { code: 'AD2001', source: '/** @differentiable(sideways) */\nexport function f(x: number): number { return x; }\n', at: '/** @differentiable(sideways) */', message: /unknown option 'sideways'/ },
  { code: 'AD2030', source: marked('f(x: number): number', '  let y = x;\n  // @checkpoint(snapshots: 0)\n  for (let i = 0; i < 3; i++) y *= x;\n  return y;'), at: '@checkpoint(snapshots: 0)', message: /snapshots must be a positive integer/ },
  {
    code: 'AD2031',
    source: marked('f(x: number[]): number', '  let v = x;\n  // @checkpoint\n  for (let i = 0; i < 3; i++) {\n    const w = v.slice();\n    w[0] = w[0]! * 2;\n    v = w;\n  }\n  return v[0]!;'),
    at: 'for (let i',
    message: /carries the array or object 'v'/,
  },
  {
    code: 'AD2032',
    source: marked('f(x: number): number', '  const a: number[] = [];\n  // @checkpoint\n  for (let i = 0; i < 3; i++) a.push(x * i);\n  return a[2]!;'),
    at: 'for (let i',
    message: /it pushes onto 'a'/,
  },
  {
    code: 'AD2034',
    source: '/** @differentiable(hessian) */\nexport function f(x: number): number {\n  let y = x;\n  // @checkpoint\n  for (let i = 0; i < 3; i++) y *= x;\n  return y;\n}\n',
    at: 'for (let i',
    message: /checkpointed in grad_f but taped, not checkpointed, in the second-order exports/,
  },
  { code: 'AD2033', source: marked('f(x: number): number', '  // @checkpoint\n  const y = x * x;\n  return y;'), at: '@checkpoint', message: /not on the line before a loop/ },
  { code: 'AD2002', source: '/** @differentiable(wrt: z) */\nexport function f(x: number): number { return x; }\n', at: '/** @differentiable(wrt: z) */', message: /'z'/ },
  { code: 'AD2003', source: 'class A {\n  /** @differentiable */\n  get m(): number { return 1; }\n}\n', at: '/** @differentiable */', message: /marks a getter/ },
  { code: 'AD2003', source: 'export function f(x: number): number {\n  class A {\n    /** @differentiable */\n    m(y: number): number { return y; }\n  }\n  return x;\n}\n', at: '/** @differentiable */', message: /a method of a class declared inside a function/ },
  {
    code: 'AD2003',
    source: 'export function f(x: number): number {\n  const y = x * 2;\n  /** @differentiable */\n  const g = (z: number) => z * y;\n  return g(x);\n}\n',
    at: '/** @differentiable */',
    message: /a local variable/,
  },
  { code: 'AD2004', source: marked('f(x: number, y: number): number', '  return x * 2;'), at: 'y: number', message: /does not depend on 'y'/ },
  {
    code: 'AD2010',
    source:
      'function scaled(v: number[], s: number): number[] {\n  return [v[0]! * s, v[1]! * s];\n}\n/** @adjointOf scaled */\nexport function scaledAdjoint(v: number[], s: number, dResult: number[]): { v: number[]; s: number } {\n  return { v: [dResult[0]! * s, dResult[1]! * s], s: dResult[0]! * v[0]! + dResult[1]! * v[1]! };\n}\n' +
      '/** @differentiable(forward) */\nexport function f(x: number): number {\n  return scaled([x, 1], 2)[0]!;\n}\n',
    at: 'scaled([x, 1], 2)',
    message: /'scaled' has only a reverse-mode derivative rule \('scaledAdjoint', @adjointOf\).*its result is not a number/,
  },
  {
    code: 'AD2020',
    source: marked('f(x: number): { y: number; positive: boolean }', '  return { y: x * x, positive: x > 0 };'),
    at: 'export function f',
    message: /'f' returns '\{ y: number; positive: boolean; \}', which holds booleans beside its numbers/,
  },
  { code: 'AD2020', source: marked('f(x: number): [number, boolean]', '  return [x, x > 0];'), at: 'export function f', message: /holds booleans/ },
  { code: 'AD1004', source: marked('f(x: number): boolean', '  return x > 0;'), at: 'export function f', message: /must return a number, or numbers in an array or object/ },
  { code: 'AD1004', source: marked('f(x: number): number[] | number', '  return x;'), at: 'export function f', message: /returns 'number \| number\[\]'/ },
  {
    // a function with a vector output may return its parameter, but not to a caller
    code: 'AD1013',
    source: marked('rows(m: number[][]): number[]', '  return m[0]!;') + marked('g(m: number[][]): number', '  return rows(m)[0]!;'),
    at: 'export function rows',
    message: /'rows' returns \(part of\) its parameter 'm'/,
  },
  { code: 'AD2004', source: marked('f(x: number, y: number[]): number[]', '  return [x * 2, x];'), at: 'y: number[]', message: /does not depend on 'y'/ },
  { code: 'AD2001', source: '/** @differentiable(wrt: x); process.exit() */\nexport function f(x: number): number { return x; }\n', at: '/** @differentiable(wrt: x)', message: /'; process.exit\(\)' follows the closing '\)'/ },
  { code: 'AD2009', source: '/**\n * @differentiable\n * @differentiable(forward)\n */\nexport function f(x: number): number { return x; }\n', at: '@differentiable(forward)', message: /a second @differentiable mark/ },
  { code: 'AD2011', source: '// @differentiable(wrt: x)\nexport function f(x: number): number { return x; }\n', at: '@differentiable(wrt: x)', message: /looks like a mark but is not one/ },
  { code: 'AD2003', source: 'export function f(x: number): number {\n  /** @differentiable */\n  x = x * 2;\n  return x;\n}\n', at: '/** @differentiable */', message: /marks an expression statement/ },
];

describe.each(cases)('$code: $at', ({ code, source, at, first, message }) => {
  it('is reported at the construct, with a message and a fix', async () => {
    const { diagnostics } = await compile([{ path: 'case.ts', text: source }]);
    const diagnostic = diagnostics.find((d) => d.code === code);
    expect(diagnostic, JSON.stringify(diagnostics)).toBeDefined();
    const offset = first ? source.indexOf(at) : source.lastIndexOf(at);
    const before = source.slice(0, offset).split('\n');
    expect(diagnostic!.location).toMatchObject({ file: 'case.ts', line: before.length, column: before.at(-1)!.length + 1 });
    if (message) expect(diagnostic!.message).toMatch(message);
    if (diagnostic!.category === 'error') expect(diagnostic!.fix ?? '').not.toBe('');
  });
});

describe('one diagnostic per mistake, saying what is wrong (issue 19, item 16)', () => {
  const cases: Array<{ what: string; signature: string; body: string; expected: Array<[string, RegExp]> }> = [
    { what: 'an optional parameter', signature: 'f(x: number, y?: number): number', body: '  return x * (y ?? 1);', expected: [['AD1011', /Parameter 'y\?: number' is optional \('\?'\)/]] },
    { what: 'a default value', signature: 'f(x: number, y = 2): number', body: '  return x * y;', expected: [['AD1011', /Parameter 'y = 2' has a default value/]] },
    { what: 'a rest parameter', signature: 'f(x: number, ...ys: number[]): number', body: '  return x * ys[0]!;', expected: [['AD1011', /Parameter '...ys: number\[\]' is a rest parameter/]] },
    { what: 'a destructuring pattern', signature: 'f({ a, b }: { a: number; b: number }): number', body: '  return a * b;', expected: [['AD1011', /is a destructuring pattern/]] },
    { what: 'an object spread', signature: 'f(o: { a: number }): number', body: '  const p = { ...o };\n  return p.a * p.a;', expected: [['AD1108', /'...o'/]] },
    { what: 'an intersection type', signature: 'f(o: { a: number } & { b: number }): number', body: '  return o.a * o.b + o["a"];', expected: [['AD1003', /has type '\{ a: number \} & \{ b: number \}'/]] },
    { what: 'an array spread read by index', signature: 'f(v: number[]): number', body: '  const w = [...v, 1];\n  return w[0]! * w.length;', expected: [['AD1108', /'\[...v, 1\]'/]] },
    { what: 'a rest element of an array pattern, read after', signature: 'f(v: number[]): number', body: '  const [a, ...rest] = v;\n  return a! * rest[0]! * rest.length;', expected: [['AD1108', /'...rest'/]] },
    { what: 'a rest element of an object pattern, read after', signature: 'f(o: { a: number; b: number }): number', body: '  const { a, ...others } = o;\n  return a * others.b;', expected: [['AD1108', /'...others'/]] },
    { what: 'a default in a pattern, read after', signature: 'f(v: number[]): number', body: '  const [a, b = 1] = v;\n  return a! * b;', expected: [['AD1130', /'b = 1'/]] },
  ];
  it.each(cases)('$what', async ({ signature, body, expected }) => {
    const { diagnostics, outputs } = await compile([{ path: 'case.ts', text: marked(signature, body) }]);
    expect(outputs).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(expected.map(([code]) => code));
    expected.forEach(([, message], i) => expect(diagnostics[i]!.message).toMatch(message));
    expect(diagnostics.every((d) => (d.fix ?? '') !== '')).toBe(true);
  });
});

describe('reporting', () => {
  it('collects every error of a function in one run, and of every file', async () => {
    const bad = marked('f(x: number): number', '  const a = Math.random();\n  let b = x.toFixed(2);\n  try {} finally {}\n  return a + b;');
    const { diagnostics, outputs } = await compile([
      { path: 'bad.ts', text: bad },
      { path: 'also-bad.ts', text: marked('g(x: number): number', '  return x >> 1;') },
      { path: 'good.ts', text: marked('h(x: number): number', '  return x * x;') },
    ]);
    expect(diagnostics.map((d) => `${d.location?.file}:${d.location?.line} ${d.code}`)).toEqual([
      'also-bad.ts:3 AD1115',
      'bad.ts:3 AD1120',
      'bad.ts:4 AD1123',
      'bad.ts:5 AD1103',
    ]);
    expect(outputs.map((o) => o.companionPath)).toEqual(['good.grad.ts']);
  });

  it('formats like tsc, with a code frame and the fix', async () => {
    const source = marked('f(x: number): number', '  return Math.clz32(x) * x;');
    const { diagnostics } = await compile([{ path: 'src/model.ts', text: source }]);
    expect(formatDiagnostic(diagnostics[0]!, { sourceText: source })).toBe(
      [
        "src/model.ts:3:10 - error AD1005: 'Math.clz32' is not a function Adjoint has a derivative rule for.",
        '',
        '3   return Math.clz32(x) * x;',
        '           ~~~~~~~~~~',
        '',
        "  fix: Use one of the Math functions listed in Adjoint's docs/supported.md, or compute the value outside the differentiable function.",
      ].join('\n'),
    );
  });

  it('reports the same message once per place: identical ones from two files, or without a place, are all kept', () => {
    const at = (file: string) => ({ file, line: 3, column: 1, length: 1 });
    const internal = (location?: ReturnType<typeof at>) => createDiagnostic('AD9001', { functions: 'f', error: 'the generated code does not parse' }, location);
    expect(sortDiagnostics([internal(), internal()])).toHaveLength(2);
    expect(sortDiagnostics([internal(at('b.ts')), internal(at('a.ts'))]).map((d) => d.location!.file)).toEqual(['a.ts', 'b.ts']);
    expect(sortDiagnostics([internal(at('a.ts')), internal(at('a.ts'))])).toHaveLength(1);
  });

  it('gives byte-identical output for the same input', async () => {
    const source = marked('f(x: number, y: number): number', '  let z = x * y;\n  z += Math.sin(z);\n  return z;');
    const first = await compile([{ path: 'a.ts', text: source }]);
    const second = await compile([{ path: 'a.ts', text: source }]);
    expect(second.outputs[0]!.text).toBe(first.outputs[0]!.text);
  });

  it('generates nothing for a file without marked functions', async () => {
    const { outputs, diagnostics } = await compile([{ path: 'plain.ts', text: 'export const x = 1;\n' }]);
    expect(outputs).toEqual([]);
    expect(diagnostics).toEqual([]);
  });
});
