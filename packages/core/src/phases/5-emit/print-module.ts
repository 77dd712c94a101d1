/** Prints a CodeModule as TypeScript text (prettier then gives it its final layout). */
import type { CodeModule, ConstDecl, FunctionDecl, Stmt } from '../../ir/code.js';
import { printExpression } from './print-expression.js';

export function printModule(module: CodeModule): string {
  const parts = [module.header, ...module.items.map((item) => (item.kind === 'function' ? printFunction(item) : printConst(item)))];
  return `${parts.join('\n\n')}\n`;
}

function printConst(decl: ConstDecl): string {
  return `const ${decl.name} = ${printExpression(decl.init)};`;
}

function printFunction(fn: FunctionDecl): string {
  const doc = ['/**', ...fn.doc.split('\n').map((line) => ` * ${line}`), ' */'].join('\n');
  const params = fn.params.map((p) => `${p.name}: ${p.type}`).join(', ');
  const body = fn.body.map((s) => `  ${printStatement(s)}`).join('\n');
  return `${doc}\n${fn.exported ? 'export ' : ''}function ${fn.name}(${params}): ${fn.returnType} {\n${body}\n}`;
}

function printStatement(statement: Stmt): string {
  switch (statement.kind) {
    case 'declare':
      return withComment(`${statement.declaration} ${statement.name} = ${printExpression(statement.init)};`, statement.comment);
    case 'assign':
      return withComment(`${statement.name} ${statement.op} ${printExpression(statement.value)};`, statement.comment);
    case 'return':
      return `return ${printExpression(statement.value)};`;
    case 'comment':
      return `// ${statement.text}`;
  }
}

function withComment(code: string, comment: string | undefined): string {
  return comment ? `${code} // ${comment}` : code;
}
