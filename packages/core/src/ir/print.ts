/**
 * The SSA IR as compact text, one instruction a line (`adjoint --dump-ir`, the verifier's reports,
 * and the passes' tests, which read it back with ir/parse.ts):
 *
 *   function dot(%0 x: number[], %1 w: number[] nodiff) -> %9
 *     %2: number = const 0
 *     %3: number = length %0
 *     %4: boolean = prim < %2, %3                ; 4: i < x.length
 *     if %4 {
 *       loop {
 *         carried %5 i: number = %2, next %7, after %11 i
 *         carried %6 s: number = %2, next %10, after %12 s
 *         …
 *       } again %8, trips %13
 *     } else {
 *     }
 *     φ %9 s: number = %12, %2
 *
 * A value is `%id`, followed where it is defined by the source variable it is a version of and
 * its type. `; line: text` ends an instruction that comes from the source.
 */
import type { Block, Instr, SsaFunction, SourceOrigin, Type, ValueId } from './ssa.js';

export interface PrintOptions {
  /** End instructions with their source line and text (default true). */
  origins?: boolean;
}

export function printFunction(fn: SsaFunction, options: PrintOptions = {}): string {
  return printLines(fn, options)
    .map((line) => line.text)
    .join('\n');
}

/** One printed line, with the instruction it prints (for reports that point at one). */
export interface PrintedLine {
  text: string;
  instr?: Instr;
}

export function printLines(fn: SsaFunction, options: PrintOptions = {}): PrintedLine[] {
  const printer = new Printer(fn, options.origins ?? true);
  const params = fn.params.map((p) => {
    const written = p.typeText === typeText(fn.values[p.value]!.type) ? '' : ` ${JSON.stringify(p.typeText)}`;
    return `${printer.definition(p.value)}${written}${p.differentiable ? '' : ' nodiff'}`;
  });
  const result = fn.result === undefined ? 'void' : printer.ref(fn.result);
  const declared =
    fn.declaredResult && fn.result !== undefined && typeText(fn.declaredResult) !== typeText(fn.values[fn.result]!.type)
      ? ` declared ${typeText(fn.declaredResult)}`
      : '';
  printer.lines.push({ text: `function ${fn.name}(${params.join(', ')}) -> ${result}${declared}` });
  printer.block(fn.body, 1);
  return printer.lines;
}

/** `number`, `boolean`, `number[]`, `Float64Array`, `[number, number[]]`, `{ a: number; b: boolean }`. */
export function typeText(type: Type): string {
  switch (type.kind) {
    case 'number':
    case 'boolean':
      return type.kind;
    case 'array':
      if (type.container !== 'Array') return type.container;
      return type.element.kind === 'tuple' || type.element.kind === 'object' || type.element.kind === 'array'
        ? `${typeText(type.element)}[]`
        : `${type.element.kind}[]`;
    case 'tuple':
      return `[${type.elements.map(typeText).join(', ')}]`;
    case 'object':
      return `{ ${type.fields.map((f) => `${f.name}: ${typeText(f.type)}`).join('; ')} }`;
  }
}

class Printer {
  readonly lines: PrintedLine[] = [];

  constructor(
    private readonly fn: SsaFunction,
    private readonly origins: boolean,
  ) {}

  ref(v: ValueId): string {
    return `%${v}`;
  }

  /** `%4 s: number`: a value where it is defined. */
  definition(v: ValueId): string {
    const info = this.fn.values[v];
    if (!info) return `%${v}: <no such value>`;
    return `%${v}${info.hint ? ` ${info.hint}` : ''}: ${typeText(info.type)}`;
  }

  block(block: Block, depth: number): void {
    for (const instr of block.instrs) this.instr(instr, depth);
  }

  private line(depth: number, text: string, instr?: Instr, origin?: SourceOrigin): void {
    const suffix = this.origins && origin ? ` ; ${origin.line}: ${origin.text}` : '';
    this.lines.push({ text: `${'  '.repeat(depth)}${text}${suffix}`, instr });
  }

