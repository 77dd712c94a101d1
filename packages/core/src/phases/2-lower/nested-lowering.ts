/**
 * What a LoweringContext is handed to lower the parts of constructs (context.ts): the lowering of
 * expressions and of function bodies.
 */
import type { NestedLowering } from './context.js';
import { lowerExpression } from './expressions.js';
import { lowerFunctionBody } from './statements.js';

export const NESTED_LOWERING: NestedLowering = { expression: lowerExpression, functionBody: lowerFunctionBody };
