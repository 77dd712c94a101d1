/**
 * Marks on the members of a class. A method of a class declared by name at module level can be
 * marked, static or not; its companion exports are named after the class and the method
 * (`grad_Linear_forward` for `Linear.forward`), and for an instance method they take the instance
 * first (phases/2-lower/methods.ts). Constructors, getters and setters cannot be marked: what each
 * is instead says what to write.
 */
import { Node, type MethodDeclaration } from 'ts-morph';
import type { FunctionNode } from './function-node.js';

/** The name a method's companion functions are named after: `Linear_forward`, `Linear_norm` for `#norm`. */
export function methodFunctionName(method: MethodDeclaration): string | undefined {
  const owner = method.getParent();
  const className = Node.isClassDeclaration(owner) ? owner.getName() : undefined;
  const name = method.getNameNode();
  if (!className || !(Node.isIdentifier(name) || Node.isPrivateIdentifier(name))) return undefined;
  return `${className}_${name.getText().replace(/^#/, '')}`;
}

/** A marked member of a class: the method and its name, or what was marked instead, in words. */
export function classMemberMarkTarget(node: Node): { name: string; node: MethodDeclaration } | string | undefined {
  if (Node.isConstructorDeclaration(node)) return 'a constructor, which returns no number';
  if (Node.isGetAccessorDeclaration(node)) return 'a getter';
  if (Node.isSetAccessorDeclaration(node)) return 'a setter';
  if (!Node.isMethodDeclaration(node)) return undefined;
  const owner = node.getParent();
  if (Node.isObjectLiteralExpression(owner)) return 'a method of an object literal';
  if (!Node.isClassDeclaration(owner) || !owner.getName())
    return 'a method of a class without a name (a class expression, or an anonymous default export)';
  if (!Node.isSourceFile(owner.getParent())) return 'a method of a class declared inside a function or a block';
  const name = methodFunctionName(node);
  if (!name) return `a method whose name, ${node.getNameNode().getText()}, is computed`;
  return { name, node };
}

/** A marked function as the source names it: `Linear.loss` for a method, the function's name otherwise. */
export function displayName(node: FunctionNode, name: string): string {
  const owner = node.getParent();
  return Node.isMethodDeclaration(node) && Node.isClassDeclaration(owner) ? `${owner.getName()}.${node.getName()}` : name;
}
