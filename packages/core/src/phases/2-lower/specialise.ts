/**
 * Copies of functions, specialised for the functions they are given, for function values that
 * must be known in a function other than the one where they are written:
 *
 * - A helper with function parameters (`integrate(f, a, b, n)`, `argmin(f, x0)`) is copied for
 *   each distinct tuple of functions passed to it: in the copy, the function parameters are bound
 *   to those functions (calls through them are resolved while lowering the copy, as in the
 *   caller), and the call site calls the copy directly: `integrate_f(a, b, n, k)`.
 * - A local function that calls itself, directly or through other local functions, cannot be
 *   lowered in place: it is lifted, lowered once as a function of its own, and called.
 *
 * A function moved this way may be a local one reading variables of the function it is written in
 * (a closure): those become parameters of the copy, after its own (the captures), and each call
 * passes their values. That is exact because nothing can change them while the copy runs: a local
 * function that assigns a captured variable cannot be passed to a helper (AD1142) or lifted
 * (AD1144), and the copy sees no other variable of its caller. A captured array is passed as
 * itself, so writes into its elements are the caller's, as in JavaScript.
 *
 * A copy is keyed by what it is made of (the function, the functions bound in it, the types of
 * its captures), so each distinct copy is lowered once, whatever the order of the call sites.
 */
import { Node, type CallExpression, type Expression, type ParameterDeclaration } from 'ts-morph';
import type { Type, ValueId } from '../../ir/ssa.js';
import type { Callee, MovedFunction, NameTarget, Specialisation } from './callees.js';
import { emitCall } from './call-instruction.js';
import type { LoweringContext } from './context.js';
import { freeNamesOf } from './free-names.js';
import { functionValueOf } from './function-values.js';
import { Scope, type Binding, type FunctionValue, type LocalFunctionNode } from './scope.js';
import { irType } from './types.js';

type LocalFunction = Extract<FunctionValue, { kind: 'local' }>;

/** The variables a copy captures from the context calling it, in the order met. */
class Captures {
  readonly bindings: Binding[] = [];
  readonly types: Type[] = [];

  constructor(private readonly ctx: LoweringContext) {}

  indexOf(binding: Binding, at: Node): number {
    const known = this.bindings.indexOf(binding);
    if (known >= 0) return known;
    const value = this.ctx.env.get(binding);
    if (value === undefined) this.ctx.error('AD1009', { name: binding.name }, at);
    this.bindings.push(binding);
    this.types.push(value === undefined ? { kind: 'number' } : this.ctx.builder.typeOf(value));
    return this.bindings.length - 1;
  }
}

/** True for a parameter whose type is a function: a helper is specialised for what is passed to it. */
export function isFunctionParameter(param: ParameterDeclaration): boolean {
  return param.getType().getCallSignatures().length > 0;
}

/**
 * `helper(f, x)` where the helper has function parameters: the call of its copy for the functions
 * passed, with the value arguments and the captures. Undefined when the helper has none. The
 * values `leading` come before the arguments (a method's instance, methods.ts).
 */
export function lowerSpecialisedCall(
  ctx: LoweringContext,
  callee: Callee,
  node: CallExpression,
  leading: ValueId[] = [],
): ValueId | undefined {
  const params = callee.node?.getParameters() ?? [];
  if (!callee.node || !params.some(isFunctionParameter)) return undefined;
  const argNodes = node.getArguments() as Expression[];
  const captures = new Captures(ctx);
  const functionParams = new Map<number, MovedFunction>();
  const values: ValueId[] = [...leading];
  const names: string[] = [];
  params.forEach((param, i) => {
    const arg = argNodes[i];
    if (!isFunctionParameter(param)) {
      if (arg) values.push(ctx.lowerExpression(arg));
      return;
    }
    const fn = arg && functionValueOf(ctx, arg);
    // (lowering an unknown function reports where it comes from: AD1140)
    if (!fn)
      return void (arg
        ? ctx.lowerExpression(arg)
        : ctx.error(
            'AD1143',
            { source: node.getText(), callee: callee.name, parameters: String(params.length), count: String(argNodes.length) },
            node,
          ));
    functionParams.set(i, move(ctx, fn, captures, arg, callee.name));
    // the copy is named after them: integrate_square, integrate_Math_exp, integrate_fn for an arrow
    names.push(
      fn.kind === 'math' ? fn.op.replace('.', '_') : fn.kind === 'local' ? (/^[\w$]+$/.test(fn.name) ? fn.name : 'fn') : fn.callee.name,
    );
  });
  const paramNames = [
    ...callee.paramNames.slice(0, leading.length),
    ...params.filter((p) => !isFunctionParameter(p)).map((p) => p.getName()),
  ];
  const captureNames = namesApart(
    captures.bindings.map((b) => b.name),
    paramNames,
  );
  const specialisation: Specialisation = { functionParams, captures: captures.types.map((type, i) => ({ name: captureNames[i]!, type })) };
  const describeParams = [...functionParams].map(([i, fn]) => `${i}:${describe(fn)}`).join(',');
  const copy = ctx.callees.specialised(
    callee,
    `${callee.key}(${describeParams})${JSON.stringify(captures.types)}`,
    `${callee.name}_${names.join('_')}`,
    [...paramNames, ...captureNames],
    specialisation,
  );
  const returnType = node.getReturnType();
  const resultType = returnType.isVoid() ? undefined : irType(returnType, node);
  return emitCall(
    ctx,
    copy,
    [...values, ...captures.bindings.map((b) => ctx.env.get(b) ?? ctx.builder.constant(Number.NaN))],
    resultType,
    node,
  );
}

