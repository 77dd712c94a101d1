/** What the lowering of one function carries along: the builder, scopes, and collected errors. */
import type { Node } from 'ts-morph';
import type { Diagnostic } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import type { DiagnosticCode } from '../../diagnostics/catalogue.js';
import type { SourceOrigin, ValueId } from '../../ir/ssa.js';
import { locationOf } from '../1-parse/location.js';
import type { ParsedFile } from '../1-parse/index.js';
import { SsaBuilder } from './builder.js';
import { Environment, Scope, type Binding } from './scope.js';

export class LoweringContext {
  readonly builder = new SsaBuilder();
  readonly env = new Environment();
  readonly diagnostics: Diagnostic[] = [];
  /** Module-level constants the function reads, by source name. */
  readonly globalsRead = new Set<string>();
  /** The innermost scope at the current point; statements that open a block replace it. */
  scope = new Scope();

  constructor(
    readonly file: ParsedFile,
    readonly functionName: string,
  ) {}

  /**
   * Records a user error at `node` and returns a placeholder value, so lowering goes on and one
   * run reports every error in the function.
   */
  error(code: DiagnosticCode, args: readonly string[], node: Node): ValueId {
    this.diagnostics.push(createDiagnostic(code, args, locationOf(node, this.file.path)));
    return this.builder.constant(Number.NaN);
  }

  /** Binds a variable to a new value, naming the value after it when it has no name yet. */
  assign(binding: Binding, value: ValueId): void {
    this.env.set(binding, value);
    this.builder.nameAfter(value, binding.name);
  }

  origin(node: Node): SourceOrigin {
    const text = node.getText().replace(/\s+/g, ' ');
    return {
      line: node.getStartLineNumber(),
      text: text.length > 60 ? `${text.slice(0, 57)}...` : text,
    };
  }
}
