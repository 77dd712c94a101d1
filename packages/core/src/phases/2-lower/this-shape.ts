/**
 * What `this` is to a differentiable method: an implicit first parameter, the instance, of which
 * the method reads some fields. The fields it holds in the IR are those that the method, and the
 * methods it calls through `this.m(…)` (transitively), read: the family of the method. Every method
 * of the family is lowered with the same shape, so that the instance passes from one to the next
 * as it is; a field no method of the family reads is not copied, shadowed or typed.
 *
 * Which method `this.m` denotes is decided from the class of the marked method, as JavaScript
 * dispatches on an instance of that class: a base class's method calling `this.m()` calls the
 * override of the marked method's class when there is one.
 */
import { Node, type ClassDeclaration, type MethodDeclaration, type PropertyAccessExpression } from 'ts-morph';
import type { Type } from '../../ir/ssa.js';
import { typeMemberKey } from '../../ir/property-names.js';
import { irType, selfContainedTypeText } from './types.js';

export interface ThisShape {
  /** The class of the marked method, whose methods `this.m` denotes. */
  cls: ClassDeclaration;
  /** The fields read, in the order the class declares them; none when the family reads no field. */
  fields: Array<{ name: string; type: Type; typeText: string }>;
}

/** A field read that cannot be differentiated: why, and what to write instead (AD1146). */
export interface FieldProblem {
  reason: string;
  fix: string;
}

/** The shape of `this` for a method of `cls` and the methods it calls. */
export function thisShapeOf(method: MethodDeclaration, cls: ClassDeclaration): ThisShape {
  const fields = new Map<string, { type: Type; typeText: string; order: number }>();
  for (const member of familyOf(method, cls)) {
    for (const access of thisAccessesIn(member)) {
      const name = access.getName();
      if (fields.has(name) || isCalled(access) || fieldProblem(access, cls)) continue;
      const type = irType(access.getType(), access);
      const declaration = fieldDeclaration(cls, name)!;
      const written =
        Node.isPropertyDeclaration(declaration) || Node.isParameterDeclaration(declaration)
          ? declaration.getTypeNode()?.getText()
          : undefined;
      fields.set(name, {
        type: type!,
        typeText: selfContainedTypeText(written ?? access.getType().getText(access), type!),
        order: declarationOrder(declaration),
      });
    }
  }
  const ordered = [...fields].sort((a, b) => a[1].order - b[1].order);
  return { cls, fields: ordered.map(([name, { type, typeText }]) => ({ name, type, typeText })) };
}

/** The IR type of the instance: an object of the fields read; undefined when none is read (it is then passed along unread). */
export function thisType(shape: ThisShape): Type | undefined {
  return shape.fields.length === 0 ? undefined : { kind: 'object', fields: shape.fields.map(({ name, type }) => ({ name, type })) };
}

/** How the companion's signatures type the instance: structurally, so that any instance of the class fits. */
export function thisTypeText(shape: ThisShape): string {
  return shape.fields.length === 0 ? 'object' : `{ ${shape.fields.map((f) => `${typeMemberKey(f.name)}: ${f.typeText}`).join('; ')} }`;
}

/** A stable description of a shape, for the keys of the methods lowered with it. */
export function describeShape(shape: ThisShape): string {
  return `${shape.cls.getSourceFile().getFilePath()}:${shape.cls.getStart()}{${shape.fields.map((f) => `${f.name}:${JSON.stringify(f.type)}`).join(',')}}`;
}

/** The method `this.name` denotes in an instance of `cls` (its own, or the nearest inherited); undefined for anything else. */
export function methodOf(cls: ClassDeclaration, name: string): MethodDeclaration | undefined {
  const declarations = memberDeclarations(cls, name);
  const method = declarations.find((d): d is MethodDeclaration => Node.isMethodDeclaration(d) && !d.isStatic());
  return method && (method.getImplementation() ?? method);
}

/**
 * Why a method of `cls` cannot read `this.name` (or undefined when it can): the field must be a
 * declared, public, non-optional field of the class holding numbers (booleans, arrays and objects
 * of them), as an object parameter's fields are.
 */
