/**
 * `call`: y = g(args), a call of a function of the program (or of one with a user's rule).
 *
 *   forward   y = g(args), by g's primal copy (module.ts); the shadows of arrays g may push onto
 *             grow alike, and a container it returns gets a shadow of zeros
 *   reverse   g's backprop, called again from the arguments as they were (a container written
 *             later is read from its snapshot), with d_y: it adds into the shadows of container
 *             arguments and returns the adjoints of number arguments; or the user's rule for g.
 *             A g that recurses or runs a loop is not replayed: the forward sweep calls forward_g,
 *             and the reverse reverse_g, which runs on what forward_g left on the tape (recursive-calls.ts)
 *   tangent   g's tangent function, given the tangents of the arguments, returns y and ẏ
 */
import { index, member, method, num, ref } from '../../../ir/build.js';
import type { Expr, Stmt } from '../../../ir/code.js';
import type { CallInstr, Type, ValueId } from '../../../ir/ssa.js';
import { ruleCallTangent } from '../forward-mode/rule-calls.js';
import { accumulateInto, zeroShadow } from '../shadows.js';
import type { ForwardSweep, InstrRules } from '../sweeps.js';
import { commentOf, declare, declareCommented } from './shared.js';

export const callRules: InstrRules<CallInstr> = {
  forward(sweep, instr) {
    const { names } = sweep.ctx;
    const { activity, module } = sweep.facts;
    // a call reversed apart runs the callee's forward sweep, which grows the shadows itself (recursive-calls.ts)
    const pattern = sweep.callApart(instr);
    const shadows = pattern
      ? instr.args.filter((arg, j) => pattern[j] && !activity.isScalar(arg)).map((arg) => ref(names.shadowName(arg)))
      : [];
    const callee = pattern ? module.sweepNames(instr.callee, pattern).forward : module.primalName(instr.callee);
    const call: Expr = { kind: 'call', callee, args: [...instr.args.map((a) => names.expr(a)), ...shadows] };
    const grown = pattern ? [] : shadowsGrownBy(sweep, instr);
    if (instr.result === undefined) return [{ kind: 'expr', expr: call }, ...grown];
    const statements = [declare(names.name(instr.result), call), ...grown];
    // a container returned by the callee gets a shadow of zeros, which the caller's reverse fills
    if (sweep.hasShadow(instr.result)) {
      statements.push(
        declare(
          names.shadowName(instr.result),
          zeroShadow(sweep.facts.typeOf(instr.result), ref(names.name(instr.result)), module.nestedArrays),
        ),
      );
    }
    return statements;
  },

  reverse(sweep, instr) {
    const { ctx, facts } = sweep;
    const { activity, module } = facts;
    const pattern = instr.args.map((arg) => activity.isActive(arg) && !ctx.names.isInline(arg));
    // Nothing flows back through a callee whose result cannot vary (it counts or compares), unless
    // it writes into a container whose adjoint does.
    const summary = module.summaries(instr.callee);
    const writesActive = instr.args.some((arg, j) => pattern[j] && !activity.isScalar(arg) && (summary?.writesParam[j] ?? true));
    if (!pattern.some(Boolean) || (summary && !summary.resultCanVary && !writesActive)) return [];
    const callee = module.callee(instr.callee);
    // a rule for some parameters only serves a call that varies no other argument (rules.ts)
    const rule =
      callee.rule && instr.args.every((_, j) => !pattern[j] || (callee.rule!.wrt?.includes(callee.paramNames[j]!) ?? true))
        ? callee.rule
        : undefined;
    const comment = commentOf(instr.origin);
    const apart = !rule && module.reversesApart(instr.callee);
    if (apart) sweep.setCallApart(instr, pattern);
    // replayed from the arguments as they were; a reverse sweep called apart needs no copies (recursive-calls.ts)
    const asTheyWere = (arg: ValueId) => apart || activity.isScalar(arg) || (!activity.isWritten(arg) && facts.mayReadAgain(arg));
    const args = instr.args.map((arg, j) => (asTheyWere(arg) ? ctx.primal(arg) : ctx.primal(instr.snapshots[j]!)));
    const result = instr.result;
    const resultAdjoint: Expr[] =
      result === undefined
        ? []
        : [
            activity.isScalar(result)
              ? (ctx.adjoints.get(result) ?? num(0))
              : activity.isActive(result)
                ? ctx.shadow(result)
                : zeroShadow(facts.typeOf(result), ctx.primal(result), module.nestedArrays),
          ];
    const adjointsName = ctx.namer.claim(`d_${callee.name}`);
    const adjoints = ref(adjointsName);
    const statements: Stmt[] = [];
    const add = (statement: Stmt | undefined) => {
      if (statement) statements.push(statement);
    };
    if (rule) {
      // the rule returns the adjoint of each argument, containers included
      statements.push({
        kind: 'declare',
        declaration: 'const',
        name: adjointsName,
        init: { kind: 'call', callee: module.ruleName(instr.callee), args: [...args, ...resultAdjoint] },
        comment,
      });
      instr.args.forEach((arg, j) => {
        if (!pattern[j]) return;
        const adjoint = member(adjoints, callee.paramNames[j]!);
        if (activity.isScalar(arg)) add(sweep.accumulate(arg, adjoint));
        else statements.push(...accumulateInto(ctx.namer, facts.typeOf(arg), ctx.shadow(arg), adjoint));
      });
      return statements;
    }
    const shadows = instr.args.filter((arg, j) => pattern[j] && !activity.isScalar(arg)).map((arg) => ctx.shadow(arg));
    const reverseName = apart
      ? module.sweepNames(instr.callee, pattern).reverse
      : module.backpropName(instr.callee, pattern, 'reverse sweep');
    const backprop: Expr = { kind: 'call', callee: reverseName, args: [...args, ...shadows, ...resultAdjoint] };
    // it adds into the shadows; what it returns is needed for number arguments only
    const numbers = instr.args.some((arg, j) => pattern[j] && activity.isScalar(arg));
    statements.push(
      numbers
        ? { kind: 'declare', declaration: 'const', name: adjointsName, init: backprop, comment }
        : { kind: 'expr', expr: backprop, comment },
    );
    instr.args.forEach((arg, j) => {
      if (pattern[j] && activity.isScalar(arg)) add(sweep.accumulate(arg, member(member(adjoints, 'grad'), callee.paramNames[j]!)));
    });
    return statements;
  },

  /**
   * Nothing is differentiated through a call whose result cannot vary and that writes nothing
   * varied; a callee with only a reverse-mode rule is differentiated through that rule (rule-calls.ts).
   */
  tangent({ ctx }, instr) {
    const names = ctx.names;
    const pattern = instr.args.map((arg) => ctx.hasTangent(arg));
    const summary = ctx.module.summaries(instr.callee);
    const writesVaried = instr.args.some((arg, j) => pattern[j] && !ctx.activity.isScalar(arg) && (summary?.writesParam[j] ?? true));
    const result = instr.result;
    const resultVaries = result !== undefined && ctx.hasTangent(result);
    const args = instr.args.map((a) => names.expr(a));
    const comment = commentOf(instr.origin);
    if (!pattern.some(Boolean) || !(resultVaries || writesVaried)) {
      const call: Expr = { kind: 'call', callee: ctx.module.primalName(instr.callee), args };
      if (result === undefined) return [{ kind: 'expr', expr: call }];
      const statements = [declareCommented(names.name(result), call)];
      // a container that varies only through later writes starts with a tangent of zeros
      if (resultVaries) statements.push(declareCommented(ctx.tangentName(result), zeroShadow(ctx.typeOf(result), ref(names.name(result)))));
      return statements;
    }
    const callee = ctx.module.callee(instr.callee);
    // (a rule for some parameters only is Adjoint's, for reverse mode: forward mode takes the body)
    if (callee.rule && !callee.rule.wrt) return ruleCallTangent(ctx, instr, pattern);
    const tangents = instr.args.flatMap((arg, j) => (pattern[j] ? [ref(ctx.tangentName(arg))] : []));
    const call: Expr = { kind: 'call', callee: ctx.module.tangentName(instr.callee, pattern), args: [...args, ...tangents] };
    if (result === undefined) return [{ kind: 'expr', expr: call, comment }];
    if (!resultVaries) return [declareCommented(names.name(result), member(call, 'value'), comment)];
    const pair = ctx.namer.claim(`${callee.name}_jvp`);
    return [
      declareCommented(pair, call, comment),
      declareCommented(names.name(result), member(ref(pair), 'value')),
      declareCommented(ctx.tangentName(result), member(ref(pair), 'tangent')),
    ];
  },
};

