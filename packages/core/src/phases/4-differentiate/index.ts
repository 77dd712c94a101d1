/**
 * Phase 4: differentiate. Builds the functions of a companion module: for each marked function f
 * its exports valueAndGrad_f and grad_f (or, for a vector output, valueAndVjp_f, vjp_f and
 * jacobian_f), which wrap backprop_f; and whatever those need (the
 * functions they call, their backprops), each once (see module.ts). Inside a backprop, the reverse
 * sweep is built first: what it reads decides what the forward sweep saves.
 */
export { CompanionModule, type CompanionImport, type ProgramFunction } from './module.js';
export { exportedFunctions } from './functions.js';
export { hasVectorOutput } from './vector-exports.js';
