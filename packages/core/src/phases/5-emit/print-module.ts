/** Prints a CodeModule as TypeScript text. */
import type { CodeModule, ConstDecl, FunctionDecl, Stmt } from '../../ir/code.js';
import { forEachExprInStatements } from '../../ir/code-walk.js';
import { printAssignTarget, printExpression } from './print-expression.js';

/**
 * Prints a CodeModule as TypeScript text (prettier then gives it its final layout). Text from
 * outside (module specifiers, which hold file names; comments, which may quote file names and
 * source text) never becomes code: specifiers are printed as quoted strings, and comments cannot be
 * ended early.
 */
export function printModule(module: CodeModule): string {
  const imports = printImports(module);
  const parts = [
    oneLine(module.header),
    ...(imports.length > 0 ? [imports.join('\n')] : []),
    ...module.items.map((item) => (item.kind === 'function' ? printFunction(item) : item.kind === 'const' ? printConst(item) : item.text)),
  ];
  return `${parts.join('\n\n')}\n`;
}

/** One import declaration per module, its names in the order they were first needed. */
function printImports(module: CodeModule): string[] {
  const namesByModule = new Map<string, string[]>();
  for (const i of module.imports) {
    const name = i.name === i.local ? i.name : `${i.name} as ${i.local}`;
    const names = namesByModule.get(i.module) ?? [];
    if (!names.includes(name)) namesByModule.set(i.module, [...names, name]);
  }
  return [...namesByModule].map(([specifier, names]) => `import { ${names.join(', ')} } from ${quoted(specifier)};`);
}

function printConst(decl: ConstDecl): string {
  return `const ${decl.name} = ${printExpression(decl.init)};`;
}

function printFunction(fn: FunctionDecl): string {
  const doc = ['/**', ...fn.doc.split('\n').map((line) => ` * ${line.replace(/\*\//g, '*\\/')}`), ' */'].join('\n');
  const params = parameterNames(fn)
    .map((name, i) => `${name}: ${fn.params[i]!.type}`)
    .join(', ');
  return `${doc}\n${fn.exported ? 'export ' : ''}function ${fn.name}(${params}): ${fn.returnType} {\n${printStatements(fn.body, '  ')}\n}`;
}

/**
 * The names the parameters are printed with: one the body never reads (a backprop keeps every
 * parameter of its source, used or not) starts with `_`, which `noUnusedParameters` accepts.
 */
function parameterNames(fn: FunctionDecl): string[] {
  const read = new Set<string>();
  forEachExprInStatements(fn.body, (e) => {
    if (e.kind === 'ref') read.add(e.name);
  });
  const taken = new Set([...read, ...fn.params.map((p) => p.name)]);
  return fn.params.map(({ name }) => {
    if (read.has(name)) return name;
    let unread = `_${name}`;
    while (taken.has(unread)) unread = `_${unread}`;
    taken.add(unread);
    return unread;
  });
}

function printStatements(statements: Stmt[], indent: string): string {
  return statements.map((s) => printStatement(s, indent)).join('\n');
}

function printStatement(statement: Stmt, indent: string): string {
  const inner = `${indent}  `;
  switch (statement.kind) {
    case 'declare': {
      const type = statement.type ? `: ${statement.type}` : '';
      const init = statement.init ? ` = ${printExpression(statement.init)}` : '';
      return withComment(`${indent}${statement.declaration} ${statement.name}${type}${init};`, statement.comment);
    }
    case 'assign':
      return withComment(
        `${indent}${printAssignTarget(statement.target, statement.op)} ${statement.op} ${printExpression(statement.value)};`,
        statement.comment,
      );
    case 'expr':
      return withComment(`${indent}${printExpression(statement.expr)};`, statement.comment);
    case 'if': {
      if (statement.then.length === 0 && statement.else.length > 0) {
        return printStatement(
          { kind: 'if', test: { kind: 'unary', op: '!', operand: statement.test }, then: statement.else, else: [] },
          indent,
        );
      }
      const otherwise = statement.else.length > 0 ? ` else {\n${printStatements(statement.else, inner)}\n${indent}}` : '';
      return `${indent}if (${printExpression(statement.test)}) {\n${printStatements(statement.then, inner)}\n${indent}}${otherwise}`;
    }
    case 'block':
      return `${indent}{\n${printStatements(statement.body, inner)}\n${indent}}`;
    case 'forever':
      return `${indent}for (;;) {\n${printStatements(statement.body, inner)}\n${indent}}`;
    case 'countdown': {
      const k = statement.counter;
      return `${indent}for (let ${k} = ${printExpression(statement.from)}; ${k} > 0; ${k}--) {\n${printStatements(statement.body, inner)}\n${indent}}`;
    }
    case 'countup': {
      const i = statement.counter;
      const from = statement.from ? printExpression(statement.from) : '0';
      const test = `${i} ${statement.test ?? '<'} ${printExpression(statement.to)}`;
      const by = statement.step ?? 1;
      const step = by === 1 ? `${i}++` : by === -1 ? `${i}--` : by > 0 ? `${i} += ${by}` : `${i} -= ${-by}`;
      return `${indent}for (let ${i} = ${from}; ${test}; ${step}) {\n${printStatements(statement.body, inner)}\n${indent}}`;
    }
    case 'break':
      return `${indent}break;`;
    case 'return':
      return `${indent}return ${printExpression(statement.value)};`;
    case 'comment':
      return `${indent}// ${oneLine(statement.text)}`;
    case 'hole':
      throw new Error(`hole ${statement.id} left unfilled in the generated code`);
  }
}

function withComment(code: string, comment: string | undefined): string {
  return comment ? `${code} // ${oneLine(comment)}` : code;
}

/**
 * A string literal of `text`: JSON's quoting, and the line and paragraph separators, which
 * TypeScript does not accept unescaped inside a string, escaped.
 */
function quoted(text: string): string {
  return JSON.stringify(text).replace(/[\u2028\u2029]/g, (c) => LINE_BREAKS[c]!);
}

const LINE_BREAKS: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** The text of a `//` comment, with any line break in it written as an escape, so that it cannot end the comment. */
function oneLine(text: string): string {
  return text.replace(/[\n\r\u2028\u2029]/g, (c) => LINE_BREAKS[c]!);
}
