/** path-browserify is Node's POSIX path module, ported: it has its types. */
declare module 'path-browserify' {
  const path: typeof import('node:path').posix;
  export default path;
}
