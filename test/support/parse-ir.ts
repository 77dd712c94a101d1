/**
 * Reads back the IR text that packages/core/src/ir/print.ts writes, for tests of the optimisation
 * passes written as IR in, IR out. One or more functions, each starting with its `function` line;
 * indentation is free, blocks are delimited by braces as printed.
 */
import type { Block, Carried, Instr, Phi, SsaFunction, SsaParam, SourceOrigin, Type, ValueId, ValueInfo } from '../../packages/core/src/ir/ssa.js';
import { typeText } from '../../packages/core/src/ir/print.js';

export function parseIr(text: string): SsaFunction[] {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const functions: SsaFunction[] = [];
  for (let at = 0; at < lines.length; ) {
    const parser = new FunctionParser(lines, at);
    functions.push(parser.parse());
    at = parser.at;
  }
  return functions;
}

/** The one function of `text`. */
export function parseFunction(text: string): SsaFunction {
  const [fn, ...rest] = parseIr(text);
  if (!fn || rest.length > 0) throw new Error('expected exactly one function');
  return fn;
}

const VALUE = String.raw`%(\d+)`;
/** `%4 s: number`: a value where it is defined. */
const DEFINITION = new RegExp(String.raw`^${VALUE}(?: ([\w$]+))?: (.+)$`);

class FunctionParser {
  private readonly values: ValueInfo[] = [];

  constructor(
    private readonly lines: string[],
    public at: number,
  ) {}

  parse(): SsaFunction {
    const header = /^function ([\w$]+)\((.*)\) -> (void|%\d+)(?: declared (.+))?$/.exec(this.lines[this.at++]!);
    if (!header) throw new Error(`expected a function line, found: ${this.lines[this.at - 1]}`);
    const params: SsaParam[] = splitTopLevel(header[2]!).map((text) => {
      const m = /^(.*?)(?: ("(?:[^"\\]|\\.)*"))?( nodiff)?$/.exec(text)!;
      const value = this.define(m[1]!);
      return { name: this.values[value]!.hint, typeText: m[2] ? (JSON.parse(m[2]) as string) : typeText(this.values[value]!.type), value, differentiable: !m[3] };
    });
    const body = this.block(() => this.at >= this.lines.length || this.lines[this.at]!.startsWith('function '));
    const result = header[3] === 'void' ? undefined : Number(header[3]!.slice(1));
    const values = Array.from({ length: this.values.length }, (_, id) => this.values[id] ?? { id, hint: '', type: { kind: 'number' } as Type });
    return { name: header[1]!, params, body, result, declaredResult: header[4] ? parseType(header[4]) : result === undefined ? undefined : values[result]!.type, values };
  }

  /** Defines the value written `%4 s: number` (its hint and type), and returns its id. */
  private define(text: string, type?: Type): ValueId {
    const m = DEFINITION.exec(text.trim()) ?? (type && new RegExp(String.raw`^${VALUE}(?: ([\w$]+))?$`).exec(text.trim()));
    if (!m) throw new Error(`expected a value definition, found: ${text}`);
    const id = Number(m[1]);
    this.values[id] = { id, hint: m[2] ?? '', type: m[3] ? parseType(m[3]) : type! };
    return id;
  }

  private block(ends: () => boolean): Block {
    const instrs: Instr[] = [];
    while (!ends()) instrs.push(this.instr());
    return { instrs };
  }

