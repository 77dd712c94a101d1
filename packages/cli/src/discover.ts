/** Turns the inputs of the command line into the list of source files to consider. */
import * as path from 'node:path';
import { createDiagnostic, isCompilableSourcePath, sourcePathFor, type Diagnostic } from '@adjoint/core';
import { describeError, errorCode, type FileSystem } from './file-system.js';
import { commonFolder, displayPath } from './paths.js';
import { isCompanionTemporary } from './temporary-files.js';

export interface Discovery {
  /** Absolute paths of the TypeScript sources found, without duplicates, in a stable order. */
  files: string[];
  /** Absolute paths of the companions (`foo.grad.ts`) found in the folders searched. */
  companions: string[];
  /** The companions' temporary files found there (temporary-files.ts). */
  temporaries: string[];
  /** The input folders (absolute). */
  folders: string[];
  /** The input files that are sources (absolute). */
  inputFiles: string[];
  /** The deepest folder holding every input; `--out-dir` mirrors paths relative to it. */
  base: string;
  /** Inputs that do not exist (AD5005) and folders that cannot be read (AD5001). */
  diagnostics: Diagnostic[];
  /** `.tsx` and `.jsx` files found, which are not compiled (a warning names those with marks). */
  notCompiled: string[];
}

/** TypeScript and JavaScript with JSX: not compiled, but named when they mark functions. */
const JSX_SOURCE = /\.[jt]sx$/;

/** Folders never searched: dependencies, build output, and dot-folders such as `.git`. */
function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || name === 'dist';
}

/**
 * Finds the sources named by `inputs`: files as given (if they are compilable TypeScript), and
 * folders searched recursively. The skip rules apply only inside folders, so a folder or file the
 * user names explicitly is always read. Symbolic links inside folders are not followed.
 */
export async function discoverSources(inputs: readonly string[], cwd: string, fs: FileSystem): Promise<Discovery> {
  const found = new Set<string>();
  const notCompiled = new Set<string>();
  const companions = new Set<string>();
  const temporaries = new Set<string>();
  const folders: string[] = [];
  const inputFiles: string[] = [];
  const inputFolders: string[] = [];
  const diagnostics: Diagnostic[] = [];

  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    let isFolder: boolean;
    try {
      isFolder = (await fs.stat(absolute)).isDirectory();
    } catch (error) {
      const code = errorCode(error);
      diagnostics.push(
        code === 'ENOENT' || code === 'ENOTDIR'
          ? createDiagnostic('AD5005', { path: input })
          : createDiagnostic('AD5001', { path: input, reason: describeError(error) }),
      );
      continue;
    }
    if (isFolder) {
      inputFolders.push(absolute);
      folders.push(absolute);
      await searchFolder(absolute, { fs, cwd, found, notCompiled, companions, temporaries, diagnostics });
    } else {
      inputFolders.push(path.dirname(absolute));
      if (isCompilableSourcePath(absolute)) {
        found.add(absolute);
        inputFiles.push(absolute);
      } else if (JSX_SOURCE.test(absolute)) notCompiled.add(absolute);
    }
  }

  return {
    files: [...found],
    companions: [...companions],
    temporaries: [...temporaries],
    folders,
    inputFiles,
    base: inputFolders.length > 0 ? commonFolder(inputFolders) : cwd,
    diagnostics,
    notCompiled: [...notCompiled],
  };
}

export interface Search {
  fs: FileSystem;
  cwd: string;
  found: Set<string>;
  notCompiled: Set<string>;
  companions: Set<string>;
  temporaries: Set<string>;
  diagnostics: Diagnostic[];
}

/** Collects the sources, companions and their temporary files of `folder` and of its subfolders (but those skipped). */
export async function searchFolder(folder: string, search: Search): Promise<void> {
  let entries;
  try {
    entries = await search.fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    search.diagnostics.push(createDiagnostic('AD5001', { path: displayPath(search.cwd, folder), reason: describeError(error) }));
    return;
  }
  // Sort by code unit, not locale, so that every machine visits files in the same order.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!isSkippedFolder(entry.name)) await searchFolder(entryPath, search);
    } else if (entry.isFile() && isCompilableSourcePath(entry.name)) {
      search.found.add(entryPath);
    } else if (entry.isFile() && JSX_SOURCE.test(entry.name)) {
      search.notCompiled.add(entryPath);
    } else if (entry.isFile() && sourcePathFor(entry.name) !== undefined) {
      search.companions.add(entryPath);
    } else if (entry.isFile() && isCompanionTemporary(entry.name)) {
      search.temporaries.add(entryPath);
    }
  }
}
