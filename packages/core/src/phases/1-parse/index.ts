/**
 * Phase 1: parse. Loads the files into ts-morph, reports syntax errors, and finds the functions
 * marked `@differentiable` and the module-level constants they may read.
 */
import { Node, Project, SyntaxKind, ts, type JSDoc, type SourceFile as MorphSourceFile } from 'ts-morph';
import type { Diagnostic, SourceFile } from '../../api.js';
import { createDiagnostic } from '../../diagnostics/create.js';
import { countBelow, lineAndColumnAt, locationOf } from './location.js';
import { intendedMark, markTagPositions, mayHoldMark, readMarkOf, strayMarks, type MarkOptions, type StrayMark } from './marks.js';
import { shareLibFiles } from './shared-lib-files.js';
import { deepestBrackets, MAX_NESTING, tooDeeplyNested } from './nesting.js';
import { collectRules, functionDeclaredAs, type RuleFunction } from './rules.js';
import * as posix from '../../posix-path.js';
import type { FunctionNode } from './function-node.js';
import { classMemberMarkTarget, displayName } from './class-members.js';

export type { RuleFunction } from './rules.js';

export type { FunctionNode } from './function-node.js';

export interface MarkedFunction {
  name: string;
  node: FunctionNode;
  /** The JSDoc comment holding the mark: where errors about the mark point. */
  mark: JSDoc;
  options: MarkOptions;
}

export interface ParsedFile {
  path: string;
  text: string;
  sourceFile: MorphSourceFile;
  functions: MarkedFunction[];
  /** Derivative rules defined in the file (`@adjointOf f`). */
  rules: RuleFunction[];
  /** Top-level `const` declarations, by name: the module state a function may read. */
  moduleConstants: Map<string, import('ts-morph').VariableDeclaration>;
  diagnostics: Diagnostic[];
  /**
   * Those of `diagnostics` that concern one mark only (it cannot be read, it is repeated, it is on
   * something that is not a function, or it is a stray comment): they cost the function it marks
   * its gradient, not the file's other functions theirs.
   */
  markErrors: Set<Diagnostic>;
}

export interface ParsedProgram {
  /** The files handed to the compiler, in order. */
  inputs: ParsedFile[];
  /** The parsed file of any source file of the project (inputs and the modules they import). */
  fileOf(sourceFile: MorphSourceFile): ParsedFile;
  isProjectFile(sourceFile: MorphSourceFile): boolean;
  /** A module and the project modules it imports, directly or not. */
  closureOf(file: ParsedFile): Set<MorphSourceFile>;
  /** Derivative rules written by users (`@adjointOf f`), by the declaration of f. */
  rules: Map<Node, RuleFunction>;
}

export function parseProgram(files: Array<Required<SourceFile>>, readSource: (path: string) => string | undefined): ParsedProgram {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noImplicitReturns: true,
    },
  });
  shareLibFiles(project);
  const parsed = new Map<MorphSourceFile, ParsedFile>();
  const given = new Map(files.map((f) => [inMemoryPath(f.path), f.text]));
  const texts = new Map<string, string | undefined>();
  const textOf = (path: string) => {
    if (!texts.has(path)) texts.set(path, given.get(inMemoryPath(path)) ?? readSource(path));
    return texts.get(path);
  };
  const add = (path: string, text: string): ParsedFile => {
    let file: ParsedFile;
    try {
      file = parseFile(path, text, project.createSourceFile(inMemoryPath(path), text, { overwrite: true }));
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      // TypeScript's parser ran out of stack: the file stands in empty, with the error
      file = unreadableFile(path, text, project.createSourceFile(inMemoryPath(path), '', { overwrite: true }));
    }
    parsed.set(file.sourceFile, file);
    return file;
  };
  const inputs = files.map(({ path, text }) => add(path, text));
  // The relative imports of the inputs, and theirs in turn: callees and rules may live there.
  const pending = [...inputs];
  for (let file = pending.pop(); file; file = pending.pop()) {
    for (const specifier of relativeImports(file.sourceFile)) {
      const target = resolveModulePath(file.path, specifier, (p) => textOf(p) !== undefined);
      if (!target || project.getSourceFile(inMemoryPath(target))) continue;
      pending.push(add(target, textOf(target)!));
    }
  }
  const rules = new Map<Node, RuleFunction>();
  for (const file of parsed.values()) {
    for (const rule of file.rules) {
      const target = functionDeclaredAs(file.sourceFile, rule.targetName);
      if (target) rules.set(target, rule);
      else file.diagnostics.push(createDiagnostic('AD2006', { name: rule.targetName }, rule.location));
    }
  }
  const closureOf = (file: ParsedFile) => {
    const reached = new Set<MorphSourceFile>([file.sourceFile]);
    const pending = [file];
    for (let next = pending.pop(); next; next = pending.pop()) {
      for (const specifier of relativeImports(next.sourceFile)) {
        const target = resolveModulePath(next.path, specifier, (p) => textOf(p) !== undefined);
        const sourceFile = target && project.getSourceFile(inMemoryPath(target));
        if (sourceFile && !reached.has(sourceFile)) {
          reached.add(sourceFile);
          pending.push(parsed.get(sourceFile)!);
        }
      }
    }
    return reached;
  };
  return {
    inputs,
    fileOf: (sourceFile) => parsed.get(sourceFile)!,
    isProjectFile: (sourceFile) => parsed.has(sourceFile),
    closureOf,
    rules,
  };
}

