/**
 * `stopGradient(x)` (exported by @adjoint/core) is x, through which no gradient flows: its
 * derivative is taken as 0. The generated code writes x itself.
 */
import type { PiecewiseConstantRule } from './types.js';

export const stopGradientRule: PiecewiseConstantRule = { kind: 'piecewise-constant', arity: 1, primal: ([x]) => x! };
