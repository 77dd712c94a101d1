/**
 * The helpers a companion shares between its functions (the tape, the checkpointing schedule, the
 * trip count), written once in @adjoint/runtime. A companion either holds a copy of each helper it
 * uses (the default: it needs nothing at run time) or imports them from the package
 * (`runtime: 'import'`). The copies are the package's own source, embedded when Adjoint is built.
 */
import { embeddedRuntime } from './embedded.generated.js';

export const RUNTIME_PACKAGE = '@adjoint/runtime';

export type RuntimeHelper = Exclude<keyof typeof embeddedRuntime, 'stopGradient'>;

/** How a companion gets the runtime's helpers: copied into it, or imported from @adjoint/runtime. */
export type RuntimeMode = 'inline' | 'import';

/** The helper's declaration, with its doc comment, under the name the companion gives it. */
export function runtimeDeclarationText(helper: RuntimeHelper, localName: string): string {
  return embeddedRuntime[helper].join(localName);
}

/** The start of the helper's declaration as a companion holds it: its doc comment and keyword. */
export function runtimeDeclarationStart(helper: RuntimeHelper): string {
  return embeddedRuntime[helper][0];
}
