/**
 * The binomial checkpointing schedule (Griewank & Walther, "Algorithm 799: revolve", ACM TOMS
 * 26(1), 2000), emitted once into a companion whose gradient checkpoints a loop. Its code, with
 * the derivation of each step, is @adjoint/runtime's Revolve (packages/runtime/src/revolve.ts).
 */
import type { RawDecl } from '../../ir/code.js';
import { runtimeDeclarationText } from '../../runtime/helpers.js';

/** The schedule's class (@adjoint/runtime's Revolve), under the name the module namer gave it. */
export function revolveClass(className: string): RawDecl {
  return { kind: 'raw', text: runtimeDeclarationText('Revolve', className) };
}
