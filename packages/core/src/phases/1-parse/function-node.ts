/** The syntax nodes a differentiable function or a derivative rule can be written as. */
import type { ArrowFunction, FunctionDeclaration, FunctionExpression, MethodDeclaration } from 'ts-morph';

/** A function; a method of a class only as a marked function or a callee (phases/2-lower/methods.ts), never as a rule. */
export type FunctionNode = FunctionDeclaration | ArrowFunction | FunctionExpression | MethodDeclaration;
