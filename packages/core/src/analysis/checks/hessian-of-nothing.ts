/**
 * AD2014: a function marked `hessian` whose differentiated parameters hold no number. Its gradient
 * is the empty object, so there is no Hessian to compute: the mark asks for something that does
 * not exist, and differentiating the empty gradient again is not defined.
 */
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { locationOf } from '../../phases/1-parse/location.js';
import { differentiatedPattern, type LoweredRoot } from '../../phases/2-lower/program.js';

export function hessianOfNothingErrors(root: LoweredRoot): Diagnostic[] {
  if (!root.marked.options.hessian || differentiatedPattern(root).some(Boolean)) return [];
  const parameters = root.marked.node.getParameters().map((p) => `'${p.getName()}'`);
  return [
    createDiagnostic(
      'AD2014',
      { function: root.marked.name, parameters: parameters.length > 0 ? parameters.join(', ') : 'none' },
      locationOf(root.marked.mark, root.entry.file.path),
    ),
  ];
}
