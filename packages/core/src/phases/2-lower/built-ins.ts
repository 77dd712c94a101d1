/**
 * Which names denote JavaScript's built-ins. The rule tables match them by name (`Math.sin`,
 * `Math.PI`, `Number.EPSILON`, `NaN`, `new Float64Array(n)`, `Array.from`); a name means the
 * built-in only when TypeScript resolves it to the declaration in its lib files, not to an
 * import (`import * as Math from './mymath'`), a parameter, a local or a module-level
 * declaration that shadows it. Those are lowered as what they are, or rejected.
 */
import { Node } from 'ts-morph';
import { isLibFile } from '../1-parse/shared-lib-files.js';

/** True when the identifier is the global of its name (a name no declaration of the program shadows). */
export function isBuiltIn(identifier: Node): boolean {
  // a name nothing declares (`undefined`) has no declarations: it is the global
  const declarations = identifier.getSymbol()?.getDeclarations() ?? [];
  return declarations.every((d) => isLibFile(d.getSourceFile()));
}

/**
 * The built-in an expression names, as the rule tables spell it: `Math.sin` for `Math.sin` (or
 * `Math . sin`), `NaN` for `NaN`; undefined when it names something else.
 */
export function builtInName(node: Node): string | undefined {
  if (Node.isIdentifier(node)) return isBuiltIn(node) ? node.getText() : undefined;
  if (Node.isPropertyAccessExpression(node) && !node.hasQuestionDotToken()) {
    const object = node.getExpression();
    return Node.isIdentifier(object) && isBuiltIn(object) ? `${object.getText()}.${node.getName()}` : undefined;
  }
  return undefined;
}
