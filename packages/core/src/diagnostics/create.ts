import type { Diagnostic, DiagnosticNote, SourceLocation } from '../api.js';
import { catalogue, type CatalogueEntry, type DiagnosticArgs, type DiagnosticCode } from './catalogue.js';

function fill(template: string, args: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => args[name] ?? placeholder);
}

/**
 * Builds a diagnostic from its catalogue entry: the only way a diagnostic is made. The arguments
 * are typed from the entry's text (DiagnosticArgs): one by name for each of its placeholders, no other.
 */
export function createDiagnostic<C extends DiagnosticCode>(
  code: C,
  args: DiagnosticArgs<C>,
  location?: SourceLocation,
  notes?: DiagnosticNote[],
): Diagnostic {
  const entry: CatalogueEntry = catalogue[code];
  const diagnostic: Diagnostic = {
    code,
    category: entry.category,
    message: fill(entry.message, args),
  };
  if (location) diagnostic.location = location;
  if (entry.fix !== undefined) diagnostic.fix = fill(entry.fix, args);
  if (notes && notes.length > 0) diagnostic.notes = notes;
  return diagnostic;
}

/**
 * A user error found while compiling one function. Phases throw it to abandon that function;
 * the pipeline catches it and records the diagnostic. Anything else thrown is an internal error.
 */
export class UserError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/**
 * In file, then position order, each reported once (a rule's error may come from several calls):
 * only the same message at the same place of the same file is a repeat. Diagnostics without a
 * place are all kept, since two of them may be about different files.
 */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [d.location?.file ?? '', d.location?.line ?? 0, d.location?.column ?? 0] as const;
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    if (!d.location) return true;
    const id = `${d.code} ${d.location.file}:${d.location.line}:${d.location.column} ${d.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique.sort((a, b) => {
    const [fa, la, ca] = key(a);
    const [fb, lb, cb] = key(b);
    return fa < fb ? -1 : fa > fb ? 1 : la - lb || ca - cb;
  });
}