function relativeImports(sourceFile: MorphSourceFile): string[] {
  return (
    sourceFile
      .getImportDeclarations()
      .map((i) => i.compilerNode.moduleSpecifier)
      // (a broken import has no string to follow: its syntax error is reported instead)
      .flatMap((specifier) => (specifier && ts.isStringLiteral(specifier) ? [specifier.text] : []))
      .filter((s) => s.startsWith('./') || s.startsWith('../'))
  );
}

/** The file a relative import names: `./b`, `./b.js` or `./b.ts` may all mean b.ts. */
function resolveModulePath(importer: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  const base = posix.join(posix.dirname(importer), specifier).replace(/\.(m|c)?js$/, '');
  const candidates = [`${base}.ts`, `${base}.mts`, `${base}.cts`, `${base}/index.ts`, base];
  return candidates.find((candidate) => /\.(m|c)?ts$/.test(candidate) && exists(candidate));
}

/** The in-memory file system wants absolute paths; diagnostics keep the path the caller gave. */
function inMemoryPath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** A file TypeScript's parser could not read: AD1151 where its brackets nest deepest. */
function unreadableFile(path: string, text: string, placeholder: MorphSourceFile): ParsedFile {
  const { position, depth } = deepestBrackets(text);
  const lines = text.slice(0, position).split('\n');
  const location = { file: path, line: lines.length, column: lines.at(-1)!.length + 1, length: 1 };
  const reason = `TypeScript's parser runs out of stack reading it (its brackets nest ${depth} deep here), and Adjoint reads code nested at most ${MAX_NESTING} levels deep`;
  return {
    path,
    text,
    sourceFile: placeholder,
    functions: [],
    rules: [],
    moduleConstants: new Map(),
    diagnostics: [createDiagnostic('AD1151', { reason }, location)],
    markErrors: new Set(),
  };
}

function parseFile(path: string, text: string, sourceFile: MorphSourceFile): ParsedFile {
  const parsed: ParsedFile = {
    path,
    text,
    sourceFile,
    functions: [],
    rules: [],
    moduleConstants: new Map(),
    diagnostics: [],
    markErrors: new Set(),
  };
  const syntaxErrors = sourceFile.getProject().getProgram().compilerObject.getSyntacticDiagnostics(sourceFile.compilerNode);
  for (const error of syntaxErrors) {
    const start = error.start ?? 0;
    const { line, column } = lineAndColumnAt(sourceFile, start);
    const message = ts.flattenDiagnosticMessageText(error.messageText, ' ');
    parsed.diagnostics.push(createDiagnostic('AD1001', { error: message }, { file: path, line, column, length: error.length ?? 1 }));
  }
  // an import from something other than a string is a grammar error TypeScript's parser lets through
  for (const declaration of sourceFile.getImportDeclarations()) {
    const specifier = declaration.compilerNode.moduleSpecifier;
    if (specifier && !ts.isStringLiteral(specifier)) {
      const { line, column } = lineAndColumnAt(sourceFile, specifier.getStart());
      parsed.diagnostics.push(
        createDiagnostic('AD1001', { error: 'a module name must be a string' }, { file: path, line, column, length: specifier.getWidth() }),
      );
    }
  }
  if (parsed.diagnostics.length > 0) return parsed;
  const deep = tooDeeplyNested(sourceFile.compilerNode);
  if (deep) {
    const start = deep.node.getStart(sourceFile.compilerNode);
    const reason = `it nests ${deep.depth} levels deep, and Adjoint reads code nested at most ${MAX_NESTING} levels deep (TypeScript's own checker runs out of stack not far beyond)`;
    parsed.diagnostics.push(
      createDiagnostic(
        'AD1151',
        { reason },
        { file: path, ...lineAndColumnAt(sourceFile, start), length: Math.max(1, deep.node.getEnd() - start) },
      ),
    );
    return parsed;
  }

  for (const statement of sourceFile.getVariableStatements()) {
    if (statement.getDeclarationKind() !== 'const') continue;
    for (const declaration of statement.getDeclarations()) parsed.moduleConstants.set(declaration.getName(), declaration);
  }
  if (mayHoldMark(text)) {
    const marks = collectMarkedFunctions(parsed);
    for (const stray of strayMarks(parsed.sourceFile, marks)) {
      const diagnostic = strayMarkDiagnostic(parsed, stray);
      parsed.diagnostics.push(diagnostic);
      parsed.markErrors.add(diagnostic);
    }
  }
  if (text.includes('@adjointOf')) parsed.rules.push(...collectRules(parsed.sourceFile, parsed.path, parsed.diagnostics));
  return parsed;
}

