/**
 * Phase 2: lower. Turns one marked function's TypeScript AST into an SSA function: every
 * reassignment becomes a new value, compound assignments and `++`/`--` become plain operations,
 * and anything outside the supported subset is reported with a coded diagnostic.
 */
import { Node, type BindingName } from 'ts-morph';
import type { Diagnostic } from '../../api.js';
import { isGeneratedText } from '../../companion.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { booleanType, holdsIntegerArray, isIntegerArray, type SsaFunction, type Type, type ValueId } from '../../ir/ssa.js';
import { locationOf } from '../1-parse/location.js';
import type { FunctionNode, MarkedFunction, ParsedFile } from '../1-parse/index.js';
import type { CalleeResolver, Specialisation } from './callees.js';
import { reportStrayMarks } from './checkpoints.js';
import { LoweringContext } from './context.js';
import { lowerExpression } from './expressions.js';
import { lowerFunctionBody } from './statements.js';
import { unsupportedForm } from './parameter-forms.js';
import { cannotHoldNumber, irType, opaqueTypeText, selfContainedTypeText } from './types.js';
import { typeText } from '../../ir/type-text.js';
import { NESTED_LOWERING } from './nested-lowering.js';
import type { Binding } from './scope.js';
import { materialise, scopeOf } from './specialise.js';
import { checkMarkedMethod, checkThisWrt, declareThis, ownThisShape, THIS } from './methods.js';
import type { ThisShape } from './this-shape.js';

export interface LoweredFunction {
  ssa: SsaFunction;
  /** Module-level constants read by the function, by source name. */
  globalsRead: Set<string>;
}

export interface LoweringOptions {
  /** Checkpoint every loop that is not inside another loop, as if marked `// @checkpoint`. */
  checkpointLoops?: boolean;
  /** The path of a companion differentiated again (its text has no header): it is Adjoint's, like a file with the header. */
  companion?: string;
}

export type LowerResult = { ok: true; lowered: LoweredFunction } | { ok: false; diagnostics: Diagnostic[] };

/** A function to lower: a marked one, or one a differentiable function calls. */
export interface FunctionToLower {
  name: string;
  node: FunctionNode;
  /** The mark and its options, for a marked function. */
  marked?: MarkedFunction;
  /** For a copy specialised for the functions it is given, or a lifted local function (specialise.ts). */
  specialisation?: Specialisation;
  /** For an instance method called by another one: the shape of `this` it is lowered with (a marked method's own is found here). */
  thisShape?: ThisShape;
}

export function lowerFunction(file: ParsedFile, fn: FunctionToLower, callees: CalleeResolver, options: LoweringOptions = {}): LowerResult {
  const companion = file.path === options.companion || isGeneratedText(file.text);
  const ctx = new LoweringContext(file, fn.name, callees, NESTED_LOWERING, options.checkpointLoops, companion);
  // a copy's captures: parameters after its own, which its moved functions read
  const captures: Binding[] = fn.specialisation?.captures.map((c) => ({ name: c.name, mutable: false })) ?? [];
  if (fn.specialisation?.names) ctx.scope = scopeOf(fn.specialisation.names, captures).child();
  // a method's instance comes first (methods.ts)
  ctx.thisShape = fn.thisShape ?? ownThisShape(fn.node);
  if (ctx.thisShape) declareThis(ctx, ctx.thisShape);
  if (fn.marked) checkMarkedMethod(ctx, fn.node);
  if (fn.marked?.options.wrt) checkThisWrt(ctx, fn, fn.marked.options.wrt, fn.marked.mark, ctx.thisShape);
  declareParameters(ctx, fn, captures);
  fn.specialisation?.captures.forEach((c, i) =>
    ctx.env.set(captures[i]!, ctx.builder.addParam(c.name, typeText(c.type), c.type, holdsNumbers(c.type))),
  );
  const returnType = fn.node.getReturnType();
  const resultType = returnType.isVoid() ? undefined : irType(returnType, fn.node);
  // A marked function returns a number or numbers in a container (a vector output, with a
  // Jacobian); a callee may also return booleans inside containers, or nothing.
  if (fn.marked ? !resultType || resultType.kind === 'boolean' : !returnType.isVoid() && !resultType) {
    ctx.diagnostics.push(
      createDiagnostic('AD1004', { function: fn.name, type: returnType.getText(fn.node) }, locationOf(fn.node, file.path)),
    );
  } else if (fn.marked && resultType && holdsBooleans(resultType)) {
    ctx.diagnostics.push(
      createDiagnostic('AD2020', { function: fn.name, type: `'${returnType.getText(fn.node)}'` }, locationOf(fn.node, file.path)),
    );
  }
  const body = fn.node.getBody();
  let result;
  if (!body) {
    ctx.diagnostics.push(createDiagnostic('AD1010', { function: fn.name }, locationOf(fn.node, file.path)));
  } else if (Node.isBlock(body)) {
    reportStrayMarks(ctx, body);
    result = lowerFunctionBody(ctx, body.getStatements(), fn.node, resultType);
  } else {
    // An arrow function with an expression body returns that expression.
    result = lowerExpression(ctx, body as import('ts-morph').Expression);
  }
  if (ctx.diagnostics.length > 0) return { ok: false, diagnostics: ctx.diagnostics };
  const ssa: SsaFunction = {
    name: fn.name,
    params: ctx.builder.params,
    body: ctx.builder.root,
    result,
    declaredResult: resultType,
    values: ctx.builder.values,
  };
  return { ok: true, lowered: { ssa, globalsRead: ctx.globalsRead } };
}

