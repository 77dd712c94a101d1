/**
 * User-supplied derivative rules. A function marked `/** @adjointOf f *\/` gives the adjoint of f:
 * it takes f's arguments followed by the adjoint of f's result, and returns an object with the
 * adjoint of each of f's number-holding parameters, by name and shaped like it:
 *
 *   /** @adjointOf logSumExp *\/
 *   export function logSumExpAdjoint(xs: number[], dResult: number): { xs: number[] } { … }
 *
 * The rule may sit beside f or in another module; it must be exported, since the companion calls it.
 *
 * A companion Adjoint generated may give a rule for some parameters only, `@adjointOf grad_f wrt:
 * x, s`: the rule of a generated gradient (second-order-exports.ts), used for a call that varies
 * no other argument; any other call, and forward mode, differentiate the function's body.
 */
import { Node, type JSDoc, type SourceFile } from 'ts-morph';
import type { Diagnostic, SourceLocation } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { isGeneratedText } from '../../companion.js';
import { locationOf } from './location.js';
import type { FunctionNode } from './function-node.js';

export interface RuleFunction {
  /** The rule's own name, as exported from its module. */
  name: string;
  /** The name of the function it gives the adjoint of, as seen from the rule's module. */
  targetName: string;
  node: FunctionNode;
  /** The path of the rule's module. */
  path: string;
  location: SourceLocation;
  /** The parameters it gives the adjoints of, when not every number-holding one (in a companion Adjoint generated only). */
  wrt?: string[];
}

const MARK = /@adjointOf\s+([A-Za-z_$][\w$]*)/;
const GENERATED_MARK = /@adjointOf\s+[A-Za-z_$][\w$]*\s+wrt:\s*([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*)/;

export function collectRules(sourceFile: SourceFile, path: string, diagnostics: Diagnostic[]): RuleFunction[] {
  const rules: RuleFunction[] = [];
  const generated = isGeneratedText(sourceFile.getFullText());
  const consider = (
    holder: Node & { getJsDocs(): JSDoc[] },
    name: string | undefined,
    node: FunctionNode | undefined,
    exported: boolean,
  ) => {
    const comment = holder.getJsDocs().find((doc) => MARK.test(doc.getText()));
    if (!comment) return;
    const location = locationOf(comment, path);
    if (!name || !node)
      return void diagnostics.push(createDiagnostic('AD2003', { target: 'a derivative rule that is not a named function' }, location));
    if (!exported) return void diagnostics.push(createDiagnostic('AD2007', { rule: name }, location));
    const wrt = generated
      ? GENERATED_MARK.exec(comment.getText())?.[1]!
          .split(',')
          .map((p) => p.trim())
      : undefined;
    rules.push({ name, targetName: MARK.exec(comment.getText())![1]!, node, path, location, ...(wrt && { wrt }) });
  };
  for (const fn of sourceFile.getFunctions()) consider(fn, fn.getName(), fn, fn.isExported());
  for (const statement of sourceFile.getVariableStatements()) {
    const declaration = statement.getDeclarations()[0];
    const init = declaration?.getInitializer();
    const node = init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init)) ? init : undefined;
    consider(statement, declaration?.getName(), node, statement.isExported());
  }
  return rules;
}

/**
 * The declaration of the function `name` refers to at the top of a module: a function declaration,
 * a const holding a function, or an import of one (followed to the module that declares it).
 */
export function functionDeclaredAs(sourceFile: SourceFile, name: string): Node | undefined {
  const local = sourceFile.getFunction(name) ?? sourceFile.getVariableDeclaration(name);
  if (local) return local;
  for (const declaration of sourceFile.getImportDeclarations()) {
    for (const specifier of declaration.getNamedImports()) {
      if ((specifier.getAliasNode() ?? specifier.getNameNode()).getText() !== name) continue;
      const symbol = specifier.getNameNode().getSymbol();
      return (symbol?.getAliasedSymbol() ?? symbol)?.getDeclarations()[0];
    }
  }
  return undefined;
}
