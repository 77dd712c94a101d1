/**
 * Phase 2: lower. Turns one marked function's TypeScript AST into an SSA function: every
 * reassignment becomes a new value, compound assignments and `++`/`--` become plain operations,
 * and anything outside the supported subset is reported with a coded diagnostic.
 */
import { Node } from 'ts-morph';
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import type { SsaFunction, Type } from '../../ir/ssa.js';
import { locationOf } from '../1-parse/location.js';
import type { MarkedFunction, ParsedFile } from '../1-parse/index.js';
import { LoweringContext } from './context.js';
import { lowerExpression } from './expressions.js';
import { lowerFunctionBody } from './statements.js';
import { irType } from './types.js';

export interface LoweredFunction {
  ssa: SsaFunction;
  /** Module-level constants read by the function, by source name. */
  globalsRead: Set<string>;
}

export type LowerResult = { ok: true; lowered: LoweredFunction; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function lowerFunction(file: ParsedFile, marked: MarkedFunction): LowerResult {
  const ctx = new LoweringContext(file, marked.name);
  declareParameters(ctx, marked);
  const returnType = marked.node.getReturnType();
  if (!returnType.isNumber() && !returnType.isNumberLiteral()) {
    ctx.diagnostics.push(createDiagnostic('AD1004', [marked.name, returnType.getText(marked.node)], locationOf(marked.node, file.path)));
  }
  const body = marked.node.getBody();
  let result;
  if (!body) {
    ctx.diagnostics.push(createDiagnostic('AD1010', [marked.name], locationOf(marked.node, file.path)));
  } else if (Node.isBlock(body)) {
    result = lowerFunctionBody(ctx, body.getStatements(), marked.node);
  } else {
    // An arrow function with an expression body returns that expression.
    result = lowerExpression(ctx, body as import('ts-morph').Expression);
  }
  if (ctx.diagnostics.length > 0 || result === undefined) return { ok: false, diagnostics: ctx.diagnostics };
  const ssa: SsaFunction = {
    name: marked.name,
    params: ctx.builder.params,
    body: ctx.builder.root,
    result,
    values: ctx.builder.values,
  };
  return { ok: true, lowered: { ssa, globalsRead: ctx.globalsRead }, diagnostics: [] };
}

function declareParameters(ctx: LoweringContext, marked: MarkedFunction): void {
  const params = marked.node.getParameters();
  const names = params.map((p) => p.getName());
  for (const wrtName of marked.options.wrt ?? []) {
    if (!names.includes(wrtName)) {
      ctx.diagnostics.push(
        createDiagnostic('AD2002', [wrtName, marked.name, names.join(', ') || '(none)'], locationOf(marked.mark, ctx.file.path)),
      );
    }
  }
  for (const param of params) {
    const nameNode = param.getNameNode();
    if (!Node.isIdentifier(nameNode) || param.isRestParameter() || param.hasInitializer()) {
      ctx.error('AD1011', [param.getText()], param);
      continue;
    }
    const typeText = param.getTypeNode()?.getText() ?? param.getType().getText(param);
    const type = irType(param.getType(), param);
    if (!type) {
      // still declared, so its uses do not report errors of their own
      ctx.assign(ctx.scope.declare(param.getName(), true), ctx.error('AD1003', [param.getName(), typeText], param));
      continue;
    }
    const differentiable = holdsNumbers(type) && (marked.options.wrt?.includes(param.getName()) ?? true);
    const value = ctx.builder.addParam(param.getName(), typeText, type, differentiable);
    ctx.assign(ctx.scope.declare(param.getName(), true), value);
  }
}

/** Booleans are never differentiated; numbers, and containers holding numbers, are. */
function holdsNumbers(type: Type): boolean {
  switch (type.kind) {
    case 'number':
      return true;
    case 'boolean':
      return false;
    case 'array':
      return holdsNumbers(type.element);
    case 'tuple':
      return type.elements.some(holdsNumbers);
    case 'object':
      return type.fields.some((f) => holdsNumbers(f.type));
  }
}