/**
 * After a call that may push onto an active array argument, the argument's shadow grows to the
 * same length with zeros (the callee's primal copy pushes onto the array only): the reverse sweep
 * reads the shadow at the new elements' indices.
 */
function shadowsGrownBy(sweep: ForwardSweep, instr: CallInstr): Stmt[] {
  const { names } = sweep.ctx;
  const summary = sweep.facts.module.summaries(instr.callee);
  // an array passed twice grows if the callee may push onto it through either parameter
  const grown = new Set(instr.args.filter((_, j) => summary?.growsParam[j] ?? true));
  return [...grown].flatMap((arg): Stmt[] => {
    const type = sweep.facts.typeOf(arg);
    if (type.kind !== 'array' || !sweep.hasShadow(arg)) return [];
    const primal = names.expr(arg);
    const shadow = ref(names.shadowName(arg));
    // for (;;) { if (d_a.length >= a.length) break; d_a.push(zero of a[d_a.length]); }
    return [
      {
        kind: 'forever',
        body: [
          {
            kind: 'if',
            test: { kind: 'binary', op: '>=', left: member(shadow, 'length'), right: member(primal, 'length') },
            then: [{ kind: 'break' }],
            else: [],
          },
          {
            kind: 'expr',
            expr: method(shadow, 'push', [zeroElement(sweep, type.element, index(primal, member(shadow, 'length')))]),
            comment: `${instr.origin.text} may push onto it: its shadow grows alike`,
          },
        ],
      },
    ];
  });
}

function zeroElement(sweep: ForwardSweep, type: Type, element: Expr): Expr {
  return type.kind === 'number' || type.kind === 'boolean' ? num(0) : zeroShadow(type, element, sweep.facts.module.nestedArrays);
}
