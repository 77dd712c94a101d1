/**
 * The one catalogue of user-facing diagnostics. Every message the compiler or a shell reports has
 * a stable code here; nothing else invents a message. Codes by range:
 *   AD1xxx  the input program (what the parse and lower phases reject)
 *   AD2xxx  marks and options (`@differentiable(...)`)
 *   AD5xxx  files and the command line
 *   AD9xxx  bugs in Adjoint itself
 */
import type { DiagnosticCategory } from '../api.js';

export interface CatalogueEntry {
  category: DiagnosticCategory;
  /** The message, with `{0}`, `{1}` … filled from the arguments. */
  message: string;
  /** How to fix it, with the same placeholders; omitted where no fix exists. */
  fix?: string;
}

export const catalogue = {
  AD1001: {
    category: 'error',
    message: 'The source file has a syntax error: {0}',
    fix: 'Fix the syntax error; companions are generated only for files that parse.',
  },
  AD1002: {
    category: 'error',
    message: '{0} is not supported in a differentiable function yet.',
    fix: 'Rewrite it with the supported subset (see "What is supported" in the README), or move it out of the function marked @differentiable.',
  },
  AD1003: {
    category: 'error',
    message: "Parameter '{0}' has type '{1}', which Adjoint cannot differentiate yet.",
    fix: 'Give the parameter a type made of numbers: number, number[], Float64Array or Float32Array, a tuple, or an object with number fields (nested alike), or boolean.',
  },
  AD1004: {
    category: 'error',
    message: "'{0}' must return a number to have a gradient, but it returns '{1}'.",
    fix: 'Return a single number (for example a loss or an energy).',
  },
  AD1005: {
    category: 'error',
    message: "'{0}' is not a function Adjoint has a derivative rule for.",
    fix: 'Use one of the Math functions listed in the README, or compute the value outside the differentiable function.',
  },
  AD1006: {
    category: 'error',
    message: "'{0}' refers to {1}, which a differentiable function cannot read.",
    fix: 'Pass the value in as a parameter, or make it a module-level const initialised with a number.',
  },
  AD1008: {
    category: 'error',
    message: "'{0}' is a constant and cannot be assigned to.",
    fix: "Declare it with 'let' instead of 'const'.",
  },
  AD1009: {
    category: 'error',
    message: "'{0}' is used before it is given a value.",
    fix: 'Initialise the variable where it is declared.',
  },
  AD1010: {
    category: 'error',
    message: "The function '{0}' has no body to differentiate.",
    fix: 'Give it a body, or remove the @differentiable mark.',
  },
  AD1011: {
    category: 'error',
    message: "Parameter '{0}' is written with a pattern, a default value or '...', which Adjoint does not support yet.",
    fix: 'Declare it as a plain named parameter.',
  },
  AD1012: {
    category: 'error',
    message: "'{0}' has no body to differentiate and no derivative rule.",
    fix: "Give '{0}' a body in this project, or write its derivative: an exported function marked /** @adjointOf {0} */ taking {0}'s arguments and the adjoint of its result, and returning the adjoint of each argument.",
  },
  AD1013: {
    category: 'error',
    message: "'{0}' returns (part of) its parameter '{1}': a function whose result shares storage with an argument cannot be differentiated yet.",
    fix: 'Return a copy, for example with .slice().',
  },
  AD1014: {
    category: 'error',
    message: "'{0}' returns {1}; a function called from a differentiable function must return a number, an array or an object of numbers, or nothing.",
    fix: 'Return numbers (or write the results into an array argument).',
  },
  AD2001: {
    category: 'error',
    message: "The mark '{0}' cannot be read: {1}",
    fix: 'Write the mark as /** @differentiable */ or /** @differentiable(wrt: x, y) */.',
  },
  AD2002: {
    category: 'error',
    message: "'wrt' names '{0}', which is not a parameter of '{1}'.",
    fix: 'Name parameters of the function: {2}.',
  },
  AD2003: {
    category: 'error',
    message: "@differentiable marks {0}; only function declarations and functions assigned to a 'const' can be marked.",
    fix: 'Move the mark to a function declaration, or assign the function to a const.',
  },
  AD2004: {
    category: 'warning',
    message: "The result of '{0}' does not depend on '{1}': its gradient is always zero.",
    fix: "Drop '{1}' from the differentiated parameters with @differentiable(wrt: ...), or check the function.",
  },
  AD2005: {
    category: 'error',
    message: "The option '{0}' of @differentiable is not supported yet.",
    fix: 'Use @differentiable or @differentiable(wrt: x, y).',
  },
  AD2006: {
    category: 'error',
    message: "@adjointOf names '{0}', which is not a function declared in or imported into this module.",
    fix: "Name a function of this module, or import '{0}' here.",
  },
  AD2007: {
    category: 'error',
    message: "The derivative rule '{0}' must be exported: the generated companion calls it.",
    fix: "Add 'export' to '{0}'.",
  },
  AD2008: {
    category: 'error',
    message: "The derivative rule '{0}' does not fit '{1}': {2}",
    fix: "Declare it as ({3}) => {4}: {1}'s parameters, then the adjoint of its result, returning the adjoint of each number-holding parameter by name.",
  },
  AD5001: {
    category: 'error',
    message: "Cannot read '{0}': {1}",
  },
  AD5002: {
    category: 'error',
    message: "Refusing to overwrite '{0}': it exists and was not generated by Adjoint.",
    fix: 'Rename or move that file; Adjoint only replaces files that start with its generated-file header.',
  },
  AD5003: {
    category: 'error',
    message: "Cannot write '{0}': {1}",
  },
  AD5004: {
    category: 'error',
    message: "'{0}' is missing or out of date.",
    fix: 'Run adjoint without --check to regenerate it.',
  },
  AD5005: {
    category: 'error',
    message: "No such file or directory: '{0}'.",
  },
  AD5006: {
    category: 'warning',
    message: "Cannot save the cache '{0}': {1}",
    fix: 'The companions are up to date, but the next run compiles every file again. Make the folder writable, pass --cache-dir <dir>, or --no-cache.',
  },
  AD9001: {
    category: 'error',
    message: "Internal error in Adjoint while compiling '{0}': {1}",
    fix: 'This is a bug in Adjoint, not in your code. Please report it with the function that triggers it.',
  },
} satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof catalogue;
