/**
 * TypeScript's lib files (lib.es2022.full.d.ts and the dozens it references), parsed and bound once
 * per process instead of once per compilation. Every compilation makes a ts-morph Project of its
 * own, and each parsed the libs anew: about 0.2 s, and 0.07 s more to bind them for its checker,
 * most of a small file's compile time (a cpu profile of repeated compiles). TypeScript's language
 * service shares lib files between programs the same way: a checker keeps what it learns about a
 * file's symbols to itself, and binding (stored on the file) depends only on the compiler options,
 * which are part of the key here.
 */
import type { Project, SourceFile, ts } from 'ts-morph';

/** Where ts-morph's in-memory file system serves the lib files from. */
const LIB_FOLDER = '/node_modules/typescript/lib/';

/** ts-morph's document registry: every source file of a Project is parsed through it. */
interface DocumentRegistry {
  createOrUpdateSourceFile(
    fileName: string,
    settings: ts.CompilerOptions,
    snapshot: ts.IScriptSnapshot,
    scriptKind?: ts.ScriptKind,
  ): ts.SourceFile;
}

const libFiles = new Map<string, ts.SourceFile>();

/** True for one of TypeScript's lib files: where JavaScript's built-ins (`Math`, `NaN`, …) are declared. */
export function isLibFile(sourceFile: SourceFile): boolean {
  return sourceFile.getFilePath().startsWith(LIB_FOLDER);
}

/** Makes `project` take its lib files from (and give them to) the ones parsed by earlier projects. */
export function shareLibFiles(project: Project): void {
  // not part of ts-morph's declared API: another version without it parses its own libs
  const registry = (project as unknown as { _context?: { compilerFactory?: { documentRegistry?: DocumentRegistry } } })._context
    ?.compilerFactory?.documentRegistry;
  if (typeof registry?.createOrUpdateSourceFile !== 'function') return;
  const parse = registry.createOrUpdateSourceFile.bind(registry);
  registry.createOrUpdateSourceFile = (fileName, settings, snapshot, scriptKind) => {
    if (!fileName.startsWith(LIB_FOLDER)) return parse(fileName, settings, snapshot, scriptKind);
    const key = `${JSON.stringify(settings)} ${fileName}`;
    const text = snapshot.getText(0, snapshot.getLength());
    let sourceFile = libFiles.get(key);
    if (sourceFile?.text !== text) {
      sourceFile = parse(fileName, settings, snapshot, scriptKind);
      libFiles.set(key, sourceFile);
    }
    return sourceFile;
  };
}