/** A call of a lifted local function (one that recurses): its copy, with the captures it needs. */
export function liftedFunction(ctx: LoweringContext, fn: LocalFunction, site: Node): Extract<FunctionValue, { kind: 'lifted' }> {
  const members = recursionOf(fn);
  const captures = new Captures(ctx);
  // every member takes the captures of all, so that each can call the others
  const targets = new Map<LocalFunctionNode, Map<string, NameTarget>>();
  const isMember = (target: FunctionValue | undefined) => target?.kind === 'local' && members.some((m) => m.node === target.node);
  for (const member of members) {
    const { names: free, assigned } = freeNamesOf(member.node);
    const names = new Map<string, NameTarget>();
    for (const name of free) {
      const binding = member.scope.lookup(name);
      if (!binding) continue;
      if (isMember(binding.fn)) continue;
      if (binding.fn) {
        names.set(name, { kind: 'function', fn: move(ctx, binding.fn, captures, site, undefined) });
        continue;
      }
      if (assigned.has(name)) ctx.error('AD1144', { local: member.name, callee: site.getText(), variable: name }, assigned.get(name)!);
      names.set(name, { kind: 'capture', index: captures.indexOf(binding, site) });
    }
    targets.set(member.node, names);
  }
  const captureNames = (member: LocalFunction) =>
    namesApart(
      captures.bindings.map((b) => b.name),
      member.node.getParameters().map((p) => p.getName()),
    );
  const recursion = members.map((m) => `${m.node.getSourceFile().getFilePath()}:${m.node.getStart()}`).join(',');
  const copies = new Map(
    members.map((member) => {
      const names = targets.get(member.node)!;
      const key = `${recursion}>${member.node.getStart()}(${[...names].map(([n, t]) => `${n}=${t.kind === 'capture' ? t.index : describe(t.fn)}`).join(',')})${JSON.stringify(captures.types)}`;
      const captured = captureNames(member);
      const specialisation: Specialisation = {
        functionParams: new Map(),
        captures: captures.types.map((type, i) => ({ name: captured[i]!, type })),
        names,
      };
      const paramNames = [...member.node.getParameters().map((p) => p.getName()), ...captured];
      return [member.node, ctx.callees.lifted(ctx.file, member.node, key, member.name, paramNames, specialisation)] as const;
    }),
  );
  // the members call each other, and themselves by their own names, passing their captures through
  const all = captures.bindings.map((_, i) => i);
  for (const member of members) {
    const own = ownName(member.node);
    if (own && freeNamesOf(member.node).callsItself)
      targets.get(member.node)!.set(own, { kind: 'function', fn: { kind: 'lifted', callee: copies.get(member.node)!, captures: all } });
    for (const name of freeNamesOf(member.node).names) {
      const target = member.scope.lookup(name)?.fn;
      const copy = target?.kind === 'local' ? copies.get(target.node) : undefined;
      if (copy) targets.get(member.node)!.set(name, { kind: 'function', fn: { kind: 'lifted', callee: copy, captures: all } });
    }
  }
  return { kind: 'lifted', callee: copies.get(fn.node)!, captures: captures.bindings };
}

