/**
 * The exports of a marked function f with a vector output (numbers in an array, a typed array, a
 * tuple or an object, nested), instead of grad_f:
 *
 *   valueAndVjp_f(...args, outputAdjoint)   { value, grad }: f's value and uᵀ·J, the gradient of
 *                                           Σᵢ uᵢ·fᵢ for the output adjoint u (shaped like the value)
 *   vjp_f(...args, outputAdjoint)           uᵀ·J alone, shaped like grad_f's gradient
 *   jacobian_f(...args)                     the dense J: number[][], one row per number of the output
 *
 * All three wrap backprop_f, which already takes the adjoint of a container result (the one a
 * caller's reverse sweep passes it): seeding the result's shadow with u and sweeping back gives
 * Σᵢ uᵢ·∂fᵢ/∂x for every input x. Row r of J is that with u = eᵣ, the unit adjoint of the output's
 * r-th number (in index order, object fields in declaration order); columns are the numbers of
 * the differentiated parameters flattened the same way, in parameter order.
 */
import { index, member, num, ref } from '../../ir/build.js';
import { readsVariable } from '../../ir/code-walk.js';
import type { AssignTarget, Expr, FunctionDecl, Stmt } from '../../ir/code.js';
import type { SsaFunction, Type } from '../../ir/ssa.js';
import { exportNames, type Namer } from '../../naming.js';
import { analyze } from '../3-analyze/index.js';
import type { CompanionModule, ProgramFunction } from './module.js';
import { copyOf, gradientOf, shadowTypeText, typeText, zeroShadow } from './shadows.js';

const isContainerType = (type: Type) => !['number', 'boolean'].includes(type.kind);

/** True when f returns numbers in a container: it gets vjp_f and jacobian_f instead of grad_f. */
export function hasVectorOutput(fn: SsaFunction): boolean {
  return fn.result !== undefined && isContainerType(fn.values[fn.result]!.type);
}

/**
 * The type of f's output as the exports present it: the signature's (its field order is the
 * Jacobian's row order), unless the value returned has a shape the signature does not say.
 */
export function outputType(fn: SsaFunction): Type {
  const returned = fn.values[fn.result!]!.type;
  return fn.declaredResult && sameShape(fn.declaredResult, returned) ? fn.declaredResult : returned;
}

/** The same numbers in the same places: equal up to the order of object fields, and a tuple for an array. */
function sameShape(a: Type, b: Type): boolean {
  if (a.kind === 'tuple' && b.kind === 'array') return a.elements.every((t) => sameShape(t, b.element));
  if (a.kind === 'array' && b.kind === 'tuple') return sameShape(b, a);
  switch (a.kind) {
    case 'number':
    case 'boolean':
      return a.kind === b.kind;
    case 'array':
      return b.kind === 'array' && a.container === b.container && sameShape(a.element, b.element);
    case 'tuple':
      return b.kind === 'tuple' && a.elements.length === b.elements.length && a.elements.every((t, i) => sameShape(t, b.elements[i]!));
    case 'object':
      return (
        b.kind === 'object' &&
        a.fields.length === b.fields.length &&
        a.fields.every((f) => b.fields.some((g) => g.name === f.name && sameShape(f.type, g.type)))
      );
  }
}