function declareParameters(ctx: LoweringContext, fn: FunctionToLower, captures: Binding[]): void {
  const params = fn.node.getParameters();
  const names = params.map((p) => p.getName());
  for (const wrtName of fn.marked?.options.wrt ?? []) {
    // (`this` and its fields: checkThisWrt)
    if (!names.includes(wrtName) && wrtName !== THIS && !wrtName.startsWith(`${THIS}.`)) {
      ctx.diagnostics.push(
        createDiagnostic(
          'AD2002',
          { name: wrtName, function: fn.name, parameters: names.join(', ') || '(none)' },
          locationOf(fn.marked!.mark, ctx.file.path),
        ),
      );
    }
  }
  for (const [index, param] of params.entries()) {
    // a copy's function parameter names the function the copy is specialised for: no value
    const bound = fn.specialisation?.functionParams.get(index);
    if (bound) {
      ctx.scope.declare(param.getName(), false, materialise(bound, captures));
      continue;
    }
    const nameNode = param.getNameNode();
    const form = unsupportedForm(param);
    if (form) {
      // its names are still declared, so that their uses do not report errors of their own
      declareFailed(ctx, nameNode, ctx.error('AD1011', { parameter: param.getText(), problem: form.what, instead: form.fix }, param));
      continue;
    }
    const typeText = param.getTypeNode()?.getText() ?? param.getType().getText(param);
    const type = irType(param.getType(), param);
    // A parameter `wrt` leaves out is passed through: any type, read as far as the subset allows.
    // So is a helper's parameter that no gradient can reach: one of a type no number can be in
    // (a label), or an integer typed array (indices: what is stored in one is truncated).
    const passedThrough = fn.marked
      ? fn.marked.options.wrt !== undefined && !fn.marked.options.wrt.includes(param.getName())
      : type
        ? isIntegerArray(type)
        : cannotHoldNumber(param.getType());
    if (passedThrough && (!type || holdsIntegerArray(type))) {
      // an opaque value (a string, a function, an object of other fields) is carried as a
      // value no gradient flows through, like a boolean; integer arrays can be indexed
      const carried = type ?? booleanType;
      const text = opaqueTypeText(typeText);
      ctx.assign(ctx.scope.declare(param.getName(), true), ctx.builder.addParam(param.getName(), text, carried, false));
      continue;
    }
    if (type && holdsIntegerArray(type)) {
      // integer typed arrays cannot hold adjoints
      declareFailed(ctx, nameNode, ctx.error('AD1003', { parameter: param.getName(), type: typeText }, param));
      continue;
    }
    if (!type) {
      declareFailed(ctx, nameNode, ctx.error('AD1003', { parameter: param.getName(), type: typeText }, param));
      continue;
    }
    // which of these the gradient is taken with respect to (`wrt`) is chosen per use, not here
    const differentiable = holdsNumbers(type);
    const value = ctx.builder.addParam(param.getName(), selfContainedTypeText(typeText, type), type, differentiable);
    ctx.assign(ctx.scope.declare(param.getName(), true), value);
  }
}

/** Declares every name a parameter binds, as a value whose error is already reported. */
function declareFailed(ctx: LoweringContext, name: BindingName, value: ValueId): void {
  if (Node.isIdentifier(name)) return void ctx.assign(ctx.scope.declare(name.getText(), true), value);
  for (const element of name.getElements()) if (!Node.isOmittedExpression(element)) declareFailed(ctx, element.getNameNode(), value);
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

/** True when a boolean sits anywhere in the type (a vector output must hold numbers only). */
function holdsBooleans(type: Type): boolean {
  switch (type.kind) {
    case 'number':
      return false;
    case 'boolean':
      return true;
    case 'array':
      return holdsBooleans(type.element);
    case 'tuple':
      return type.elements.some(holdsBooleans);
    case 'object':
      return type.fields.some((f) => holdsBooleans(f.type));
  }
}
