/**
 * The public types of `@adjoint/core`. Every shell (CLI, bundler plugin, tsc plugin) speaks these.
 */

/** One source file handed to the compiler. `text` is read through `CompileOptions.host` when omitted. */
export interface SourceFile {
  /** Absolute or cwd-relative path; diagnostics and companion paths are derived from it. */
  path: string;
  text?: string;
  /**
   * Where the companion will be written, in the same form as `path` (default: beside the source,
   * `foo.ts` → `foo.grad.ts`). The companion's imports of project modules are relative to it.
   */
  companionPath?: string;
}

/**
 * How the compiler reads files it is not handed: the inputs given without text, and the project
 * modules they import (relative imports, resolved by the compiler to `.ts`, `.mts`, `.cts` or
 * `index.ts`). The compiler does no other I/O: it runs on in-memory files, in Node or in a browser.
 * The CLI and the bundler plugins read the disk; the tsc plugin reads through TypeScript's host.
 */
export interface CompilerHost {
  /** The text of the file at `path`, or undefined when there is none (or it cannot be read). */
  readFile(path: string): string | undefined;
}

export interface CompileOptions {
  /**
   * Reads the files the compiler is not handed (default: none can be read, so every input needs
   * its text and imported modules not among the inputs are missing).
   */
  host?: CompilerHost;
  /**
   * Run prettier over the generated text (default true). A companion over a million characters is
   * left as Adjoint's own printer lays it out, as with `false`: prettier would take longer than the
   * rest of the compilation.
   */
  format?: boolean;
  /**
   * Inline small helpers of the same file into their callers before differentiating (default
   * true): each value is then computed once, instead of again inside the helper's backprop during
   * the reverse sweep. `false` differentiates every call through the callee's backprop.
   */
  inline?: boolean;
  /** Start each companion with the generated-file header (default true). */
  header?: boolean;
  /**
   * Checkpoint every loop that is not inside another loop, as if each were marked `// @checkpoint`
   * (default false): the gradient stores a few states of the loop instead of taping every iteration.
   */
  checkpointLoops?: boolean;
  /**
   * The size, in statements and expression nodes of the generated code, above which a generated
   * function (a backprop, a tangent function, a copy of a callee) is split into parts, each a
   * function of its own (default 4,000): V8 does not optimise a function whose bytecode is over
   * 60 KB, and the gradient of a long straight-line function would otherwise run about ten times
   * slower. `Infinity` keeps every function whole. The first-order functions of a companion with
   * a function marked `hessian` are never split (the companion is differentiated again).
   */
  maxPartSize?: number;
  /**
   * How a companion gets the helpers its functions share (the tape, the checkpointing schedule, the
   * trip count): `'inline'` (default) copies those it uses into it, so it needs nothing at run
   * time; `'import'` imports them from `@adjoint/runtime`, which the project then depends on.
   */
  runtime?: 'inline' | 'import';
  /**
   * The project's Prettier options for a companion (what `prettier.resolveConfig(companionPath)`
   * gives), or undefined where it has none; then Adjoint's own style is used (single quotes, lines
   * of 100). With the project's options, `prettier --write` leaves a companion as it is.
   */
  formatOptions?: (companionPath: string) => PrettierOptions | undefined;
  /** Called after each source file is compiled (`done` of `total`), for a progress display. */
  onProgress?: (done: number, total: number, sourcePath: string) => void;
  /**
   * Check the IR after lowering and after each optimisation pass (ir/verify.ts), and report an
   * internal error (AD9001) that names the pass which left it invalid. Default: on when the
   * environment has ADJOINT_VERIFY_IR=1 (the test suite sets it), else off.
   */
  verifyIr?: boolean;
  /**
   * Called with each function's IR, printed (ir/print.ts), as lowered (`pass` is 'lower') and after
   * each optimisation pass (`adjoint --dump-ir`). `functionKey` is `<module path>#<name>`.
   */
  onPass?: (pass: string, functionKey: string, printedIr: string) => void;
}

/** Prettier's options as a project's configuration file holds them (parser and plugins are Adjoint's). */
export type PrettierOptions = Record<string, unknown>;

/** A generated companion: `foo.grad.ts` for `foo.ts`. */
export interface CompanionOutput {
  /** The source file it was generated from (as given in `SourceFile.path`). */
  sourcePath: string;
  /** Where it belongs: `SourceFile.companionPath`, by default beside the source (`foo.ts` → `foo.grad.ts`). */
  companionPath: string;
  /** The full text of the companion. */
  text: string;
  /** The names of the marked functions it holds gradients for, in source order. */
  functions: string[];
}

export type DiagnosticCategory = 'error' | 'warning';

/** A position in a source file; line and column are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** Length of the offending text in characters (for the code frame's underline). */
  length: number;
}

export interface DiagnosticNote {
  message: string;
  location?: SourceLocation;
}

export interface Diagnostic {
  /** Stable code from the catalogue, e.g. `AD1003`. */
  code: string;
  category: DiagnosticCategory;
  message: string;
  location?: SourceLocation;
  /** How to fix it, where a fix exists. */
  fix?: string;
  notes?: DiagnosticNote[];
}

export interface CompileResult {
  /** One companion per file that has marked functions and no errors. */
  outputs: CompanionOutput[];
  /** Errors and warnings from every file, in file order then position order. */
  diagnostics: Diagnostic[];
  /**
   * The inputs that mark no function and have no error (an error, such as a malformed mark or a
   * syntax error, could hide one): they have no companion, and one generated earlier is stale.
   */
  unmarked: string[];
}
