/** A Node built-in that a dependency imports but never calls in the browser (`node:os` in ts-morph). */
export default {};
