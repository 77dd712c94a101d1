/**
 * `alloc`: a new container, `[a, b]`, `{ x: a }`, `new Float64Array(n)`, `new Array(n).fill(v)`.
 *
 *   forward   the container and, when it is active, its shadow of the same shape (zeros, or the
 *             shadows of the rows it is made of)
 *   reverse   d_a += d_array[k] for each element a it was made of; d_fill += Σₖ d_array[k]
 *   tangent   the container of the elements' tangents
 */
import { index, member, method, num, ref, sub } from '../../../ir/build.js';
import type { Expr, Stmt } from '../../../ir/code.js';
import type { AllocInstr, ValueId } from '../../../ir/ssa.js';
import { shadowTypeText, typeText } from '../../../ir/type-text.js';
import { tangentOrZero } from '../forward-mode/tangent-values.js';
import type { InstrRules } from '../sweeps.js';
import { commentOf } from './shared.js';

export const allocRules: InstrRules<AllocInstr> = {
  forward(sweep, instr) {
    const { names } = sweep.ctx;
    const { activity } = sweep.facts;
    const type = sweep.facts.typeOf(instr.result);
    const active = sweep.taping && activity.isActive(instr.result);
    const elementShadow = (v: ValueId) => (activity.isScalar(v) ? num(0) : ref(names.shadowName(v)));
    let init: Expr;
    let shadow: Expr;
    if (type.kind === 'object') {
      init = { kind: 'object', properties: type.fields.map((f, i) => ({ key: f.name, value: names.expr(instr.elements[i]!) })) };
      shadow = { kind: 'object', properties: type.fields.map((f, i) => ({ key: f.name, value: elementShadow(instr.elements[i]!) })) };
    } else if (instr.length === undefined) {
      init = { kind: 'array', elements: instr.elements.map((v) => names.expr(v)) };
      shadow = { kind: 'array', elements: instr.elements.map(elementShadow) };
    } else if (type.kind === 'array' && type.container !== 'Array') {
      init = { kind: 'new', callee: type.container, args: [names.expr(instr.length)] };
      shadow = { kind: 'new', callee: 'Float64Array', args: [names.expr(instr.length)] };
    } else {
      const array: Expr = { kind: 'new', callee: 'Array', args: [names.expr(instr.length)] };
      init = method(array, 'fill', [names.expr(instr.fill!)]);
      shadow = method(array, 'fill', [elementShadow(instr.fill!)]);
    }
    // `[]` needs its type written: TypeScript cannot infer it from an empty literal
    // (and so does a tuple, which it would take for an array)
    const empty = (instr.length === undefined && instr.elements.length === 0) || type.kind === 'tuple';
    const typed = (name: string, value: Expr, text: string): Stmt => ({
      kind: 'declare',
      declaration: 'const',
      name,
      init: value,
      type: empty ? text : undefined,
    });
    const statements = [typed(names.name(instr.result), init, typeText(type))];
    if (active) statements.push(typed(names.shadowName(instr.result), shadow, shadowTypeText(type)));
    return statements;
  },

  reverse(sweep, instr) {
    const { ctx, facts } = sweep;
    if (!facts.activity.isActive(instr.result)) return [];
    const type = facts.typeOf(instr.result);
    const shadow = ctx.shadow(instr.result);
    const comment = commentOf(instr.origin);
    const statements: Stmt[] = [];
    instr.elements.forEach((elementValueId, i) => {
      const at = type.kind === 'object' ? member(shadow, type.fields[i]!.name) : index(shadow, num(i));
      const added = sweep.accumulate(elementValueId, at, comment);
      if (added) statements.push(added);
    });
    if (instr.fill !== undefined && facts.activity.isActive(instr.fill) && facts.activity.isScalar(instr.fill)) {
      // every element it started with was the fill value: d_fill += Σₖ d_array[k] (k < n, not pushed later)
      const counter = ctx.namer.claim('k');
      const body: Stmt[] = [];
      const added = sweep.accumulate(instr.fill, index(shadow, sub(ref(counter), num(1))), comment);
      if (added) body.push(added);
      statements.push({ kind: 'countdown', counter, from: ctx.primal(instr.length!), body });
    }
    return statements;
  },

  tangent({ ctx }, instr) {
    const type = ctx.typeOf(instr.result);
    const names = ctx.names;
    const tangentOfElement = (v: ValueId) => tangentOrZero(ctx, v);
    let init: Expr;
    let tangent: Expr;
    if (type.kind === 'object') {
      init = { kind: 'object', properties: type.fields.map((f, i) => ({ key: f.name, value: names.expr(instr.elements[i]!) })) };
      tangent = { kind: 'object', properties: type.fields.map((f, i) => ({ key: f.name, value: tangentOfElement(instr.elements[i]!) })) };
    } else if (instr.length === undefined) {
      init = { kind: 'array', elements: instr.elements.map((v) => names.expr(v)) };
      tangent = { kind: 'array', elements: instr.elements.map(tangentOfElement) };
    } else if (type.kind === 'array' && type.container !== 'Array') {
      // new Float64Array(n) holds zeros, and so does its tangent
      init = { kind: 'new', callee: type.container, args: [names.expr(instr.length)] };
      tangent = { kind: 'new', callee: 'Float64Array', args: [names.expr(instr.length)] };
    } else {
      // new Array(n).fill(v): every element is v, every tangent v̇
      const array: Expr = { kind: 'new', callee: 'Array', args: [names.expr(instr.length)] };
      init = method(array, 'fill', [names.expr(instr.fill!)]);
      tangent = method(array, 'fill', [tangentOfElement(instr.fill!)]);
    }
    // `[]` and tuples need their types written: TypeScript cannot infer them from the literal
    const typed = (instr.length === undefined && instr.elements.length === 0) || type.kind === 'tuple';
    const statements: Stmt[] = [
      { kind: 'declare', declaration: 'const', name: names.name(instr.result), init, type: typed ? typeText(type) : undefined },
    ];
    if (ctx.hasTangent(instr.result)) {
      statements.push({
        kind: 'declare',
        declaration: 'const',
        name: ctx.tangentName(instr.result),
        init: tangent,
        type: typed ? shadowTypeText(type) : undefined,
        comment: commentOf(instr.origin),
      });
    }
    return statements;
  },
};
