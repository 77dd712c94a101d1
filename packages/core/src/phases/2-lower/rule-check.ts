/**
 * Checking a user's derivative rule against the function it differentiates: f's parameters, then
 * the adjoint of f's result (shaped like the result), returning an object with the adjoint of each
 * of f's number-holding parameters, by name, shaped like it. Types are compared by shape.
 */
import type { Node, Type as TsType } from 'ts-morph';
import type { FunctionNode, RuleFunction } from '../1-parse/index.js';
import { irType } from './types.js';

export interface RuleProblem {
  reason: string;
  /** The signature the rule should have, as parameters and result. */
  expectedParams: string;
  expectedResult: string;
}

const shape = (type: TsType, at: Node) => JSON.stringify(irType(type, at) ?? type.getText(at));

export function checkRule(target: FunctionNode, rule: RuleFunction): RuleProblem | undefined {
  const params = target.getParameters();
  const ruleParams = rule.node.getParameters();
  const returnType = target.getReturnType();
  const returnsValue = !returnType.isVoid();
  const adjointParams = params.filter((p) => {
    const type = irType(p.getType(), p);
    return type !== undefined && type.kind !== 'boolean' && (rule.wrt === undefined || rule.wrt.includes(p.getName()));
  });
  const expectedParams = [
    ...params.map((p) => `${p.getName()}: ${p.getType().getText(p)}`),
    ...(returnsValue ? [`dResult: ${returnType.getText(target)}`] : []),
  ].join(', ');
  const expectedResult = `{ ${adjointParams.map((p) => `${p.getName()}: ${p.getType().getText(p)}`).join('; ')} }`;
  const problem = (reason: string) => ({ reason, expectedParams, expectedResult });

  if (ruleParams.length !== params.length + (returnsValue ? 1 : 0)) {
    return problem(`it takes ${ruleParams.length} parameters, and should take ${params.length + (returnsValue ? 1 : 0)}`);
  }
  for (const [i, param] of params.entries()) {
    const ruleParam = ruleParams[i]!;
    if (shape(ruleParam.getType(), ruleParam) !== shape(param.getType(), param)) {
      return problem(
        `its parameter '${ruleParam.getName()}' has type '${ruleParam.getType().getText(ruleParam)}' where '${param.getName()}' has '${param.getType().getText(param)}'`,
      );
    }
  }
  if (returnsValue) {
    const last = ruleParams.at(-1)!;
    if (shape(last.getType(), last) !== shape(returnType, target))
      return problem(`its last parameter, the adjoint of the result, should have type '${returnType.getText(target)}'`);
  }
  const ruleReturn = rule.node.getReturnType();
  for (const param of adjointParams) {
    const property = ruleReturn.getProperty(param.getName());
    if (!property) return problem(`its result has no property '${param.getName()}'`);
    if (shape(property.getTypeAtLocation(rule.node), rule.node) !== shape(param.getType(), param)) {
      return problem(`the property '${param.getName()}' of its result should have type '${param.getType().getText(param)}'`);
    }
  }
  return undefined;
}