  private instr(): Instr {
    const [code, originText] = splitOrigin(this.lines[this.at++]!);
    const origin = originText ?? { line: 0, column: 1, text: '' };
    const closes = () => this.lines[this.at]!.startsWith('}');
    if (code.startsWith('if ')) {
      const cond = ref(code.slice(3, -2));
      const then = this.block(closes);
      if (this.lines[this.at++] !== '} else {') throw new Error('expected } else {');
      const otherwise = this.block(closes);
      this.at++;
      const phis: Phi[] = [];
      while (this.lines[this.at]?.startsWith('φ ')) {
        const [definition, operands] = this.lines[this.at++]!.slice(2).split(' = ');
        const [then, other] = operands!.split(', ').map(ref);
        phis.push({ result: this.define(definition!), then: then!, else: other! });
      }
      return { kind: 'if', cond, then, else: otherwise, phis };
    }
    if (code.startsWith('loop')) {
      const schedule = /checkpoint\(([^)]*)\)/.exec(code);
      const skipped = /skippedWhenZero\(([^)]*)\)/.exec(code)?.[1]!.split(', ').map(ref);
      const carried: Carried[] = [];
      while (this.lines[this.at]!.startsWith('carried ')) {
        const m = /^carried (.+) = (%\d+), next (%\d+), after (%\d+(?: [\w$]+)?)$/.exec(this.lines[this.at++]!)!;
        const param = this.define(m[1]!);
        carried.push({ param, init: ref(m[2]!), next: ref(m[3]!), result: this.define(m[4]!, this.values[param]!.type) });
      }
      const body = this.block(closes);
      const end = /^\} again (%\d+), trips (%\d+)$/.exec(this.lines[this.at++]!)!;
      const trips = this.define(end[2]!, { kind: 'number' });
      const checkpoint = schedule ? { ...numbersIn(schedule[1]!), location: { file: '', line: origin.line, column: 1, length: 1 } } : undefined;
      return {
        kind: 'loop',
        carried,
        body,
        again: ref(end[1]!),
        trips,
        ...(checkpoint ? { checkpoint } : {}),
        ...(skipped ? { skippedWhenZero: skipped } : {}),
      };
    }
    if (code.startsWith('store ')) {
      const m = /^store (%\d+)(?:\[(%\d+)\]|\.([\w$]+)) = (%\d+)(?: previous (%\d+))?(?: length before (%\d+))?$/.exec(code)!;
      return {
        kind: 'store',
        container: ref(m[1]!),
        index: m[2] ? ref(m[2]) : m[3]!,
        value: ref(m[4]!),
        ...(m[5] ? { previous: ref(m[5]) } : {}),
        ...(m[6] ? { lengthBefore: ref(m[6]) } : {}),
        origin,
      };
    }
    if (code.startsWith('push ')) {
      const m = /^push (%\d+) (%\d+) at (%\d+)( restoring length)?$/.exec(code)!;
      return { kind: 'push', container: ref(m[1]!), value: ref(m[2]!), index: ref(m[3]!), ...(m[4] ? { restoresLength: true } : {}), origin };
    }
    if (code.startsWith('call ')) return this.call(undefined, code, origin);
    const [definition, operation] = code.split(/ = (.*)/s) as [string, string];
    const [op, rest = ''] = operation.split(/ (.*)/s) as [string, string?];
    if (op === 'call') return this.call(definition, operation, origin);
    const result = this.define(definition);
    switch (op) {
      case 'const':
        return { kind: 'const', result, value: rest === 'true' ? true : rest === 'false' ? false : Number(rest) };
      case 'global':
        return { kind: 'global', result, name: rest };
      case 'prim': {
        const [name, args = ''] = rest.split(/ (.*)/s) as [string, string?];
        return { kind: 'prim', result, op: name, args: args === '' ? [] : args.split(', ').map(ref), origin };
      }
      case 'load': {
        const m = /^(%\d+)(?:\[(%\d+)\]|\.([\w$]+))$/.exec(rest)!;
        return { kind: 'load', result, container: ref(m[1]!), index: m[2] ? ref(m[2]) : m[3]!, origin };
      }
      case 'length':
        return { kind: 'length', result, container: ref(rest) };
      case 'copy':
        return { kind: 'copy', result, container: ref(rest) };
      case 'alloc': {
        if (rest.startsWith('[')) return { kind: 'alloc', result, elements: listOf(rest), origin };
        const m = /^length (%\d+)(?: fill (%\d+))?$/.exec(rest)!;
        return { kind: 'alloc', result, elements: [], length: ref(m[1]!), ...(m[2] ? { fill: ref(m[2]) } : {}), origin };
      }
      case 'slice': {
        const m = /^(%\d+)(?: start (%\d+))?(?: end (%\d+))? offset (%\d+) copied (%\d+)$/.exec(rest)!;
        return { kind: 'slice', result, container: ref(m[1]!), ...(m[2] ? { start: ref(m[2]) } : {}), ...(m[3] ? { end: ref(m[3]) } : {}), offset: ref(m[4]!), copied: ref(m[5]!), origin };
      }
      default:
        throw new Error(`unknown instruction: ${code}`);
    }
  }

  private call(definition: string | undefined, code: string, origin: SourceOrigin): Instr {
    const m = /^call ("(?:[^"\\]|\\.)*")\((.*?)\)(?: snapshots \[(.*)\])?$/.exec(code)!;
    const args = listOf(`[${m[2]}]`);
    const snapshots = m[3] ? m[3].split(', ').map((s) => (s === '_' ? undefined : ref(s))) : args.map(() => undefined);
    const result = definition === undefined ? undefined : this.define(definition);
    return { kind: 'call', ...(result === undefined ? {} : { result }), callee: JSON.parse(m[1]!) as string, args, snapshots, origin };
  }
}

function ref(text: string): ValueId {
  const m = /^%(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`expected a value, found: ${text}`);
  return Number(m[1]);
}

function listOf(text: string): ValueId[] {
  const inner = text.trim().slice(1, -1).trim();
  return inner === '' ? [] : inner.split(', ').map(ref);
}

function numbersIn(text: string): { snapshots?: number; repetitions?: number } {
  const snapshots = /snapshots (\d+)/.exec(text);
  const repetitions = /repetitions (\d+)/.exec(text);
  return { ...(snapshots ? { snapshots: Number(snapshots[1]) } : {}), ...(repetitions ? { repetitions: Number(repetitions[1]) } : {}) };
}

/** The instruction and its origin: ` ; 5: x * y` ends an instruction from source line 5. */
function splitOrigin(line: string): [string, SourceOrigin | undefined] {
  const m = /^(.*?) ; (\d+): (.*)$/.exec(line);
  return m ? [m[1]!, { line: Number(m[2]), column: 1, text: m[3]! }] : [line, undefined];
}

/** Splits at the commas that are not inside brackets, braces or quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && (c === '[' || c === '{')) depth++;
    else if (!quoted && (c === ']' || c === '}')) depth--;
    else if (!quoted && depth === 0 && c === ',') {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (text.trim() !== '') parts.push(text.slice(start).trim());
  return parts;
}

export function parseType(text: string): Type {
  const t = text.trim();
  if (t.endsWith('[]')) return { kind: 'array', container: 'Array', element: parseType(t.slice(0, -2)) };
  if (t === 'number' || t === 'boolean') return { kind: t };
  if (t === 'Float64Array' || t === 'Float32Array') return { kind: 'array', container: t, element: { kind: 'number' } };
  if (t.startsWith('[')) return { kind: 'tuple', elements: splitTopLevel(t.slice(1, -1)).map(parseType) };
  if (t.startsWith('{')) {
    const fields = splitTopLevel(t.slice(1, -1).replaceAll(';', ','));
    return { kind: 'object', fields: fields.map((f) => ({ name: f.slice(0, f.indexOf(':')).trim(), type: parseType(f.slice(f.indexOf(':') + 1)) })) };
  }
  throw new Error(`unknown type: ${text}`);
}