export function fieldProblem(access: PropertyAccessExpression, cls: ClassDeclaration): FieldProblem | undefined {
  const nameNode = access.getNameNode();
  if (Node.isPrivateIdentifier(nameNode)) {
    return {
      reason: 'is an ECMAScript private field, which no code outside the class can read',
      fix: `Declare it as a TypeScript field, public or readonly, without '#': ${nameNode.getText().slice(1)}`,
    };
  }
  const name = access.getName();
  const declaration = fieldDeclaration(cls, name);
  const others = memberDeclarations(cls, name);
  if (!declaration) {
    if (others.some((d) => Node.isGetAccessorDeclaration(d)))
      return {
        reason: 'is a getter, which Adjoint does not differentiate',
        fix: `Read the fields it is computed from, or make it a method and call it: this.${name}()`,
      };
    if (others.some((d) => Node.isSetAccessorDeclaration(d)))
      return {
        reason: 'is a setter, which Adjoint does not differentiate',
        fix: `Write the fields it sets, or make it a method and call it: this.set${name[0]!.toUpperCase()}${name.slice(1)}(…)`,
      };
    if (others.some((d) => Node.isMethodDeclaration(d))) return { reason: 'is a method used as a value', fix: `Call it: this.${name}(…)` };
    return {
      reason: 'is not a field declared by the class',
      fix: 'Declare the field in the class (or in a class it extends), with a type holding numbers',
    };
  }
  if (Node.isPropertyDeclaration(declaration) || Node.isParameterDeclaration(declaration)) {
    if (declaration.hasModifier('private') || declaration.hasModifier('protected')) {
      return {
        reason: `is ${declaration.hasModifier('private') ? 'private' : 'protected'}, and the companion, outside the class, reads it`,
        fix: `Declare it public (readonly is fine): readonly ${name}`,
      };
    }
    if (Node.isPropertyDeclaration(declaration) && declaration.hasQuestionToken())
      return { reason: 'is optional', fix: "Give it a value in the constructor or where it is declared, and drop the '?'" };
  }
  if (!irType(access.getType(), access)) {
    return {
      reason: `holds '${access.getType().getText(access)}', which is not numbers`,
      fix: 'Read fields holding numbers, booleans, or arrays and objects of them; pass other values in as parameters',
    };
  }
  return undefined;
}

/** The methods `method` calls through `this`, transitively, it first. */
function familyOf(method: MethodDeclaration, cls: ClassDeclaration): MethodDeclaration[] {
  const family = [method];
  for (let i = 0; i < family.length; i++) {
    for (const access of thisAccessesIn(family[i]!)) {
      if (!isCalled(access)) continue;
      const callee = methodOf(cls, access.getName());
      if (callee?.getBody() && !family.includes(callee)) family.push(callee);
    }
  }
  return family;
}

/** The `this.name` of a method's body whose `this` is the method's (not that of a nested `function`). */
export function thisAccessesIn(method: MethodDeclaration): PropertyAccessExpression[] {
  const accesses: PropertyAccessExpression[] = [];
  method.getBody()?.forEachDescendant((node, traversal) => {
    if (
      Node.isFunctionDeclaration(node) ||
      Node.isFunctionExpression(node) ||
      Node.isClassDeclaration(node) ||
      Node.isClassExpression(node)
    )
      return traversal.skip();
    if (Node.isPropertyAccessExpression(node) && Node.isThisExpression(node.getExpression())) accesses.push(node);
  });
  return accesses;
}

/** `this.m(…)`: the access is the callee of a call. */
export function isCalled(access: PropertyAccessExpression): boolean {
  const parent = access.getParent();
  return Node.isCallExpression(parent) && parent.getExpression() === access;
}

/** The declarations of the member `name` of an instance of `cls`, the nearest first. */
function memberDeclarations(cls: ClassDeclaration, name: string): Node[] {
  return cls.getType().getProperty(name)?.getDeclarations() ?? [];
}

/** The declaration of the field `name` of `cls`: a property, or a parameter property of a constructor. */
function fieldDeclaration(cls: ClassDeclaration, name: string): Node | undefined {
  return memberDeclarations(cls, name).find((d) => (Node.isPropertyDeclaration(d) && !d.isStatic()) || Node.isParameterDeclaration(d));
}

/** Fields in the order their classes declare them (a base class's, in its module, come as they are found). */
function declarationOrder(declaration: Node): number {
  return declaration.getStart();
}
