/**
 * @adjoint/runtime: what a generated companion, and a function marked `@differentiable`, use at run
 * time. No dependencies and no Node built-ins, so a browser bundle takes only what it imports.
 *
 * Companions copy the helpers they use into themselves by default (they stay self-contained);
 * compiled with `runtime: 'import'` they import them from here instead. The compiler reads these
 * sources when it is built (scripts/embed-runtime.mjs), so the helpers are written once.
 */
export { stopGradient } from './stop-gradient.js';
export { Tape } from './tape.js';
export { Revolve } from './revolve.js';
export { tripCount } from './trip-count.js';
export { distinctArguments } from './distinct-arguments.js';
