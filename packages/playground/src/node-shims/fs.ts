/**
 * `node:fs` and `node:fs/promises` in the browser, where there is no file system: the playground
 * hands the compiler every file's text, so nothing reads a file. ts-morph's real file system host
 * (never made here: the compiler uses its in-memory one) and the core's fallback for files given
 * without text (caught as a missing file) are the only readers, and they get this error.
 */
function unavailable(name: string): () => never {
  return () => {
    throw new Error(`${name}: there is no file system in the browser`);
  };
}

export const readFileSync = unavailable('readFileSync');
export const readFile = unavailable('readFile');
export default { readFileSync, readFile };
