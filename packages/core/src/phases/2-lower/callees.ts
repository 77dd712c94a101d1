/**
 * Finding the functions a differentiable function calls. A callee is a function of the project
 * (same module or imported, exported or not, marked or not) with a body, which is differentiated
 * too, or any function, with or without a body, that has a user's derivative rule (`@adjointOf`).
 * A copy of a function made for the functions it is given, or of a local function that recurses
 * (specialise.ts), is a callee too, which its Specialisation describes.
 */
import { Node, SyntaxKind, type Identifier, type MethodDeclaration } from 'ts-morph';
import { RUNTIME_PACKAGE } from '../../runtime/helpers.js';
import type { FunctionNode, ParsedFile, ParsedProgram, RuleFunction } from '../1-parse/index.js';
import type { Type } from '../../ir/ssa.js';
import { methodFunctionName } from '../1-parse/class-members.js';
import { describeShape, type ThisShape } from './this-shape.js';

export interface Callee {
  /** Unique in the program: the declaring module's path and the function's name. */
  key: string;
  name: string;
  /** The module that declares it; undefined for a function from outside the project. */
  file?: ParsedFile;
  /** The function itself; undefined when it is declared without a body. */
  node?: FunctionNode;
  /** The declaration the name resolves to (for diagnostics). */
  declaration: Node;
  rule?: RuleFunction;
  /**
   * Declared with `declare function` as a global (not exported from a module): the companion calls
   * it by name, as the source does. An `export declare function` is imported like any other.
   */
  ambient: boolean;
  /** For a function imported from a package: the package, which the companion imports it from too. */
  packageName?: string;
  /** Its parameters' names: the keys of the adjoints its backprop or rule returns. */
  paramNames: string[];
  /** For a copy of a function specialised for the functions it is given, or of a lifted local function (specialise.ts). */
  specialisation?: Specialisation;
  /** For an instance method (methods.ts): the fields of `this` it is lowered with, its first parameter. */
  thisShape?: ThisShape;
}

/** A function as a copy names it: independent of the context it was written in. */
export type MovedFunction =
  | { kind: 'callee'; callee: Callee }
  | { kind: 'math'; op: string; arity: number | 'variadic' }
  /** A local function, lowered in place where the copy calls it; its free names denote `names`. */
  | { kind: 'local'; node: Exclude<FunctionNode, MethodDeclaration>; name: string; names: Map<string, NameTarget> }
  /** A lifted local function, called with these of the copy's captures after its arguments. */
  | { kind: 'lifted'; callee: Callee; captures: number[] };

/** What a free name of a moved local function denotes in the copy: one of its captures, or a function. */
export type NameTarget = { kind: 'capture'; index: number } | { kind: 'function'; fn: MovedFunction };

/** How a copy differs from the function it copies (specialise.ts). */
export interface Specialisation {
  /** Parameters (by index) bound to functions: they are not parameters of the copy. */
  functionParams: Map<number, MovedFunction>;
  /** The parameters the copy takes after its own: the captured variables, named apart from its own parameters. */
  captures: Array<{ name: string; type: Type }>;
  /** For a lifted local function: what its free names denote. */
  names?: Map<string, NameTarget>;
}

export type CalleeLookup = { kind: 'callee'; callee: Callee } | { kind: 'stop-gradient' } | { kind: 'not-a-function' };

export class CalleeResolver {
  private visibleRule(declaration: Node): RuleFunction | undefined {
    const rule = this.program.rules.get(declaration);
    if (!rule) return undefined;
    const ruleModule = rule.node.getSourceFile();
    return this.visible.has(ruleModule) || ruleModule === declaration.getSourceFile() ? rule : undefined;
  }

  /** Every callee found so far, by key, in the order found. */
  readonly callees = new Map<string, Callee>();

  constructor(
    private readonly program: ParsedProgram,
    /** The modules whose derivative rules apply (a callee's own module's rules always do). */
    private readonly visible: ReadonlySet<import('ts-morph').SourceFile>,
  ) {}

  /** The parsed module of a source file of the project; undefined for a library's. */
  projectFileOf(sourceFile: import('ts-morph').SourceFile): ParsedFile | undefined {
    return this.program.isProjectFile(sourceFile) ? this.program.fileOf(sourceFile) : undefined;
  }

  /** The copies made so far, by what they are made of. */
  private readonly copies = new Map<string, Callee>();

  /** The copy of `helper` for the functions it is given (specialise.ts), made once per description. */
  specialised(helper: Callee, description: string, name: string, paramNames: string[], specialisation: Specialisation): Callee {
    return this.copy(description, () => ({ ...helper, rule: undefined, name, paramNames, specialisation }), helper.file!.path, name);
  }

  /** The copy of a local function lowered as a function of its own (it recurses). */
  lifted(
    file: ParsedFile,
    node: FunctionNode,
    description: string,
    name: string,
    paramNames: string[],
    specialisation: Specialisation,
  ): Callee {
    return this.copy(
      description,
      () => ({ name, file, node, declaration: node, ambient: false, paramNames, specialisation }),
      file.path,
      name,
    );
  }