/** A function value of the current context, made independent of it; its captured variables join `captures`. */
function move(ctx: LoweringContext, fn: FunctionValue, captures: Captures, site: Node, passedTo: string | undefined): MovedFunction {
  switch (fn.kind) {
    case 'callee':
    case 'math':
      return fn;
    case 'lifted':
      return { kind: 'lifted', callee: fn.callee, captures: fn.captures.map((b) => captures.indexOf(b, site)) };
    case 'local': {
      if (isRecursive(fn)) return move(ctx, liftedFunction(ctx, fn, site), captures, site, passedTo);
      const { names: free, assigned } = freeNamesOf(fn.node);
      const names = new Map<string, NameTarget>();
      for (const name of free) {
        const binding = fn.scope.lookup(name);
        if (!binding) continue;
        if (binding.fn) {
          names.set(name, { kind: 'function', fn: move(ctx, binding.fn, captures, site, passedTo) });
          continue;
        }
        // a copy cannot assign its caller's variable: passed to a helper (AD1142), or inlined in a lifted function (AD1144)
        if (assigned.has(name))
          ctx.error(
            passedTo === undefined ? 'AD1144' : 'AD1142',
            { local: fn.name, callee: passedTo ?? site.getText(), variable: name },
            assigned.get(name)!,
          );
        names.set(name, { kind: 'capture', index: captures.indexOf(binding, site) });
      }
      return { kind: 'local', node: fn.node, name: fn.name, names };
    }
  }
}

/** The function a moved function is in a copy whose captures are held by `captures`. */
export function materialise(fn: MovedFunction, captures: Binding[]): FunctionValue {
  switch (fn.kind) {
    case 'callee':
    case 'math':
      return fn;
    case 'lifted':
      return { kind: 'lifted', callee: fn.callee, captures: fn.captures.map((i) => captures[i]!) };
    case 'local':
      return { kind: 'local', node: fn.node, scope: scopeOf(fn.names, captures), name: fn.name };
  }
}

/** A scope in which the free names of a moved function denote what `names` says. */
export function scopeOf(names: Map<string, NameTarget>, captures: Binding[]): Scope {
  const scope = new Scope();
  for (const [name, target] of names) {
    if (target.kind === 'capture') scope.alias(name, captures[target.index]!);
    else scope.declare(name, false, materialise(target.fn, captures));
  }
  return scope;
}

/** A stable description of a moved function, for the keys of copies. */
function describe(fn: MovedFunction): string {
  switch (fn.kind) {
    case 'callee':
      return fn.callee.key;
    case 'math':
      return fn.op;
    case 'lifted':
      return `${fn.callee.key}[${fn.captures.join(',')}]`;
    case 'local':
      return `${fn.node.getSourceFile().getFilePath()}:${fn.node.getStart()}(${[...fn.names].map(([n, t]) => `${n}=${t.kind === 'capture' ? t.index : describe(t.fn)}`).join(',')})`;
  }
}

/** Names for the captures, apart from the parameters' and from each other: `x`, `x_2`, … */
function namesApart(names: string[], taken: string[]): string[] {
  const used = new Set(taken);
  return names.map((name) => {
    let apart = name;
    for (let k = 2; used.has(apart); k++) apart = `${name}_${k}`;
    used.add(apart);
    return apart;
  });
}

/** True when a local function calls itself, directly or through other local functions. */
export function isRecursive(fn: LocalFunction): boolean {
  return recursionOf(fn).length > 0;
}

/** The local functions that call `fn` back (it included), in source order; none when it does not recurse. */
function recursionOf(fn: LocalFunction): LocalFunction[] {
  const calls = (from: LocalFunction) =>
    freeNamesOf(from.node).names.flatMap((name) => {
      const callee = from.scope.lookup(name)?.fn;
      return callee?.kind === 'local' ? [callee] : [];
    });
  const reachable = (from: LocalFunction): LocalFunction[] => {
    const seen = new Map<LocalFunctionNode, LocalFunction>(freeNamesOf(from.node).callsItself ? [[from.node, from]] : []);
    const pending = calls(from);
    for (let next = pending.pop(); next; next = pending.pop()) {
      if (seen.has(next.node)) continue;
      seen.set(next.node, next);
      if (freeNamesOf(next.node).callsItself) continue;
      pending.push(...calls(next));
    }
    return [...seen.values()];
  };
  const members = reachable(fn).filter((other) => other.node === fn.node || reachable(other).some((r) => r.node === fn.node));
  return members.sort((a, b) => a.node.getStart() - b.node.getStart());
}

/** The name a local function calls itself by inside its body, when it is its own (a function declaration's, a named function expression's). */
export function ownName(node: LocalFunctionNode): string | undefined {
  return Node.isArrowFunction(node) ? undefined : node.getName();
}
