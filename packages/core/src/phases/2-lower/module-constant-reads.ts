/**
 * Reads of module-level `const`s inside a differentiable function (module-constants.ts says which
 * constants a function may read and how the companion gets them): a `global` instruction of the
 * constant's type, with no adjoint.
 */
import { Node, SyntaxKind, type Identifier, type VariableDeclaration } from 'ts-morph';
import { createDiagnostic } from '../../diagnostics/create.js';
import { locationOf } from '../1-parse/location.js';
import type { Type, ValueId } from '../../ir/ssa.js';
import type { ParsedFile } from '../1-parse/index.js';
import type { CalleeResolver } from './callees.js';
import type { LoweringContext } from './context.js';
import { irType } from './types.js';

/**
 * The module constant a name denotes, read as a `global` of its type; undefined when the name is
 * not one (a local, a function, a global of JavaScript).
 */
export function readModuleConstant(ctx: LoweringContext, identifier: Identifier): ValueId | undefined {
  const name = identifier.getText();
  const local = ctx.file.moduleConstants.get(name);
  const imported = local ? undefined : importedDeclaration(ctx.callees, identifier);
  const declaration = local ?? imported?.declaration;
  // (a module-level const holding a function is a function: function-values.ts)
  if (!declaration || declaration.getType().getCallSignatures().length > 0) return undefined;
  const type = constantType(declaration);
  if (!type) {
    // reported at the declaration, which is what to change (an imported one is in another module), with a note where it is read
    const at = locationOf(declaration.getNameNode(), imported ? imported.from.path : ctx.file.path);
    ctx.diagnostics.push(
      createDiagnostic(
        'AD1006',
        { source: name, what: 'a module-level const that is not a number, nor an array, tuple or object of numbers' },
        at,
        [{ message: `'${name}' is read here`, location: locationOf(identifier, ctx.file.path) }],
      ),
    );
    return ctx.failedValue();
  }
  ctx.globalsRead.add(name);
  return ctx.builder.global(name, type);
}

/** The IR type of a module constant: numbers and containers of numbers; undefined for anything else (a string). */
function constantType(declaration: VariableDeclaration): Type | undefined {
  const ir = irType(declaration.getType(), declaration);
  return ir && !holdsBooleans(ir) ? ir : undefined;
}

function holdsBooleans(type: Type): boolean {
  if (type.kind === 'boolean') return true;
  if (type.kind === 'array') return holdsBooleans(type.element);
  if (type.kind === 'tuple') return type.elements.some(holdsBooleans);
  if (type.kind === 'object') return type.fields.some((f) => holdsBooleans(f.type));
  return false;
}

/** The top-level `const` of a project module that an imported name denotes, with its module. */
export function importedDeclaration(
  callees: CalleeResolver,
  identifier: Identifier,
): { declaration: VariableDeclaration; from: ParsedFile; exported: string } | undefined {
  const symbol = identifier.getSymbol();
  if (!symbol?.isAlias()) return undefined;
  const aliased = symbol.getAliasedSymbol();
  const declaration = aliased?.getDeclarations()[0];
  if (!declaration || !Node.isVariableDeclaration(declaration) || !isTopLevelConst(declaration)) return undefined;
  const from = callees.projectFileOf(declaration.getSourceFile());
  return from && { declaration, from, exported: aliased!.getName() };
}

function isTopLevelConst(declaration: VariableDeclaration): boolean {
  const statement = declaration.getVariableStatement();
  return statement?.getParent()?.getKind() === SyntaxKind.SourceFile && statement.getDeclarationKind() === 'const';
}
