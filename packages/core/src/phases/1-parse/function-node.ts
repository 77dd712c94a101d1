/** The syntax nodes a differentiable function or a derivative rule can be written as. */
import type { ArrowFunction, FunctionDeclaration, FunctionExpression } from 'ts-morph';

export type FunctionNode = FunctionDeclaration | ArrowFunction | FunctionExpression;