/** valueAndVjp_f, vjp_f, jacobian_f and its row helper, for a marked f with a vector output. */
export function vectorOutputExports(module: CompanionModule, key: string, fn: ProgramFunction): FunctionDecl[] {
  const ssa = fn.ssa;
  const resultType = outputType(ssa);
  const returnedType = ssa.values[ssa.result!]!.type;
  const differentiable = ssa.params.filter((p) => p.differentiable);
  // (a boolean field of a parameter gets a number in the gradient, as in grad_f, and no column)
  const gradType = `{ ${differentiable.map((p) => `${p.name}: ${typeText(ssa.values[p.value]!.type).replace(/\bboolean\b/g, 'number')}`).join('; ')} }`;
  const wrt = differentiable.map((p) => `\`${p.name}\``).join(', ') || 'no parameter';
  const { activity } = analyze(ssa, module.summaries);
  const containerParams = ssa.params.filter((p) => isContainerType(ssa.values[p.value]!.type));
  const writesArguments = containerParams.some((p) => activity.isWritten(p.value));
  const sameWrites = writesArguments ? [`Like \`${ssa.name}\`, it writes into the arrays or objects passed to it.`] : [];
  const aliased = containerParams.filter((p) => activity.mayAlias(p.value, ssa.result!)).map((p) => `\`${p.name}\``);
  const names = {
    valueAndVjp: exportNames.valueAndVjp(ssa.name),
    vjp: exportNames.vjp(ssa.name),
    jacobian: exportNames.jacobian(ssa.name),
    jacobianRow: exportNames.jacobianRow(ssa.name),
  };

  // valueAndVjp_f: backprop_f from d_result = outputAdjoint, into fresh shadows of the container parameters.
  const vjpNames = module.namer.child();
  const params = ssa.params.map((p) => ({ name: vjpNames.claim(p.name), type: p.typeText }));
  const outputAdjoint = { name: vjpNames.claim('outputAdjoint'), type: shadowTypeText(resultType) };
  const shadows = differentiable
    .filter((p) => isContainerType(ssa.values[p.value]!.type))
    .map((p) => ({ param: p, name: vjpNames.claim(`d_${p.name}`), type: ssa.values[p.value]!.type }));
  const backpropagated = vjpNames.claim('backpropagated');
  // `[x, y]` is a number[] to the companion, a tuple to the signature
  const valueAs = (value: Expr): Expr => (typeText(returnedType) === typeText(resultType) ? value : { kind: 'as', expr: value, type: typeText(resultType) });
  const backpropCall: Expr = {
    kind: 'call',
    callee: module.backpropName(key, ssa.params.map((p) => p.differentiable)),
    args: [...params.map((p) => ref(p.name)), ...shadows.map((s) => ref(s.name)), ref(outputAdjoint.name)],
  };
  const gradient: Expr = {
    kind: 'object',
    properties: differentiable.map((p) => {
      const shadow = shadows.find((s) => s.param === p);
      return { key: p.name, value: shadow ? gradientOf(shadow.type, ref(shadow.name)) : member(member(ref(backpropagated), 'grad'), p.name) };
    }),
  };
  const valueAndVjp: FunctionDecl = {
    kind: 'function',
    name: names.valueAndVjp,
    params: [...params, outputAdjoint],
    returnType: `{ value: ${typeText(resultType)}; grad: ${gradType} }`,
    doc: [
      `The value of \`${ssa.name}\` (${fn.sourceLabel}) and the vector–Jacobian product uᵀ·J with respect to ${wrt}, for the`,
      `output adjoint u = ${outputAdjoint.name}, shaped like the value: the gradient of Σᵢ uᵢ·valueᵢ, from one forward and`,
      `one reverse sweep (${backpropCall.callee}).`,
      ...(aliased.length > 0 ? [`The value may be (part of) ${aliased.join(' or ')} itself: u is then the adjoint of what it holds at the end.`] : []),
      ...sameWrites,
    ].join('\n'),
    exported: true,
    body: [
      ...shadows.map((s): Stmt => ({ kind: 'declare', declaration: 'const', name: s.name, type: shadowTypeText(s.type), init: zeroShadow(s.type, ref(params[ssa.params.indexOf(s.param)]!.name)) })),
      { kind: 'declare', declaration: 'const', name: backpropagated, init: backpropCall, comment: 'd value = outputAdjoint' },
      { kind: 'return', value: { kind: 'object', properties: [{ key: 'value', value: valueAs(member(ref(backpropagated), 'value')) }, { key: 'grad', value: gradient }] } },
    ],
  };

  const vjp: FunctionDecl = {
    kind: 'function',
    name: names.vjp,
    params: [...params, outputAdjoint],
    returnType: gradType,
    doc: [
      `The vector–Jacobian product uᵀ·J of \`${ssa.name}\` (${fn.sourceLabel}) with respect to ${wrt}, for the output adjoint`,
      `u = ${outputAdjoint.name} (shaped like the value): one property per parameter, shaped like it.`,
      ...sameWrites,
    ].join('\n'),
    exported: true,
    body: [{ kind: 'return', value: member({ kind: 'call', callee: names.valueAndVjp, args: [...params, outputAdjoint].map((p) => ref(p.name)) }, 'grad') }],
  };

  return [valueAndVjp, vjp, jacobianFunction(module, key, fn, resultType, names, wrt, writesArguments), jacobianRowFunction(module, ssa, names.jacobianRow, gradType)];
}

/**
 * jacobian_f: rows by reverse mode, one vjp per number of the output with the unit adjoint eᵣ
 * (seed set to 1, swept back, set to 0 again). Reverse mode costs one backprop per output, forward
 * mode one jvp per input: this is where the two would be chosen between (rows when outputs ≤
 * inputs); only reverse mode exists so far.
 */
