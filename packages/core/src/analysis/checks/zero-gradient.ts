/** AD2004: a differentiated parameter the result does not depend on: its gradient is always zero. */
import { Node } from 'ts-morph';
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import type { SsaFunction } from '../../ir/ssa.js';
import type { MarkedFunction } from '../../phases/1-parse/index.js';
import { locationOf } from '../../phases/1-parse/location.js';
import type { Analyses } from '../index.js';

/** `ssa` is the marked function, optimised, with the parameters it is differentiated in marked so. */
export function zeroGradientWarnings(marked: MarkedFunction, file: string, ssa: SsaFunction, analyses: Analyses): Diagnostic[] {
  const paramNodes = marked.node.getParameters();
  // (a method's instance, `this`, is declared by no parameter: the method's name stands for it)
  const nodeOf = (name: string) =>
    paramNodes.find((p) => p.getName() === name) ?? (Node.isMethodDeclaration(marked.node) ? marked.node.getNameNode() : marked.node);
  return ssa.params.flatMap((param, index) =>
    param.differentiable && !analyses.resultDependsOn(ssa, index)
      ? [createDiagnostic('AD2004', { function: marked.name, parameter: param.name }, locationOf(nodeOf(param.name), file))]
      : [],
  );
}
