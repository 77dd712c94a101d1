/**
 * The variables a local function shares with the functions around it: the names it reads or
 * writes that are declared in an enclosing function, not inside itself and not at module level
 * (module-level names mean the same wherever the function is lowered). Found with TypeScript's
 * symbols, so shadowing, property names and type positions are told apart as the checker does.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { LocalFunctionNode } from './scope.js';

export interface FreeNames {
  /** Every such name, in the order of first use (and `this`, for an arrow that reads the method's around it). */
  names: string[];
  /** Whether it calls (or reads) itself by its own name: a function declaration's, or a named function expression's. */
  callsItself: boolean;
  /** Those it assigns (`=`, `+=`, `++`, destructuring), each with the first assignment. */
  assigned: Map<string, Node>;
}

const cache = new WeakMap<LocalFunctionNode, FreeNames>();

const VARIABLE_DECLARATIONS = new Set([
  SyntaxKind.VariableDeclaration,
  SyntaxKind.Parameter,
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.BindingElement,
]);
const FUNCTIONS = new Set([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
]);

export function freeNamesOf(fn: LocalFunctionNode): FreeNames {
  const known = cache.get(fn);
  if (known) return known;
  const free: FreeNames = { names: [], callsItself: false, assigned: new Map() };
  const inside = (node: Node) =>
    node.getSourceFile() === fn.getSourceFile() && node.getStart() >= fn.getStart() && node.getEnd() <= fn.getEnd();
  fn.forEachDescendant((node) => {
    // an arrow's `this` is the method's around it (methods.ts), which a copy takes as a capture
    if (Node.isThisExpression(node) && Node.isArrowFunction(fn) && ownerOf(node) === ownerOf(fn) && !free.names.includes('this'))
      free.names.push('this');
    if (!Node.isIdentifier(node)) return;
    const declaration = declarationOf(node);
    if (declaration === fn && (Node.isArrowFunction(fn) || node !== fn.getNameNode())) free.callsItself = true;
    if (!declaration || !VARIABLE_DECLARATIONS.has(declaration.getKind()) || inside(declaration)) return;
    // declared in a function around this one (a module-level name is the same everywhere)
    if (!declaration.getFirstAncestor((a) => FUNCTIONS.has(a.getKind()))) return;
    const name = node.getText();
    if (!free.names.includes(name)) free.names.push(name);
    if (isAssigned(node) && !free.assigned.has(name)) free.assigned.set(name, node);
  });
  cache.set(fn, free);
  return free;
}

/** The function whose `this` a node sees: the nearest function around it that is not an arrow. */
function ownerOf(node: Node): Node | undefined {
  return node.getFirstAncestor((a) => FUNCTIONS.has(a.getKind()) && !Node.isArrowFunction(a));
}

/** The declaration a name refers to (for `{ x }`, the variable x, not the property). */
function declarationOf(identifier: Node): Node | undefined {
  const parent = identifier.getParent();
  const symbol = Node.isShorthandPropertyAssignment(parent)
    ? identifier.getProject().getTypeChecker().getShorthandAssignmentValueSymbol(parent)
    : identifier.getSymbol();
  return symbol?.getValueDeclaration() ?? symbol?.getDeclarations()[0];
}

const ASSIGNMENTS = new Set([
  SyntaxKind.EqualsToken,
  SyntaxKind.PlusEqualsToken,
  SyntaxKind.MinusEqualsToken,
  SyntaxKind.AsteriskEqualsToken,
  SyntaxKind.SlashEqualsToken,
  SyntaxKind.PercentEqualsToken,
  SyntaxKind.AsteriskAsteriskEqualsToken,
  SyntaxKind.QuestionQuestionEqualsToken,
  SyntaxKind.BarBarEqualsToken,
  SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** True when the name is written: the target of an assignment (also inside a destructuring pattern), or of `++`/`--`. */
function isAssigned(identifier: Node): boolean {
  let target: Node = identifier;
  for (let parent = target.getParent(); parent; target = parent, parent = parent.getParent()) {
    if (Node.isParenthesizedExpression(parent) || Node.isArrayLiteralExpression(parent) || Node.isObjectLiteralExpression(parent)) continue;
    if (Node.isShorthandPropertyAssignment(parent) || (Node.isPropertyAssignment(parent) && parent.getInitializer() === target)) continue;
    if (Node.isBinaryExpression(parent)) return ASSIGNMENTS.has(parent.getOperatorToken().getKind()) && parent.getLeft() === target;
    if (Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) {
      return parent.getOperatorToken() === SyntaxKind.PlusPlusToken || parent.getOperatorToken() === SyntaxKind.MinusMinusToken;
    }
    if (Node.isForOfStatement(parent)) return parent.getInitializer() === target;
    return false;
  }
  return false;
}
