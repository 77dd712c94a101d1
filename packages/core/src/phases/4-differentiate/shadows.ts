/**
 * Shadows: the adjoint of a container is a container of the same shape holding the adjoints of
 * its numbers (d_a[i] = ∂result/∂a[i]), updated in place by the reverse sweep.
 */
import { index, member, method, num, ref, sub } from '../../ir/build.js';
import type { AssignTarget, Expr, Stmt } from '../../ir/code.js';
import type { Namer } from '../../naming.js';
import { isContainer, type SsaFunction, type Type } from '../../ir/ssa.js';
import type { Activity } from '../../analysis/index.js';
import { shadowTypeText } from '../../ir/type-text.js';

/**
 * Who builds the shadows and copies of arrays of arrays or objects: `primal.map((element) => …)`
 * by default; in a companion that is differentiated again (whose subset has no callbacks), calls
 * of helpers written with loops (loop-shadows.ts), named by the type of the array.
 */
export interface NestedArrays {
  zerosLike(type: Type): string;
  copy(type: Type): string;
}

/** `const name = <zeros shaped like primal>;`, with the shadow's type written when `typed`. */
export function declareZeroShadow(name: string, type: Type, primal: Expr, options: { nested?: NestedArrays; typed?: boolean } = {}): Stmt {
  return {
    kind: 'declare',
    declaration: 'const',
    name,
    ...(options.typed ? { type: shadowTypeText(type) } : {}),
    init: zeroShadow(type, primal, options.nested),
  };
}

/**
 * The parameters of `fn` that are containers it is not differentiated in but that take
 * differentiated values (`ws[0] += w`): each gets a shadow (or a tangent) of zeros of its own.
 */
export function activeUndifferentiatedContainers(fn: SsaFunction, activity: Activity): SsaFunction['params'] {
  return fn.params.filter((p) => !p.differentiable && isContainer(fn.values[p.value]!.type) && activity.isActive(p.value));
}

/** A new shadow of zeros shaped like `primal` (an expression of type `type`). */
export function zeroShadow(type: Type, primal: Expr, nested?: NestedArrays): Expr {
  switch (type.kind) {
    case 'number':
    case 'boolean':
      return num(0);
    case 'array': {
      if (type.container !== 'Array') return { kind: 'new', callee: 'Float64Array', args: [member(primal, 'length')] };
      if (type.element.kind === 'number' || type.element.kind === 'boolean') {
        return method({ kind: 'new', callee: 'Array', args: [member(primal, 'length')] }, 'fill', [num(0)]);
      }
      if (nested) return { kind: 'call', callee: nested.zerosLike(type), args: [primal] };
      return method(primal, 'map', [{ kind: 'arrow', params: ['element'], body: zeroShadow(type.element, ref('element')) }]);
    }
    case 'tuple':
      return { kind: 'array', elements: type.elements.map((t, i) => zeroShadow(t, index(primal, num(i)), nested)) };
    case 'object':
      return {
        kind: 'object',
        properties: type.fields.map((f) => ({ key: f.name, value: zeroShadow(f.type, member(primal, f.name), nested) })),
      };
  }
}

/**
 * The gradient handed back for a parameter, shaped like it (docs/design.md, the contract, 1): the
 * shadow itself, except that a Float32Array's shadow accumulates in double precision and is
 * converted at the end.
 */
export function gradientOf(type: Type, shadow: Expr): Expr {
  if (type.kind === 'array' && type.container === 'Float32Array') return { kind: 'new', callee: 'Float32Array', args: [shadow] };
  return shadow;
}

/** The shadow an export passes to backprop_f for a differentiated container parameter. */
export interface ParamShadow {
  param: SsaFunction['params'][number];
  name: string;
  type: Type;
}

/**
 * The gradient an export returns: one property per differentiated parameter, named as in f's
 * signature, holding the parameter's shadow (a container) or the number backprop_f returned in
 * the `grad` of `backpropagated`.
 */
export function gradientObject(params: SsaFunction['params'], shadows: ParamShadow[], backpropagated: string): Expr {
  return {
    kind: 'object',
    properties: params
      .filter((p) => p.differentiable)
      .map((p) => {
        const shadow = shadows.find((s) => s.param === p);
        return {
          key: p.name,
          value: shadow ? gradientOf(shadow.type, ref(shadow.name)) : member(member(ref(backpropagated), 'grad'), p.name),
        };
      }),
  };
}

/** A deep copy of a container: what a call's argument held when the call was made. */
export function copyOf(type: Type, primal: Expr, nested?: NestedArrays): Expr {
  switch (type.kind) {
    case 'number':
    case 'boolean':
      return primal;
    case 'array':
      if (type.element.kind === 'number' || type.element.kind === 'boolean') return method(primal, 'slice', []);
      if (nested) return { kind: 'call', callee: nested.copy(type), args: [primal] };
      return method(primal, 'map', [{ kind: 'arrow', params: ['element'], body: copyOf(type.element, ref('element')) }]);
    case 'tuple':
      return { kind: 'array', elements: type.elements.map((t, i) => copyOf(t, index(primal, num(i)), nested)) };
    case 'object':
      return {
        kind: 'object',
        properties: type.fields.map((f) => ({ key: f.name, value: copyOf(f.type, member(primal, f.name), nested) })),
      };
  }
}

/** target += source, element by element, for two values of the same shape (shadows). */
export function accumulateInto(namer: Namer, type: Type, target: AssignTarget, source: Expr): Stmt[] {
  switch (type.kind) {
    case 'number':
    case 'boolean':
      return [{ kind: 'assign', op: '+=', target, value: source }];
    case 'array': {
      const counter = namer.claim('k');
      const k = sub(ref(counter), num(1));
      return [
        {
          kind: 'countdown',
          counter,
          from: member(source, 'length'),
          body: accumulateInto(namer, type.element, index(target, k), index(source, k)),
        },
      ];
    }
    case 'tuple':
      return type.elements.flatMap((t, i) => accumulateInto(namer, t, index(target, num(i)), index(source, num(i))));
    case 'object':
      return type.fields.flatMap((f) => accumulateInto(namer, f.type, member(target, f.name), member(source, f.name)));
  }
}