  /**
   * A method of a class of the project, lowered as a function (methods.ts): an instance method once
   * per shape of `this`, which it takes first. Undefined for one without a body.
   */
  method(node: MethodDeclaration, shape: ThisShape | undefined): Callee | undefined {
    const file = this.projectFileOf(node.getSourceFile());
    const name = methodFunctionName(node);
    if (!file || !name || !node.getBody()) return undefined;
    const params = node.getParameters().map((p) => p.getName());
    const description = `${file.path}#${name}:${node.getStart()}${shape ? describeShape(shape) : ''}`;
    return this.copy(
      description,
      () => ({ name, file, node, declaration: node, ambient: false, paramNames: shape ? ['this', ...params] : params, thisShape: shape }),
      file.path,
      name,
    );
  }

  private copy(description: string, make: () => Omit<Callee, 'key'>, path: string, name: string): Callee {
    const known = this.copies.get(description);
    if (known) return known;
    const callee: Callee = { ...make(), key: copyKey(path, name, description, (key) => this.callees.has(key)) };
    this.copies.set(description, callee);
    this.callees.set(callee.key, callee);
    return callee;
  }

  /** The function a called name denotes: `f` in `f(x)`, or `f` in `ns.f(x)` (see namespaceMember). */
  resolve(identifier: Identifier): CalleeLookup {
    const symbol = identifier.getSymbol();
    const importSpecifier = symbol?.getDeclarations().find(Node.isImportSpecifier);
    // the import the name comes through: `import { f } from 'm'`, or `import * as ns from 'm'`
    const importDeclaration =
      importSpecifier?.getImportDeclaration() ?? namespaceOf(identifier)?.getFirstAncestorByKind(SyntaxKind.ImportDeclaration);
    const module = importDeclaration?.getModuleSpecifierValue();
    // stopGradient lives in @adjoint/runtime; @adjoint/core re-exports it (older code imports it from there)
    if (
      (module === RUNTIME_PACKAGE || module === '@adjoint/core') &&
      (importSpecifier?.getName() ?? identifier.getText()) === 'stopGradient'
    )
      return { kind: 'stop-gradient' };
    const aliased = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
    const declaration = aliased?.getDeclarations()[0] ?? importSpecifier;
    if (!declaration) return { kind: 'not-a-function' };

    let node: FunctionNode | undefined;
    if (Node.isFunctionDeclaration(declaration)) node = declaration.getImplementation() ?? declaration;
    else if (Node.isVariableDeclaration(declaration)) {
      const init = declaration.getInitializer();
      if (!init || !(Node.isArrowFunction(init) || Node.isFunctionExpression(init))) return { kind: 'not-a-function' };
      node = init;
    } else if (!Node.isImportSpecifier(declaration)) {
      return { kind: 'not-a-function' };
    }
    const file =
      node && this.program.isProjectFile(declaration.getSourceFile()) ? this.program.fileOf(declaration.getSourceFile()) : undefined;
    // the declared name (an import may rename it)
    const name = aliased?.getDeclarations().length ? aliased.getName() : (importSpecifier?.getName() ?? identifier.getText());
    const key = `${file?.path ?? importDeclaration?.getModuleSpecifierValue() ?? '?'}#${name}`;
    const existing = this.callees.get(key);
    if (existing) return { kind: 'callee', callee: existing };
    const hasBody = node !== undefined && node.getBody() !== undefined && file !== undefined;
    const callee: Callee = {
      key,
      name,
      file,
      node: hasBody ? node : undefined,
      declaration: node ?? declaration,
      rule: this.visibleRule(declaration),
      ambient: Node.isFunctionDeclaration(declaration) && declaration.hasDeclareKeyword() && !declaration.isExported(),
      packageName: file ? undefined : importDeclaration?.getModuleSpecifierValue(),
      paramNames: parameterNames(node ?? declaration),
    };
    this.callees.set(key, callee);
    return { kind: 'callee', callee };
  }
}

/**
 * The key of a copy: its function's module, the name it is emitted under, and a hash of what it is
 * made of (`description`); two copies made of the same are one.
 */
function copyKey(path: string, name: string, description: string, taken: (key: string) => boolean): string {
  // FNV-1a, 32 bits: short, and stable from run to run
  let hash = 0x811c9dc5;
  for (let i = 0; i < description.length; i++) hash = Math.imul(hash ^ description.charCodeAt(i), 0x01000193) >>> 0;
  let key = `${path}#${name}~${hash.toString(16).padStart(8, '0')}`;
  for (let k = 2; taken(key); k++) key = `${path}#${name}~${hash.toString(16).padStart(8, '0')}.${k}`;
  return key;
}

/**
 * The called name of `ns.f(…)` where `ns` is a namespace import (`import * as ns from './m'`):
 * a call of m's function f, as `f(…)` would be after `import { f } from './m'`.
 */
export function namespaceMember(callee: Node): Identifier | undefined {
  if (!Node.isPropertyAccessExpression(callee) || callee.hasQuestionDotToken()) return undefined;
  const name = callee.getNameNode();
  return Node.isIdentifier(name) && namespaceOf(name) ? name : undefined;
}

/** The namespace import `ns` of a name read as `ns.name`, if it is one. */
export function namespaceOf(identifier: Identifier): import('ts-morph').NamespaceImport | undefined {
  const parent = identifier.getParent();
  if (!Node.isPropertyAccessExpression(parent) || parent.getNameNode() !== identifier) return undefined;
  const object = parent.getExpression();
  return Node.isIdentifier(object) ? object.getSymbol()?.getDeclarations().find(Node.isNamespaceImport) : undefined;
}

function parameterNames(node: Node): string[] {
  if (Node.isFunctionDeclaration(node) || Node.isArrowFunction(node) || Node.isFunctionExpression(node))
    return node.getParameters().map((p) => p.getName());
  return [];
}
