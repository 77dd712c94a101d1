/**
 * Whether a method call can be resolved where it is written. The companion calls the method a
 * class declares (methods.ts): `this.m(…)` in a method lowered for class C is a call of C's `m`
 * (its own, or the nearest inherited), `Stats.mean(v)` a call of the static method. JavaScript
 * dispatches at run time instead, so the two differ, and the gradient would silently be that of
 * another function, when
 * - a subclass of C (in the project) overrides `m`: on an instance of it, `this.m` is its override;
 * - the program assigns the method (`Linear.prototype.m = …`, `layer.m = …`, `Stats.mean = …`).
 * Either is an error (AD1149) at the call, naming the override or the assignment.
 */
import { Node, SyntaxKind, type ClassDeclaration, type MethodDeclaration } from 'ts-morph';

const ASSIGNMENTS = new Set([
  SyntaxKind.EqualsToken,
  SyntaxKind.QuestionQuestionEqualsToken,
  SyntaxKind.BarBarEqualsToken,
  SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** Why a call of `method` cannot be resolved to it, with the place that makes it so; undefined when it can. */
export interface DispatchProblem {
  /** What else may run: "is overridden by the subclass 'Sub'", "is assigned a new function (layer.act = …)". */
  reason: string;
  fix: string;
  /** The override or the assignment. */
  at: Node;
}

/**
 * The problem with calling `method` as `cls` declares it (for an instance method: on an instance
 * of `cls`; for a static method `cls` is undefined).
 */
export function dispatchProblem(method: MethodDeclaration, cls: ClassDeclaration | undefined): DispatchProblem | undefined {
  const name = method.getName();
  if (cls) {
    const override = subclassesOf(cls)
      .flatMap((sub) => sub.getMembers())
      .find((member) => !isStatic(member) && memberName(member) === name);
    if (override) {
      const sub = override.getParentOrThrow() as ClassDeclaration;
      return {
        reason: `is overridden by the subclass '${sub.getName() ?? '(anonymous)'}'`,
        fix: `Move what '${name}' computes into a function of the module, which no subclass can override, or mark the method in a class whose subclasses do not override '${name}'`,
        at: override,
      };
    }
  }
  const assignment = assignmentOf(method);
  if (assignment)
    return {
      reason: `is assigned a new function (${assignment.getText().split('=')[0]!.trim()} = …)`,
      fix: `Keep '${name}' as the class declares it: give the other function a name of its own and call that where it is meant`,
      at: assignment,
    };
  return undefined;
}

/** The classes of the project that extend `cls`, directly or not. */
function subclassesOf(cls: ClassDeclaration): ClassDeclaration[] {
  const found: ClassDeclaration[] = [];
  const visit = (c: ClassDeclaration) => {
    for (const sub of c.getDerivedClasses()) {
      if (found.includes(sub)) continue;
      found.push(sub);
      visit(sub);
    }
  };
  visit(cls);
  return found;
}

/** An assignment whose target is the method (`X.prototype.m = …`, `x.m = …`, `X.m = …` for a static one). */
function assignmentOf(method: MethodDeclaration): Node | undefined {
  const nameNode = method.getNameNode();
  if (!Node.isReferenceFindable(nameNode)) return undefined;
  for (const reference of nameNode.findReferencesAsNodes()) {
    const access = reference.getParent();
    if (!Node.isPropertyAccessExpression(access) && !Node.isElementAccessExpression(access)) continue;
    const assignment = access.getParent();
    if (Node.isBinaryExpression(assignment) && assignment.getLeft() === access && ASSIGNMENTS.has(assignment.getOperatorToken().getKind()))
      return assignment;
  }
  return undefined;
}

function isStatic(member: Node): boolean {
  return (
    (Node.isMethodDeclaration(member) ||
      Node.isPropertyDeclaration(member) ||
      Node.isGetAccessorDeclaration(member) ||
      Node.isSetAccessorDeclaration(member)) &&
    member.isStatic()
  );
}

function memberName(member: Node): string | undefined {
  return Node.isMethodDeclaration(member) ||
    Node.isPropertyDeclaration(member) ||
    Node.isGetAccessorDeclaration(member) ||
    Node.isSetAccessorDeclaration(member)
    ? member.getName()
    : undefined;
}
