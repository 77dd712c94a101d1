/**
 * Module-level `const`s that marked functions read are copied into the companion, so it has no
 * runtime dependency on the source module. Each initialiser is lowered like function code (the
 * same subset, the same diagnostics), together with the constants it reads in turn.
 */
import type { Diagnostic } from '../../api.js';
import type { Block, ValueId } from '../../ir/ssa.js';
import type { ParsedFile } from '../1-parse/index.js';
import type { CalleeResolver } from './callees.js';
import { LoweringContext } from './context.js';
import { lowerExpression } from './expressions.js';

export interface LoweredConstant {
  name: string;
  block: Block;
  result: ValueId;
}

/** The constants `names` need, dependencies included, in source order. */
export function lowerModuleConstants(
  file: ParsedFile,
  names: Iterable<string>,
  callees: CalleeResolver,
): { constants: LoweredConstant[]; diagnostics: Diagnostic[] } {
  const lowered = new Map<string, LoweredConstant>();
  const diagnostics: Diagnostic[] = [];
  const pending = [...names];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (lowered.has(name)) continue;
    const declaration = file.moduleConstants.get(name)!;
    const ctx = new LoweringContext(file, name, callees);
    const init = declaration.getInitializer();
    const type = declaration.getType();
    const result =
      init && (type.isNumber() || type.isNumberLiteral())
        ? lowerExpression(ctx, init)
        : ctx.error('AD1006', [name, 'a module-level const that is not a number'], declaration.getNameNode());
    // Copied as one expression: only arithmetic, not branches (`?:`, `&&`) or containers.
    const arithmetic = ctx.builder.root.instrs.every((i) => i.kind === 'const' || i.kind === 'global' || i.kind === 'prim');
    if (!arithmetic && ctx.diagnostics.length === 0) {
      ctx.error('AD1006', [name, 'a module-level const whose initialiser is not arithmetic on numbers'], declaration.getNameNode());
    }
    diagnostics.push(...ctx.diagnostics);
    lowered.set(name, { name, block: ctx.builder.root, result });
    pending.push(...ctx.globalsRead);
  }
  const position = (name: string) => file.moduleConstants.get(name)!.getStart();
  const constants = [...lowered.values()].sort((a, b) => position(a.name) - position(b.name));
  return { constants, diagnostics };
}
