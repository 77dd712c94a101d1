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
import { differentiatedList, gradientTypeText } from './export-signature.js';
import { index, member, num, ref } from '../../ir/build.js';
import { forEachExprInStatements } from '../../ir/code-walk.js';
import type { AssignTarget, Expr, FunctionDecl, Stmt } from '../../ir/code.js';
import { isContainer, type SsaFunction, type Type } from '../../ir/ssa.js';
import { exportNames, tangentName, type Namer } from '../../naming.js';
import type { CompanionModule, ProgramFunction } from './module.js';
import { copyOf, declareZeroShadow, gradientObject, zeroShadow, type ParamShadow } from './shadows.js';
import { shadowTypeText, typeText } from '../../ir/type-text.js';
import { argumentAliasingCheck } from './argument-aliasing.js';

/** True when f returns numbers in a container: it gets vjp_f and jacobian_f instead of grad_f. */
export function hasVectorOutput(fn: SsaFunction): boolean {
  return fn.result !== undefined && isContainer(fn.values[fn.result]!.type);
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
export function vectorOutputExports(module: CompanionModule, key: string, fn: ProgramFunction, forward: boolean): FunctionDecl[] {
  const ssa = fn.ssa;
  const resultType = outputType(ssa);
  const returnedType = ssa.values[ssa.result!]!.type;
  const differentiable = ssa.params.filter((p) => p.differentiable);
  // (a boolean field of a parameter gets a number in the gradient, as in grad_f, and no column)
  const gradType = gradientTypeText(ssa);
  const wrt = differentiatedList(ssa);
  const activity = module.analyses.activity(ssa);
  const containerParams = ssa.params.filter((p) => isContainer(ssa.values[p.value]!.type));
  const writesArguments = containerParams.some((p) => activity.isWritten(p.value));
  const sameWrites = writesArguments ? [`Like \`${ssa.name}\`, it writes into the arrays or objects passed to it.`] : [];
  const aliased = containerParams.filter((p) => activity.mayAlias(p.value, ssa.result!)).map((p) => `\`${p.name}\``);
  const names = {
    valueAndVjp: exportNames.valueAndVjp(ssa.name),
    vjp: exportNames.vjp(ssa.name),
    jacobian: exportNames.jacobian(ssa.name),
    jacobianRow: exportNames.jacobianRow(ssa.name),
    // with forward mode (jvp_f), jacobian_f may take columns
    ...(forward ? { jvp: exportNames.jvp(ssa.name), jacobianColumn: exportNames.jacobianColumn(ssa.name) } : {}),
  };

  // valueAndVjp_f: backprop_f from d_result = outputAdjoint, into fresh shadows of the container parameters.
  const checkArguments = argumentAliasingCheck(module, ssa);
  const vjpNames = module.namer.child();
  const params = ssa.params.map((p) => ({ name: vjpNames.claim(p.name), type: p.typeText }));
  const outputAdjoint = { name: vjpNames.claim('outputAdjoint'), type: shadowTypeText(resultType) };
  const shadows = differentiable
    .filter((p) => isContainer(ssa.values[p.value]!.type))
    .map((p) => ({ param: p, name: vjpNames.claim(`d_${p.name}`), type: ssa.values[p.value]!.type }));
  const backpropagated = vjpNames.claim('backpropagated');
  // `[x, y]` is a number[] to the companion, a tuple to the signature
  const valueAs = (value: Expr): Expr =>
    typeText(returnedType) === typeText(resultType) ? value : { kind: 'as', expr: value, type: typeText(resultType) };
  const backpropCall: Expr = {
    kind: 'call',
    callee: module.backpropName(
      key,
      ssa.params.map((p) => p.differentiable),
      'export',
    ),
    args: [...params.map((p) => ref(p.name)), ...shadows.map((s) => ref(s.name)), ref(outputAdjoint.name)],
  };
  const gradient = gradientObject(ssa.params, shadows, backpropagated);
  const valueAndVjp: FunctionDecl = {
    kind: 'function',
    name: names.valueAndVjp,
    params: [...params, outputAdjoint],
    returnType: `{ value: ${typeText(resultType)}; grad: ${gradType} }`,
    doc: [
      `The value of \`${ssa.name}\` (${fn.sourceLabel}) and the vector–Jacobian product uᵀ·J with respect to ${wrt}, for the`,
      `output adjoint u = ${outputAdjoint.name}, shaped like the value: the gradient of Σᵢ uᵢ·valueᵢ, from one forward and`,
      `one reverse sweep (${backpropCall.callee}).`,
      ...(aliased.length > 0
        ? [`The value may be (part of) ${aliased.join(' or ')} itself: u is then the adjoint of what it holds at the end.`]
        : []),
      ...sameWrites,
    ].join('\n'),
    exported: true,
    body: [
      ...checkArguments(params.map((p) => p.name)),
      ...shadows.map((s) =>
        declareZeroShadow(s.name, s.type, ref(params[ssa.params.indexOf(s.param)]!.name), { nested: module.nestedArrays, typed: true }),
      ),
      { kind: 'declare', declaration: 'const', name: backpropagated, init: backpropCall, comment: 'd value = outputAdjoint' },
      {
        kind: 'return',
        value: {
          kind: 'object',
          properties: [
            { key: 'value', value: valueAs(member(ref(backpropagated), 'value')) },
            { key: 'grad', value: gradient },
          ],
        },
      },
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
    body: [
      {
        kind: 'return',
        value: member({ kind: 'call', callee: names.valueAndVjp, args: [...params, outputAdjoint].map((p) => ref(p.name)) }, 'grad'),
      },
    ],
  };

  return [
    valueAndVjp,
    vjp,
    jacobianFunction(module, key, fn, resultType, names, wrt, writesArguments, checkArguments),
    jacobianRowFunction(module, ssa, names.jacobianRow, gradType),
    ...(names.jacobianColumn ? [jacobianColumnFunction(module, ssa, resultType, names.jacobianColumn)] : []),
  ];
}

/**
 * jacobian_f. Reverse mode gives J a row at a time (one vjp per number of the output, with the
 * unit output adjoint there), forward mode a column at a time (one jvp per number of the inputs,
 * with the unit tangent there): the cheaper is the one with fewer sweeps. Forward mode is there
 * only for a function marked `@differentiable(forward)` (which has jvp_f); then jacobian_f takes
 * rows when outputs ≤ inputs, else columns, decided here when both counts are known from the
 * types (a tuple of numbers, a number parameter) and in the generated code otherwise.
 */
function jacobianFunction(
  module: CompanionModule,
  key: string,
  fn: ProgramFunction,
  resultType: Type,
  names: { jacobianRow: string; jacobian: string; jvp?: string; jacobianColumn?: string },
  wrt: string,
  writesArguments: boolean,
  checkArguments: (names: string[]) => Stmt[],
): FunctionDecl {
  const ssa = fn.ssa;
  const local = module.namer.child();
  const params = ssa.params.map((p) => ({
    name: local.claim(p.name),
    type: p.typeText,
    ssaType: ssa.values[p.value]!.type,
    differentiable: p.differentiable,
  }));
  // f writes into its arguments: every call gets copies, so each row starts from the same point
  const argument = (p: (typeof params)[number]): Expr =>
    writesArguments && isContainer(p.ssaType) ? copyOf(p.ssaType, ref(p.name)) : ref(p.name);
  const value = local.claim('value');
  const jacobian = local.claim('jacobian');
  // the shadows backprop_f adds into, made once and zeroed again after each row
  const shadows: ParamShadow[] = ssa.params
    .filter((p) => p.differentiable && isContainer(ssa.values[p.value]!.type))
    .map((p) => ({ param: p, name: local.claim(`d_${p.name}`), type: ssa.values[p.value]!.type }));
  const returnsNumbers = ssa.params.some((p) => p.differentiable && !isContainer(ssa.values[p.value]!.type));
  const backprop = module.backpropName(
    key,
    ssa.params.map((p) => p.differentiable),
    'export',
  );
  // row r = eᵣᵀ·J: backprop_f from the unit output adjoint, then the row read off the shadows
  const backpropRow = (seed: Expr): Stmt[] => {
    const call: Expr = { kind: 'call', callee: backprop, args: [...params.map(argument), ...shadows.map((s) => ref(s.name)), seed] };
    const backpropagated = local.claim('backpropagated');
    const gradient = gradientObject(ssa.params, shadows, backpropagated);
    return [
      returnsNumbers ? { kind: 'declare', declaration: 'const', name: backpropagated, init: call } : { kind: 'expr', expr: call },
      {
        kind: 'expr',
        expr: {
          kind: 'method',
          object: ref(jacobian),
          method: 'push',
          args: [{ kind: 'call', callee: names.jacobianRow, args: [gradient] }],
        },
      },
      ...shadows.flatMap((s) => zeroAgain(local, s.type, ref(s.name))),
    ];
  };
  const rows = (): Stmt[] =>
    rowsByReverseMode(
      local,
      resultType,
      zeroShadow(resultType, ref(value)),
      shadows.map((s) =>
        declareZeroShadow(s.name, s.type, ref(params[ssa.params.indexOf(s.param)]!.name), { nested: module.nestedArrays, typed: true }),
      ),
      backpropRow,
    );

  let body: Stmt[];
  let mode: string[];
  if (!names.jvp || !names.jacobianColumn) {
    body = rows();
    mode = [
      `Computed by reverse mode: each row is ${backprop} with the output adjoint 1 at that number and 0 elsewhere`,
      `(one forward and one reverse sweep)${shadows.length > 0 ? ', adding into shadows made once and zeroed again after each row' : ''}.`,
    ];
  } else {
    const { jvp, jacobianColumn } = names;
    const outputs = countNumbers(local, 'outputs', [{ type: resultType, value: ref(value) }]);
    const inputs = countNumbers(
      local,
      'inputs',
      params.filter((p) => p.differentiable).map((p) => ({ type: p.ssaType, value: ref(p.name) })),
    );
    const jvpColumn = (tangents: Expr[]): Expr => ({
      kind: 'call',
      callee: jacobianColumn,
      args: [member({ kind: 'call', callee: jvp, args: [...params.map(argument), ...tangents] }, 'tangent')],
    });
    const columns = () =>
      columnsByForwardMode(
        local,
        params.filter((p) => p.differentiable),
        outputs.count,
        jacobian,
        jvpColumn,
      );
    if (typeof outputs.count === 'number' && typeof inputs.count === 'number') {
      // both counts are known here: the choice is made once, for every call
      body = outputs.count <= inputs.count ? rows() : columns();
    } else {
      body = [
        ...outputs.declarations,
        ...inputs.declarations,
        { kind: 'comment', text: 'The fewer sweeps: a vjp per number of the value, or a jvp per number of the inputs.' },
        {
          kind: 'if',
          test: { kind: 'binary', op: '<=', left: countExpr(outputs.count), right: countExpr(inputs.count) },
          then: rows(),
          else: columns(),
        },
      ];
    }
    mode = [
      `Computed by reverse mode when the value has no more numbers than the inputs (each row is ${backprop}`,
      `with the output adjoint 1 at that number and 0 elsewhere), else by forward mode (each column is`,
      `${jvp} with the tangent 1 at that input and 0 elsewhere).`,
    ];
  }
  // the value is computed only for the lengths of its arrays: a tuple or object of numbers has none
  const computeValue: Stmt[] = reads(body, value)
    ? [
        {
          kind: 'declare',
          declaration: 'const',
          name: value,
          init: { kind: 'call', callee: module.primalName(key), args: params.map(argument) },
        },
      ]
    : [];
  return {
    kind: 'function',
    name: names.jacobian,
    params: params.map(({ name, type }) => ({ name, type })),
    returnType: 'number[][]',
    doc: [
      `The Jacobian of \`${ssa.name}\` (${fn.sourceLabel}), dense: one row per number of the value (arrays in index order,`,
      `object fields in declaration order), one column per number of ${wrt}, flattened the same way, in parameter`,
      `order (${names.jacobianRow}).`,
      ...mode,
      ...(writesArguments ? [`Each row (or column) is computed on copies of the arguments, which it leaves unchanged.`] : []),
    ].join('\n'),
    exported: true,
    body: [
      // (each row or column is computed on copies, which share nothing: the arguments are checked here)
      ...checkArguments(params.map((p) => p.name)),
      ...computeValue,
      { kind: 'declare', declaration: 'const', name: jacobian, type: 'number[][]', init: { kind: 'array', elements: [] } },
      ...body,
      { kind: 'return', value: ref(jacobian) },
    ],
  };
}

/**
 * The rows of J by reverse mode: after `shadows` (the declarations of what the rows add into), the
 * seed (an output adjoint of zeros) gets 1 at each number of the output in turn, and `row(seed)`
 * computes row r = eᵣᵀ·J and pushes it.
 */
function rowsByReverseMode(namer: Namer, resultType: Type, zeros: Expr, shadows: Stmt[], row: (seed: Expr) => Stmt[]): Stmt[] {
  const seed = namer.claim('seed');
  const unitSeedRow = (leaf: AssignTarget): Stmt[] => [
    { kind: 'assign', op: '=', target: leaf, value: num(1) },
    ...row(ref(seed)),
    { kind: 'assign', op: '=', target: leaf, value: num(0) },
  ];
  return [
    { kind: 'comment', text: 'Rows by reverse mode: one backprop per number of the value, with the unit output adjoint there.' },
    ...shadows,
    { kind: 'declare', declaration: 'const', name: seed, type: shadowTypeText(resultType), init: zeros },
    ...forEachNumber(namer, resultType, ref(seed), unitSeedRow),
  ];
}

/** Sets every number of a shadow back to 0: `fill(0)` for an array of numbers, else number by number. */
function zeroAgain(namer: Namer, type: Type, shadow: AssignTarget): Stmt[] {
  if (type.kind === 'array' && (type.element.kind === 'number' || type.element.kind === 'boolean'))
    return [{ kind: 'expr', expr: { kind: 'method', object: shadow, method: 'fill', args: [num(0)] } }];
  return forEachNumber(namer, type, shadow, (leaf) => [{ kind: 'assign', op: '=', target: leaf, value: num(0) }]);
}

/**
 * The columns of J by forward mode, pushed onto `jacobian` as rows of its transpose: the
 * tangents (zeros) get 1 at each number of the differentiated parameters in turn, in parameter
 * order, and column c = J·e_c is `jvpColumn(tangents)`; then row r gathers the r-th number of
 * every column.
 */
function columnsByForwardMode(
  namer: Namer,
  differentiated: Array<{ name: string; ssaType: Type }>,
  outputs: Expr | number,
  jacobian: string,
  jvpColumn: (tangents: Expr[]) => Expr,
): Stmt[] {
  const columns = namer.claim('columns');
  const tangents = differentiated.map((p) => ({ ...p, tangent: isContainer(p.ssaType) ? namer.claim(tangentName(p.name)) : undefined }));
  const statements: Stmt[] = [
    { kind: 'comment', text: 'Columns by forward mode: one jvp per number of the inputs, with the unit tangent there.' },
    { kind: 'declare', declaration: 'const', name: columns, type: 'number[][]', init: { kind: 'array', elements: [] } },
    ...tangents.flatMap((t): Stmt[] => (t.tangent ? [declareZeroShadow(t.tangent, t.ssaType, ref(t.name), { typed: true })] : [])),
  ];
  const push = (unit: (typeof tangents)[number] | undefined): Stmt => ({
    kind: 'expr',
    expr: {
      kind: 'method',
      object: ref(columns),
      method: 'push',
      args: [jvpColumn(tangents.map((t) => (t.tangent ? ref(t.tangent) : num(t === unit ? 1 : 0))))],
    },
  });
  for (const t of tangents) {
    if (!t.tangent) statements.push(push(t));
    else {
      const unitColumn = (leaf: AssignTarget): Stmt[] => [
        { kind: 'assign', op: '=', target: leaf, value: num(1) },
        push(undefined),
        { kind: 'assign', op: '=', target: leaf, value: num(0) },
      ];
      statements.push(...forEachNumber(namer, t.ssaType, ref(t.tangent), unitColumn));
    }
  }
  // J[r][c] = columns[c][r]
  const [r, c, row] = [namer.claim('r'), namer.claim('c'), namer.claim('row')];
  statements.push({
    kind: 'countup',
    counter: r,
    to: typeof outputs === 'number' ? num(outputs) : outputs,
    body: [
      { kind: 'declare', declaration: 'const', name: row, type: 'number[]', init: { kind: 'array', elements: [] } },
      {
        kind: 'countup',
        counter: c,
        to: member(ref(columns), 'length'),
        body: [
          { kind: 'expr', expr: { kind: 'method', object: ref(row), method: 'push', args: [index(index(ref(columns), ref(c)), ref(r))] } },
        ],
      },
      { kind: 'expr', expr: { kind: 'method', object: ref(jacobian), method: 'push', args: [ref(row)] } },
    ],
  });
  return statements;
}

/**
 * How many numbers the values hold: a count known from their types (numbers, tuples, objects),
 * or the name of a variable the returned statements add the lengths of their arrays into.
 */
function countNumbers(
  namer: Namer,
  preferred: string,
  values: Array<{ type: Type; value: Expr }>,
): { count: number | Expr; declarations: Stmt[] } {
  let known = 0;
  const counter = namer.claim(preferred);
  const add = (type: Type, value: Expr): Stmt[] => {
    switch (type.kind) {
      case 'number':
        known += 1;
        return [];
      case 'boolean':
        return [];
      case 'array': {
        if (type.element.kind === 'number') return [{ kind: 'assign', op: '+=', target: ref(counter), value: member(value, 'length') }];
        const i = namer.claim('i');
        const before = known;
        const inner = add(type.element, index(value, ref(i)));
        // numbers of an element counted once per element
        const perElement = known - before;
        known = before;
        const body: Stmt[] = [
          ...(perElement > 0 ? [{ kind: 'assign' as const, op: '+=' as const, target: ref(counter), value: num(perElement) }] : []),
          ...inner,
        ];
        return body.length > 0 ? [{ kind: 'countup', counter: i, to: member(value, 'length'), body }] : [];
      }
      case 'tuple':
        return type.elements.flatMap((t, k) => add(t, index(value, num(k))));
      case 'object':
        return type.fields.flatMap((f) => add(f.type, member(value, f.name)));
    }
  };
  const statements = values.flatMap(({ type, value }) => add(type, value));
  if (statements.length === 0) return { count: known, declarations: [] };
  return {
    count: ref(counter),
    declarations: [{ kind: 'declare', declaration: 'let', name: counter, type: 'number', init: num(known) }, ...statements],
  };
}

/** A count known when compiling is a literal; one known at run time is already an expression. */
function countExpr(count: number | Expr): Expr {
  return typeof count === 'number' ? num(count) : count;
}

/** True when the statements read the variable `name`. */
function reads(statements: Stmt[], name: string): boolean {
  let found = false;
  forEachExprInStatements(statements, (e) => {
    if (e.kind === 'ref' && e.name === name) found = true;
  });
  return found;
}

/** A column of the Jacobian that a jvp gives: the tangent of the value, its numbers flattened. */
function jacobianColumnFunction(module: CompanionModule, ssa: SsaFunction, resultType: Type, name: string): FunctionDecl {
  const local = module.namer.child();
  const tangent = local.claim('tangent');
  const column = local.claim('column');
  const push = (leaf: Expr): Stmt[] => [{ kind: 'expr', expr: { kind: 'method', object: ref(column), method: 'push', args: [leaf] } }];
  return {
    kind: 'function',
    name,
    // typed as jvp_f returns it (the returned value's shape), read in the order of the signature's
    params: [{ name: tangent, type: shadowTypeText(ssa.values[ssa.result!]!.type) }],
    returnType: 'number[]',
    doc: `A tangent of \`${ssa.name}\`'s value as one column of its Jacobian: its numbers in the order of the rows.`,
    exported: false,
    body: [
      { kind: 'declare', declaration: 'const', name: column, type: 'number[]', init: { kind: 'array', elements: [] } },
      ...forEachNumber(local, resultType, ref(tangent), push),
      { kind: 'return', value: ref(column) },
    ],
  };
}

/** The row of the Jacobian that a vjp gives (or of the Hessian that an hvp gives): its numbers flattened, parameter by parameter. */
export function jacobianRowFunction(
  module: CompanionModule,
  ssa: SsaFunction,
  name: string,
  gradType: string,
  matrix = 'Jacobian',
): FunctionDecl {
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
    doc: `A gradient of \`${ssa.name}\` as one row of its ${matrix}: the numbers of each parameter in order, arrays in index order, object fields in declaration order.`,
    exported: false,
    body: [
      { kind: 'declare', declaration: 'const', name: row, type: 'number[]', init: { kind: 'array', elements: [] } },
      ...differentiable.flatMap((p) => forEachNumber(local, ssa.values[p.value]!.type, member(ref(grad), p.name), push)),
      { kind: 'return', value: ref(row) },
    ],
  };
}

/** Statements that run `body` on every number inside `target` (of type `type`), in flattening order. */
export function forEachNumber(namer: Namer, type: Type, target: AssignTarget, body: (leaf: AssignTarget) => Stmt[]): Stmt[] {
  switch (type.kind) {
    case 'number':
      return body(target);
    case 'boolean':
      return [];
    case 'array': {
      const counter = namer.claim('i');
      return [
        {
          kind: 'countup',
          counter,
          to: member(target, 'length'),
          body: forEachNumber(namer, type.element, index(target, ref(counter)), body),
        },
      ];
    }
    case 'tuple':
      return type.elements.flatMap((t, i) => forEachNumber(namer, t, index(target, num(i)), body));
    case 'object':
      return type.fields.flatMap((f) => forEachNumber(namer, f.type, member(target, f.name), body));
  }
}
