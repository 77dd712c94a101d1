/**
 * Forward mode (`@differentiable(forward)`): a tangent sweep over the same SSA IR, with the same
 * activity analysis, names and rules table as reverse mode. See sweep.ts for the transform,
 * module.ts for the functions a companion gets, functions.ts for jvp_f.
 */
export { TangentModule } from './module.js';
export { jvpFunction, tangentFunction } from './functions.js';
