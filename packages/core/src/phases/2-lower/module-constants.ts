/**
 * Module-level `const`s that differentiable functions read: numbers, and arrays, tuples and
 * objects of numbers, nested (`const C = [676.52, -1259.14]`, `{ g: 9.81 } as const`,
 * `Object.freeze([[1, 0], [0, 1]])`), of the function's module or imported from a project module.
 * They are constants: read through a `global` instruction, with no adjoint (module-constant-reads.ts),
 * and never written (a write is AD1145).
 *
 * The companion has each one it needs:
 * - copied, when it holds at most COPIED_NUMBERS numbers (or is not exported, so it cannot be
 *   imported): its initialiser is lowered like function code (the same subset, the same
 *   diagnostics), together with the constants it reads in turn, and written out;
 * - imported from the module that declares it otherwise, and always for a constant the source
 *   itself imports.
 */
import { Node, type Expression } from 'ts-morph';
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { locationOf } from '../1-parse/location.js';
import type { Expr } from '../../ir/code.js';
import { expressionOf } from '../../ir/expression-tree.js';
import type { ValueId } from '../../ir/ssa.js';
import type { ParsedFile } from '../1-parse/index.js';
import type { CalleeResolver } from './callees.js';
import { LoweringContext } from './context.js';
import { lowerExpression } from './expressions.js';
import { unwrapExpression } from './function-values.js';
import { importedDeclaration } from './module-constant-reads.js';
import { NESTED_LOWERING } from './nested-lowering.js';

/** Above this many numbers, an exported constant is imported rather than copied. */
export const COPIED_NUMBERS = 64;

export interface CopiedConstant {
  name: string;
  /** Its initialiser, given the companion's names for the constants it reads. */
  expression: (companionName: (name: string) => string) => Expr;
}

export interface ImportedConstant {
  /** The name the function reads it by (an import may rename it). */
  name: string;
  /** The name its module exports it under. */
  exported: string;
  /** The module that declares it. */
  from: ParsedFile;
}

/** The constants of `file` that `names` need (those they read included), copied or imported, in source order. */
export function lowerModuleConstants(
  file: ParsedFile,
  names: Iterable<string>,
  callees: CalleeResolver,
): { constants: CopiedConstant[]; imports: ImportedConstant[]; diagnostics: Diagnostic[] } {
  const copied = new Map<string, CopiedConstant>();
  const imports = new Map<string, ImportedConstant>();
  const diagnostics: Diagnostic[] = [];
  const pending = [...names];
  const seen = new Set<string>();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const declaration = file.moduleConstants.get(name);
    if (!declaration) {
      const imported = importedName(file, name, callees);
      if (imported) imports.set(name, { name, ...imported });
      continue;
    }
    const ctx = new LoweringContext(file, name, callees, NESTED_LOWERING);
    const init = declaration.getInitializer();
    const copy = init && copyOf(ctx, init);
    diagnostics.push(...ctx.diagnostics);
    if (!copy) {
      // (an initialiser whose lowering reported its errors needs no other)
      if (ctx.diagnostics.length === 0)
        diagnostics.push(
          createDiagnostic(
            'AD1006',
            { source: name, what: 'a module-level const whose initialiser is not numbers, or arrays and objects of numbers' },
            locationOf(declaration.getNameNode(), file.path),
          ),
        );
      continue;
    }
    if (copy.numbers > COPIED_NUMBERS && declaration.getVariableStatement()?.isExported()) {
      imports.set(name, { name, exported: name, from: file });
      continue;
    }
    copied.set(name, { name, expression: copy.expression });
    pending.push(...ctx.globalsRead);
  }
  const position = (name: string) => file.moduleConstants.get(name)!.getStart();
  const constants = [...copied.values()].sort((a, b) => position(a.name) - position(b.name));
  return { constants, imports: [...imports.values()], diagnostics };
}

/** The module and exported name of a constant `file` imports as `name`. */
function importedName(file: ParsedFile, name: string, callees: CalleeResolver): { exported: string; from: ParsedFile } | undefined {
  for (const declaration of file.sourceFile.getImportDeclarations()) {
    for (const specifier of declaration.getNamedImports()) {
      const local = specifier.getAliasNode() ?? specifier.getNameNode();
      if (local.getText() !== name || !Node.isIdentifier(local)) continue;
      return importedDeclaration(callees, local);
    }
  }
  return undefined;
}

/**
 * The initialiser as the companion writes it, and how many numbers it holds: numbers (arithmetic
 * on numbers and other constants, lowered like function code), arrays and objects of them,
 * through `as const`, `satisfies` and `Object.freeze(…)`; undefined for anything else.
 */
function copyOf(ctx: LoweringContext, node: Expression): { expression: CopiedConstant['expression']; numbers: number } | undefined {
  const inner = unwrapExpression(node);
  if (
    Node.isCallExpression(inner) &&
    inner.getExpression().getText().replace(/\s+/g, '') === 'Object.freeze' &&
    inner.getArguments().length === 1
  ) {
    return copyOf(ctx, inner.getArguments()[0] as Expression);
  }
  if (Node.isArrayLiteralExpression(inner)) {
    const elements = inner.getElements().map((e) => (Node.isSpreadElement(e) || Node.isOmittedExpression(e) ? undefined : copyOf(ctx, e)));
    if (elements.some((e) => e === undefined)) return undefined;
    const copies = elements as Array<NonNullable<(typeof elements)[0]>>;
    return {
      expression: (nameOf) => ({ kind: 'array', elements: copies.map((c) => c.expression(nameOf)) }),
      numbers: copies.reduce((n, c) => n + c.numbers, 0),
    };
  }
  if (Node.isObjectLiteralExpression(inner)) {
    const fields: Array<{ key: string; copy: NonNullable<ReturnType<typeof copyOf>> }> = [];
    for (const property of inner.getProperties()) {
      const value =
        Node.isPropertyAssignment(property) && Node.isIdentifier(property.getNameNode())
          ? property.getInitializerOrThrow()
          : Node.isShorthandPropertyAssignment(property)
            ? property.getNameNode()
            : undefined;
      const copy = value && copyOf(ctx, value);
      if (!copy) return undefined;
      fields.push({ key: (property as import('ts-morph').PropertyAssignment).getName(), copy });
    }
    return {
      expression: (nameOf) => ({ kind: 'object', properties: fields.map((f) => ({ key: f.key, value: f.copy.expression(nameOf) })) }),
      numbers: fields.reduce((n, f) => n + f.copy.numbers, 0),
    };
  }
  // a number: arithmetic, copied as one expression (no branches: `?:` and `&&` are not copied)
  let value: ValueId | undefined;
  const block = ctx.builder.block(() => {
    value = lowerExpression(ctx, inner);
  });
  const type = ctx.builder.typeOf(value!);
  if (type.kind !== 'number') {
    // another constant, read by name (an array or object)
    const global = block.instrs.length === 1 && block.instrs[0]!.kind === 'global' ? block.instrs[0]!.name : undefined;
    return global === undefined ? undefined : { expression: (nameOf) => ({ kind: 'ref', name: nameOf(global) }), numbers: 0 };
  }
  if (!block.instrs.every((i) => i.kind === 'const' || i.kind === 'global' || i.kind === 'prim' || i.kind === 'load')) return undefined;
  return { expression: (nameOf) => expressionOf(block, value!, nameOf), numbers: 1 };
}