/** Finds the marked functions, reporting marks that cannot be read; returns the positions of the marks read. */
function collectMarkedFunctions(parsed: ParsedFile): Set<number> {
  // A mark lies in a JSDoc comment, inside the range of the node it documents: subtrees whose text
  // holds no '@differentiable' are skipped, so a long function's body is not walked node by node.
  const text = parsed.sourceFile.getFullText();
  const markPositions: number[] = [];
  const read = new Set<number>();
  for (let at = text.indexOf('@differentiable'); at >= 0; at = text.indexOf('@differentiable', at + 1)) markPositions.push(at);
  parsed.sourceFile.forEachDescendant((node, traversal) => {
    if (!hasPositionIn(markPositions, node.getPos(), node.getEnd())) {
      traversal.skip();
      return;
    }
    const mark = readMarkOf(node);
    if (!mark) return;
    markTagPositions(node).forEach((at) => read.add(at));
    const location = locationOf(mark.comment, parsed.path);
    const markError = (diagnostic: Diagnostic) => {
      parsed.diagnostics.push(diagnostic);
      parsed.markErrors.add(diagnostic);
    };
    if (mark.kind === 'invalid') {
      markError(createDiagnostic('AD2001', { mark: mark.text, reason: mark.reason }, location));
      return;
    }
    if (mark.kind === 'repeated') {
      markError(createDiagnostic('AD2009', {}, locationOf(mark.second, parsed.path)));
      return;
    }
    const target = markTarget(node);
    if (typeof target === 'string') {
      markError(createDiagnostic('AD2003', { target }, location));
      return;
    }
    // a method's exports are named after its class: Linear.loss's are grad_Linear_loss, …
    const clash = parsed.functions.find((f) => f.name === target.name);
    if (clash) {
      markError(
        createDiagnostic(
          'AD2013',
          { first: displayName(clash.node, clash.name), second: displayName(target.node, target.name), exportName: target.name },
          location,
        ),
      );
      return;
    }
    parsed.functions.push({ ...target, mark: mark.comment, options: mark.options });
  });
  return read;
}

/**
 * A comment that looks like a mark but is not read as one: a warning saying what to write instead,
 * or, for a JSDoc mark that documents no declaration, AD2003.
 */
function strayMarkDiagnostic(parsed: ParsedFile, stray: StrayMark): Diagnostic {
  const { line, column } = lineAndColumnAt(parsed.sourceFile, stray.at);
  const location = { file: parsed.path, line, column, length: stray.text.length };
  const exact = stray.word === 'differentiable';
  if (exact && stray.comment === 'jsdoc')
    return createDiagnostic('AD2003', { target: 'nothing: no declaration follows the comment' }, location);
  const reasons = [
    ...(stray.comment === 'line' ? ["it is a '//' comment, not a JSDoc comment"] : []),
    ...(stray.comment === 'block' ? ["it is a '/*' comment, not a JSDoc comment ('/**')"] : []),
    ...(exact ? [] : [`the tag is spelled '@differentiable', not '@${stray.word}'`]),
  ];
  return createDiagnostic('AD2011', { comment: stray.text, reason: reasons.join(', and '), mark: intendedMark(stray) }, location);
}

/** True when a position of the ascending `positions` is in [start, end): one binary search, not a scan per node. */
function hasPositionIn(positions: number[], start: number, end: number): boolean {
  const below = countBelow(positions, start);
  return below < positions.length && positions[below]! < end;
}

/** The function a mark applies to, or a description of what it was put on instead. */
function markTarget(node: Node): { name: string; node: FunctionNode } | string {
  const member = classMemberMarkTarget(node);
  if (member !== undefined) return member;
  const topLevel = node.getParent()?.getKind() === SyntaxKind.SourceFile;
  if (Node.isFunctionDeclaration(node)) {
    const name = node.getName();
    if (!topLevel) return 'a nested function declaration';
    if (!name) return 'a function without a name';
    return { name, node };
  }
  if (Node.isVariableStatement(node)) {
    if (!topLevel) return 'a local variable';
    if (node.getDeclarationKind() !== 'const') return `a '${node.getDeclarationKind()}' declaration`;
    const declarations = node.getDeclarations();
    const declaration = declarations[0];
    if (declarations.length !== 1 || !declaration) return 'a const statement declaring several names';
    const init = declaration.getInitializer();
    if (!init || !(Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return 'a const that does not hold a function';
    if (!Node.isIdentifier(declaration.getNameNode())) return 'a destructuring declaration';
    return { name: declaration.getName(), node: init };
  }
  return `${describeKind(node)}`;
}

/** A declaration or statement in words: 'a class', 'an expression statement'. */
function describeKind(node: Node): string {
  if (Node.isClassDeclaration(node)) return 'a class';
  if (Node.isPropertyDeclaration(node)) return 'a class property';
  const words = node
    .getKindName()
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}