  private instr(instr: Instr, depth: number): void {
    const r = (v: ValueId) => this.ref(v);
    const index = (i: ValueId | string) => (typeof i === 'string' ? `.${i}` : `[${r(i)}]`);
    switch (instr.kind) {
      case 'const':
        return this.line(depth, `${this.definition(instr.result)} = const ${instr.value}`, instr);
      case 'global':
        return this.line(depth, `${this.definition(instr.result)} = global ${instr.name}`, instr);
      case 'prim':
        return this.line(
          depth,
          `${this.definition(instr.result)} = prim ${instr.op} ${instr.args.map(r).join(', ')}`.trimEnd(),
          instr,
          instr.origin,
        );
      case 'load':
        return this.line(depth, `${this.definition(instr.result)} = load ${r(instr.container)}${index(instr.index)}`, instr, instr.origin);
      case 'store':
        return this.line(
          depth,
          `store ${r(instr.container)}${index(instr.index)} = ${r(instr.value)}${instr.previous === undefined ? '' : ` previous ${r(instr.previous)}`}${instr.lengthBefore === undefined ? '' : ` length before ${r(instr.lengthBefore)}`}`,
          instr,
          instr.origin,
        );
      case 'length':
        return this.line(depth, `${this.definition(instr.result)} = length ${r(instr.container)}`, instr);
      case 'alloc': {
        const made =
          instr.length === undefined
            ? `[${instr.elements.map(r).join(', ')}]`
            : `length ${r(instr.length)}${instr.fill === undefined ? '' : ` fill ${r(instr.fill)}`}`;
        return this.line(depth, `${this.definition(instr.result)} = alloc ${made}`, instr, instr.origin);
      }
      case 'slice': {
        const bounds = `${instr.start === undefined ? '' : ` start ${r(instr.start)}`}${instr.end === undefined ? '' : ` end ${r(instr.end)}`}`;
        return this.line(
          depth,
          `${this.definition(instr.result)} = slice ${r(instr.container)}${bounds} offset ${r(instr.offset)} copied ${r(instr.copied)}`,
          instr,
          instr.origin,
        );
      }
      case 'push':
        return this.line(
          depth,
          `push ${r(instr.container)} ${r(instr.value)} at ${r(instr.index)}${instr.restoresLength ? ' restoring length' : ''}`,
          instr,
          instr.origin,
        );
      case 'copy':
        return this.line(depth, `${this.definition(instr.result)} = copy ${r(instr.container)}`, instr);
      case 'call': {
        const snapshots = instr.snapshots.some((s) => s !== undefined)
          ? ` snapshots [${instr.snapshots.map((s) => (s === undefined ? '_' : r(s))).join(', ')}]`
          : '';
        const call = `call ${JSON.stringify(instr.callee)}(${instr.args.map(r).join(', ')})${snapshots}`;
        return this.line(depth, instr.result === undefined ? call : `${this.definition(instr.result)} = ${call}`, instr, instr.origin);
      }
      case 'if':
        this.line(depth, `if ${r(instr.cond)} {`, instr);
        this.block(instr.then, depth + 1);
        this.line(depth, '} else {', instr);
        this.block(instr.else, depth + 1);
        this.line(depth, '}', instr);
        for (const phi of instr.phis) this.line(depth, `φ ${this.definition(phi.result)} = ${r(phi.then)}, ${r(phi.else)}`, instr);
        return;
      case 'loop': {
        const checkpoint = instr.checkpoint;
        const schedule =
          checkpoint &&
          [
            checkpoint.snapshots === undefined ? '' : `snapshots ${checkpoint.snapshots}`,
            checkpoint.repetitions === undefined ? '' : `repetitions ${checkpoint.repetitions}`,
          ]
            .filter(Boolean)
            .join(' ');
        const skipped = instr.skippedWhenZero ? ` skippedWhenZero(${instr.skippedWhenZero.map(r).join(', ')})` : '';
        this.line(depth, `loop${checkpoint ? ` checkpoint(${schedule})` : ''}${skipped} {`, instr);
        for (const c of instr.carried) {
          const after = this.fn.values[c.result]?.hint;
          this.line(
            depth + 1,
            `carried ${this.definition(c.param)} = ${r(c.init)}, next ${r(c.next)}, after ${r(c.result)}${after ? ` ${after}` : ''}`,
            instr,
          );
        }
        this.block(instr.body, depth + 1);
        this.line(depth, `} again ${r(instr.again)}, trips ${r(instr.trips)}`, instr);
        return;
      }
    }
  }
}