function jacobianFunction(
  module: CompanionModule,
  key: string,
  fn: ProgramFunction,
  resultType: Type,
  names: { vjp: string; jacobianRow: string; jacobian: string },
  wrt: string,
  writesArguments: boolean,
): FunctionDecl {
  const ssa = fn.ssa;
  const local = module.namer.child();
  const params = ssa.params.map((p) => ({ name: local.claim(p.name), type: p.typeText, ssaType: ssa.values[p.value]!.type }));
  // f writes into its arguments: every call gets copies, so each row starts from the same point
  const argument = (p: (typeof params)[number]): Expr => (writesArguments && isContainerType(p.ssaType) ? copyOf(p.ssaType, ref(p.name)) : ref(p.name));
  const value = local.claim('value');
  const jacobian = local.claim('jacobian');
  // the value is computed only for the lengths of its arrays: a tuple or object of numbers has none
  const zeros = zeroShadow(resultType, ref(value));
  const computeValue: Stmt[] = readsVariable(zeros, value) ? [{ kind: 'declare', declaration: 'const', name: value, init: { kind: 'call', callee: module.primalName(key), args: params.map(argument) } }] : [];
  // The choice of mode is made here: rows by reverse mode cost one backprop per number of the
  // output, columns by forward mode one jvp per number of the inputs. Only reverse mode exists so
  // far, so the rows are taken whatever the counts (forward mode would pay off with fewer inputs).
  const vjpRow = (seed: Expr): Expr => ({ kind: 'call', callee: names.jacobianRow, args: [{ kind: 'call', callee: names.vjp, args: [...params.map(argument), seed] }] });
  const rows = rowsByReverseMode(local, resultType, zeros, jacobian, vjpRow);
  return {
    kind: 'function',
    name: names.jacobian,
    params: params.map(({ name, type }) => ({ name, type })),
    returnType: 'number[][]',
    doc: [
      `The Jacobian of \`${ssa.name}\` (${fn.sourceLabel}), dense: one row per number of the value (arrays in index order,`,
      `object fields in declaration order), one column per number of ${wrt}, flattened the same way, in parameter`,
      `order (${names.jacobianRow}). Computed by reverse mode: each row is ${names.vjp} with the output adjoint 1 at that`,
      'number and 0 elsewhere.',
      ...(writesArguments ? [`Each row is computed on copies of the arguments, which it leaves unchanged.`] : []),
    ].join('\n'),
    exported: true,
    body: [
      ...computeValue,
      { kind: 'declare', declaration: 'const', name: jacobian, type: 'number[][]', init: { kind: 'array', elements: [] } },
      ...rows,
      { kind: 'return', value: ref(jacobian) },
    ],
  };
}

/**
 * The rows of J pushed onto `jacobian` by reverse mode: the seed (an output adjoint of zeros)
 * gets 1 at each number of the output in turn, and row r = eᵣᵀ·J is `vjpRow(seed)`.
 */
function rowsByReverseMode(namer: Namer, resultType: Type, zeros: Expr, jacobian: string, vjpRow: (seed: Expr) => Expr): Stmt[] {
  const seed = namer.claim('seed');
  const unitSeedRow = (leaf: AssignTarget): Stmt[] => [
    { kind: 'assign', op: '=', target: leaf, value: num(1) },
    { kind: 'expr', expr: { kind: 'method', object: ref(jacobian), method: 'push', args: [vjpRow(ref(seed))] } },
    { kind: 'assign', op: '=', target: leaf, value: num(0) },
  ];
  return [
    { kind: 'comment', text: 'Rows by reverse mode: one vjp per number of the value, with the unit output adjoint there.' },
    { kind: 'declare', declaration: 'const', name: seed, type: shadowTypeText(resultType), init: zeros },
    ...forEachNumber(namer, resultType, ref(seed), unitSeedRow),
  ];
}

/** The row of the Jacobian that a vjp gives: its numbers flattened, parameter by parameter. */
function jacobianRowFunction(module: CompanionModule, ssa: SsaFunction, name: string, gradType: string): FunctionDecl {
  const local = module.namer.child();
  const grad = local.claim('grad');
  const row = local.claim('row');
  const differentiable = ssa.params.filter((p) => p.differentiable);
  const push = (leaf: Expr): Stmt[] => [{ kind: 'expr', expr: { kind: 'method', object: ref(row), method: 'push', args: [leaf] } }];
  return {
    kind: 'function',
    name,
    params: [{ name: grad, type: gradType }],
    returnType: 'number[]',
    doc: `A gradient of \`${ssa.name}\` as one row of its Jacobian: the numbers of each parameter in order, arrays in index order, object fields in declaration order.`,
    exported: false,
    body: [
      { kind: 'declare', declaration: 'const', name: row, type: 'number[]', init: { kind: 'array', elements: [] } },
      ...differentiable.flatMap((p) => forEachNumber(local, ssa.values[p.value]!.type, member(ref(grad), p.name), push)),
      { kind: 'return', value: ref(row) },
    ],
  };
}

/** Statements that run `body` on every number inside `target` (of type `type`), in flattening order. */
function forEachNumber(namer: Namer, type: Type, target: AssignTarget, body: (leaf: AssignTarget) => Stmt[]): Stmt[] {
  switch (type.kind) {
    case 'number':
      return body(target);
    case 'boolean':
      return [];
    case 'array': {
      const counter = namer.claim('i');
      return [{ kind: 'countup', counter, to: member(target, 'length'), body: forEachNumber(namer, type.element, index(target, ref(counter)), body) }];
    }
    case 'tuple':
      return type.elements.flatMap((t, i) => forEachNumber(namer, t, index(target, num(i)), body));
    case 'object':
      return type.fields.flatMap((f) => forEachNumber(namer, f.type, member(target, f.name), body));
  }
}
