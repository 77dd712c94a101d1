/**
 * The one catalogue of user-facing diagnostics. Every message the compiler or a shell reports has
 * a stable code here; nothing else invents a message. Codes by range:
 *   AD1xxx  the input program (what the parse and lower phases reject)
 *   AD2xxx  marks and options (`@differentiable(...)`, `// @checkpoint(...)`)
 *   AD5xxx  files and the command line
 *   AD9xxx  bugs in Adjoint itself
 */
import type { DiagnosticCategory } from '../api.js';

export interface CatalogueEntry {
  category: DiagnosticCategory;
  /** The message, with each `{name}` filled from the argument of that name. */
  message: string;
  /** How to fix it, with the same placeholders; omitted where no fix exists. */
  fix?: string;
}

export const catalogue = {
  AD1001: {
    category: 'error',
    message: 'The source file has a syntax error: {error}',
    fix: 'Fix the syntax error; companions are generated only for files that parse.',
  },
  AD1002: {
    category: 'error',
    message: "'{source}' is not supported in a differentiable function.",
    fix: "Rewrite it with the supported subset (see Adjoint's docs/supported.md), or move it out of the function marked @differentiable.",
  },
  AD1003: {
    category: 'error',
    message: "Parameter '{parameter}' has type '{type}', which Adjoint cannot differentiate yet.",
    fix: 'Give the parameter a type made of numbers: number, number[], Float64Array or Float32Array, a tuple, or an object with number fields (nested alike), or boolean.',
  },
  AD1004: {
    category: 'error',
    message: "'{function}' must return a number, or numbers in an array or object, to be differentiated, but it returns '{type}'.",
    fix: 'Return a single number (for example a loss or an energy), or an array, tuple or object of numbers (for a Jacobian).',
  },
  AD1005: {
    category: 'error',
    message: "'{callee}' is not a function Adjoint has a derivative rule for.",
    fix: "Use one of the Math functions listed in Adjoint's docs/supported.md, or compute the value outside the differentiable function.",
  },
  AD1006: {
    category: 'error',
    message: "'{source}' refers to {what}, which a differentiable function cannot read.",
    fix: 'Pass the value in as a parameter, or make it a module-level const initialised with a number.',
  },
  AD1008: {
    category: 'error',
    message: "'{name}' is a constant and cannot be assigned to.",
    fix: "Declare it with 'let' instead of 'const'.",
  },
  AD1009: {
    category: 'error',
    message: "'{name}' is used before it is given a value.",
    fix: 'Initialise the variable where it is declared.',
  },
  AD1010: {
    category: 'error',
    message: "The function '{function}' has no body to differentiate.",
    fix: 'Give it a body, or remove the @differentiable mark.',
  },
  AD1011: {
    category: 'error',
    message: "Parameter '{parameter}' {problem}, which Adjoint does not support yet.",
    fix: 'Declare it as a plain named parameter: {instead}',
  },
  AD1012: {
    category: 'error',
    message: "'{callee}' has no body to differentiate and no derivative rule.",
    fix: "Give '{callee}' a body in this project, or write its derivative: an exported function marked /** @adjointOf {callee} */ taking {callee}'s arguments and the adjoint of its result, and returning the adjoint of each argument.",
  },
  AD1013: {
    category: 'error',
    message:
      "'{function}' returns (part of) its parameter '{parameter}': a function whose result shares storage with an argument cannot be differentiated yet.",
    fix: 'Return a copy, for example with .slice().',
  },
  AD1014: {
    category: 'error',
    message:
      "'{function}' returns {type}; a function called from a differentiable function must return a number, an array or an object of numbers, or nothing.",
    fix: 'Return numbers (or write the results into an array argument).',
  },
  AD1015: {
    category: 'error',
    message: 'TypeScript reports {error}: {explanation}',
    fix: 'Fix the type error: Adjoint differentiates a function only when its values are what its types say.',
  },
  AD1016: {
    category: 'error',
    message: "'{name}' is imported from '{module}', which {problem}.",
    fix: "Import '{name}' from the module that declares it. A companion (x.grad) exports grad_f, valueAndGrad_f and the other gradients of each marked f, not f itself.",
  },
  AD1101: {
    category: 'error',
    message:
      "'{source}': a class declared inside a differentiable function, 'this' outside a method, and 'new.target' are not supported, since Adjoint cannot follow the state they carry.",
    fix: 'Declare the class at module level and mark its method (/** @differentiable */ on the method reads fields of this), or pass the values as parameters (an object parameter with number fields is supported).',
  },
  AD1103: {
    category: 'error',
    message: "'{source}': exceptions cannot be differentiated: a throw leaves the path the reverse sweep replays.",
    fix: "Test the condition with 'if' and return a value (NaN, for instance) instead of throwing.",
  },
  AD1104: {
    category: 'error',
    message: "'{source}': asynchronous code cannot be differentiated.",
    fix: 'Await the inputs before calling the differentiable function, and keep it synchronous.',
  },
  AD1105: {
    category: 'error',
    message: "'{source}': generators cannot be differentiated.",
    fix: 'Collect the values into an array first, or write a loop.',
  },
  AD1106: {
    category: 'error',
    message: "'{source}': 'with' makes names depend on an object at run time; it is not allowed in modules, and cannot be differentiated.",
    fix: "Name the object's fields explicitly.",
  },
  AD1107: {
    category: 'error',
    message: "'{source}': labelled statements (and 'break label' or 'continue label') are not supported yet.",
    fix: 'Use a boolean flag to leave the outer loop, or move the inner loop into a function that returns.',
  },
  AD1108: {
    category: 'error',
    message: "'{source}': spread and rest ('...') are not supported in a differentiable function.",
    fix: 'Pass the arguments or elements one by one, or pass the array itself.',
  },
  AD1109: {
    category: 'error',
    message: "'{source}': optional chaining ('?.') is not supported: the values a differentiable function reads must exist.",
    fix: "Read the field directly (with '!' if the type allows undefined) or test it with 'if'.",
  },
  AD1110: {
    category: 'error',
    message: "'{source}': 'delete' changes an object's shape, which Adjoint cannot follow.",
    fix: 'Set the field to 0 instead, or build a new object.',
  },
  AD1111: {
    category: 'error',
    message:
      "'{source}': run-time type tests ('typeof', 'instanceof', 'in') are not supported: the types of a differentiable function's values are fixed.",
    fix: 'Decide on the types outside the function, or pass a boolean parameter.',
  },
  AD1112: {
    category: 'error',
    message: "'{source}': bigint values cannot be differentiated.",
    fix: 'Use number (convert with Number(value) before calling).',
  },
  AD1113: {
    category: 'error',
    message: "'{source}': strings (and string arithmetic) cannot be differentiated.",
    fix: 'Keep labels and text outside the differentiable function; pass numbers or booleans in.',
  },
  AD1114: {
    category: 'error',
    message: "'{source}': null and undefined are not numbers.",
    fix: 'Use NaN, or a boolean parameter telling whether a value is present.',
  },
  AD1115: {
    category: 'error',
    message: "'{source}': bitwise operators work on 32-bit integers, which have no derivative.",
    fix: 'Use Math.floor, Math.trunc or % for integer arithmetic, or compute the value outside the function.',
  },
  AD1116: {
    category: 'error',
    message: "'{source}': code evaluated at run time (eval, new Function, import()) cannot be differentiated.",
    fix: 'Write the computation out in the function.',
  },
  AD1117: {
    category: 'error',
    message:
      "'{source}': only new Float64Array(…), new Float32Array(…), integer typed arrays (new Int32Array(…), …) and new Array(n).fill(v) can be created in a differentiable function.",
    fix: 'Create objects with literals ({ x: 1 }), arrays with literals or new Float64Array(n).',
  },
  AD1118: {
    category: 'error',
    message:
      "'{source}': keys computed at run time (o[key] with a string key, { [key]: v }) are not supported: Adjoint must know every field.",
    fix: 'Name the field (o.x), or use an array indexed by number.',
  },
  AD1119: {
    category: 'error',
    message: "'{source}': methods, getters and setters in an object cannot be differentiated.",
    fix: 'Use plain fields holding numbers, and functions at the top of the module.',
  },
  AD1120: {
    category: 'error',
    message: "'{source}': random numbers have no derivative, and would make the gradient change from call to call.",
    fix: 'Draw the random numbers outside and pass them in as a parameter (with @differentiable(wrt: …) naming the others).',
  },
  AD1121: {
    category: 'error',
    message: "'{source}': writing to module-level state is a side effect that the reverse sweep cannot undo.",
    fix: 'Return the value instead, or write into an array passed as a parameter.',
  },
  AD1122: {
    category: 'error',
    message: "'{source}': 'var' is hoisted to the whole function, unlike the variables Adjoint tracks.",
    fix: "Declare the variable with 'let' or 'const'.",
  },
  AD1123: {
    category: 'error',
    message:
      "'{source}': a call of something other than a known function (a method, a variable holding a function, a property) cannot be differentiated.",
    fix: 'Call a function of the project (a module function, or a local one), a Math function, or an array method Adjoint supports: push, slice, map, forEach, reduce, reduceRight, filter, some, every, find, findIndex, findLast, findLastIndex, flatMap.',
  },
  AD1124: {
    category: 'error',
    message: "'{source}': logging and other calls with side effects are not supported in a differentiable function.",
    fix: 'Log before or after calling it, with the values it returns.',
  },
  AD1125: {
    category: 'error',
    message: "'{source}': logical assignment ('??=', '||=', '&&=') is not supported yet.",
    fix: 'Write it out: x = x ?? value, x = x || value, x = x && value.',
  },
  AD1126: {
    category: 'error',
    message: "'{source}': regular expressions cannot be differentiated.",
    fix: 'Match text outside the function and pass the numbers in.',
  },
  AD1127: {
    category: 'error',
    message: "'{source}': 'for...in' walks an object's keys as strings, which Adjoint cannot follow.",
    fix: "Loop over an array with 'for...of', or name the fields.",
  },
  AD1128: {
    category: 'error',
    message: "'{source}': enums and namespaces declared inside a function are not supported.",
    fix: 'Declare them at the top of the module, or use module-level numeric consts.',
  },
  AD1129: {
    category: 'error',
    message: "'{source}': Adjoint does not know this field, so it cannot follow the value it holds.",
    fix: 'Read the fields of the parameter types (number fields, arrays, .length) or of Math and Number, or pass the value in.',
  },
  AD1130: {
    category: 'error',
    message: "'{source}': default values in destructuring patterns are not supported yet.",
    fix: 'Destructure without the default, then write x = x ?? value.',
  },
  AD1131: {
    category: 'error',
    message: "'{source}': a value that is an array on one path and a number on another cannot be differentiated.",
    fix: 'Give it one type: keep the array and the number in separate variables.',
  },
  AD1132: {
    category: 'error',
    message: "'{source}': assigning an array's length (which deletes elements, or adds holes) cannot be differentiated.",
    fix: 'Make a new array of the elements you keep: a.slice(0, n).',
  },
  AD1133: {
    category: 'error',
    message: "'{source}': `__proto__: value` in an object literal sets the object's prototype; it makes no field.",
    fix: 'Give the field another name, or write ["__proto__"]: value to make a field named __proto__.',
  },
  AD1140: {
    category: 'error',
    message:
      "The function '{function}' {use}: Adjoint resolves each call to a function known where the call is written, so a function cannot be used as a value that way.",
    fix: "Call the function where it is known, or pass it straight to the function that calls it (array methods' callbacks, and a helper's function parameters, which are specialised for each function passed); to choose between functions, call each in its own branch of an 'if'.",
  },
  AD1141: {
    category: 'error',
    message: "'{source}': the 'this' argument of {method} is not supported (a differentiable function has no 'this').",
    fix: 'Remove the argument: the callback reads what it needs from the variables around it.',
  },
  AD1142: {
    category: 'error',
    message:
      "The local function '{local}' is passed to '{callee}', and assigns '{variable}', a variable of the function around it: the copy of '{callee}' made for it cannot assign the caller's variable.",
    fix: "Return the new value from '{local}' instead of assigning the variable, or write the loop out where '{callee}' is called.",
  },
  AD1143: {
    category: 'error',
    message: "'{source}' calls '{callee}' with {count} arguments, which do not fit its parameters ({parameters}).",
    fix: 'Pass a function of the arguments the call gives it, for example an arrow: (v, i) => {callee}(v, i, …).',
  },
  AD1144: {
    category: 'error',
    message:
      "The local function '{local}' recurses (through '{callee}'), and assigns '{variable}', a variable of the function around it: a function that recurses is lowered as a function of its own, which cannot assign the caller's variable.",
    fix: 'Return the new value from the function instead of assigning the variable, or move the function to the top of the module and pass it the values it needs.',
  },
  AD1145: {
    category: 'error',
    message:
      "'{function}' writes into '{constant}', a module-level constant: differentiable functions read module constants as constants, and the companion shares them with the source.",
    fix: "Write into a copy ('const mine = {constant}.slice()'), or pass the array in as a parameter.",
  },
  AD1146: {
    category: 'error',
    message: "'{source}' {problem}, so a differentiable method cannot read or write it.",
    fix: '{instead}.',
  },
  AD1147: {
    category: 'error',
    message:
      "'{source}': 'super' is not supported in a differentiable method: Adjoint lowers the methods of the marked method's class, which 'this.m(…)' calls.",
    fix: 'Call the inherited method through this (this.m(…)) when the class does not override it, or move the shared code into a function of the module that both methods call.',
  },
  AD1148: {
    category: 'error',
    message: "'{source}': {problem}.",
    fix: '{instead}.',
  },
  AD1149: {
    category: 'error',
    message:
      "'{source}': the method '{method}' {change}, but the companion uses '{method}' as its class declares it, so the gradient would be wrong whenever the other function runs.",
    fix: '{instead}.',
  },
  AD1150: {
    category: 'error',
    message:
      "'{caller}' calls the global function '{global}', which the companion must call by that name, but the companion of this file defines a function '{global}' of its own (the names of its exports are fixed).",
    fix: "Rename the global function '{global}' (or give it a wrapper with another name), or the marked function whose export is named '{global}'.",
  },
  AD1151: {
    category: 'error',
    message: 'The code is nested too deeply here: {reason}.',
    fix: 'Name intermediate values in statements of their own. (A chain of operators grouped to the left, such as a + b * c + d + …, is not nesting: it may be as long as you like.)',
  },
  AD2001: {
    category: 'error',
    message: "The mark '{mark}' cannot be read: {reason}.",
    fix: 'Write the mark alone on its line, with its options in parentheses: /** @differentiable */, /** @differentiable(wrt: x, y) */, /** @differentiable(forward, hessian) */.',
  },
  AD2002: {
    category: 'error',
    message: "'wrt' names '{name}', which is not a parameter of '{function}'.",
    fix: 'Name parameters of the function: {parameters}.',
  },
  AD2003: {
    category: 'error',
    message:
      "@differentiable marks {target}; only function declarations, functions assigned to a 'const' and methods of a class declared at module level can be marked.",
    fix: 'Move the mark to a function declaration, a const holding a function, or a method of a named module-level class (for a constructor, getter or setter: a method computing the same number).',
  },
  AD2009: {
    category: 'error',
    message: 'The function carries a second @differentiable mark: it can have only one.',
    fix: 'Keep one mark and combine the options in it: /** @differentiable(forward, hessian, wrt: x) */.',
  },
  AD2011: {
    category: 'warning',
    message: "'{comment}' looks like a mark but is not one: {reason}. No gradient is generated from it.",
    fix: 'Write {mark} on the line before the function; or reword the comment if it is not meant as a mark.',
  },
  AD2012: {
    category: 'error',
    message: "'wrt' names '{name}', which is not a field of this that '{method}' (or a method it calls) reads.",
    fix: 'In wrt, {instead}.',
  },
  AD2013: {
    category: 'error',
    message:
      "'{first}' and '{second}' would both be exported by the companion as '{exportName}' (grad_{exportName}, valueAndGrad_{exportName}, …): a method's exports are named after its class and itself.",
    fix: 'Rename one of them: the method, its class or the function.',
  },
  AD2014: {
    category: 'error',
    message:
      "'{function}' is marked @differentiable(hessian), but none of the parameters it is differentiated in holds a number (its parameters: {parameters}): its gradient is empty, and it has no Hessian.",
    fix: "Remove 'hessian' from the mark, or give the function a parameter of numbers (number, number[], a tuple or object of numbers) to differentiate in.",
  },
  AD2004: {
    category: 'warning',
    message: "The result of '{function}' does not depend on '{parameter}': its gradient is always zero.",
    fix: "Drop '{parameter}' from the differentiated parameters with @differentiable(wrt: ...), or check the function.",
  },
  AD2006: {
    category: 'error',
    message: "@adjointOf names '{name}', which is not a function declared in or imported into this module.",
    fix: "Name a function of this module, or import '{name}' here.",
  },
  AD2007: {
    category: 'error',
    message: "The derivative rule '{rule}' must be exported: the generated companion calls it.",
    fix: "Add 'export' to '{rule}'.",
  },
  AD2008: {
    category: 'error',
    message: "The derivative rule '{rule}' does not fit '{function}': {problem}",
    fix: "Declare it as ({parameters}) => {result}: {function}'s parameters, then the adjoint of its result, returning the adjoint of each number-holding parameter by name.",
  },
  AD2010: {
    category: 'error',
    message:
      "'{function}' has only a reverse-mode derivative rule ('{rule}', @adjointOf), from which forward mode (@differentiable(forward)) gets the tangent of a number result only, and {problem}.",
    fix: "Remove the @adjointOf rule of '{function}' so that its body is differentiated, compute the value outside the function and pass it in, or drop 'forward' from the mark.",
  },
  AD2020: {
    category: 'error',
    message: "'{function}' returns {type}, which holds booleans beside its numbers: a vector output must hold numbers only.",
    fix: 'Return the numbers alone, and compute the booleans in a separate function that is not differentiated.',
  },
  AD2030: {
    category: 'error',
    message: "The checkpoint mark '{mark}' cannot be read: {reason}",
    fix: 'Write // @checkpoint, // @checkpoint(snapshots: N) or // @checkpoint(repetitions: R), with N and R positive integers, on the line before a loop.',
  },
  AD2031: {
    category: 'error',
    message:
      "The checkpointed loop carries the array or object '{name}' from one iteration to the next; its stored states can hold numbers and arrays written in place only.",
    fix: "Write into one array made before the loop instead of assigning a new one to '{name}' in each iteration, or remove // @checkpoint from this loop.",
  },
  AD2032: {
    category: 'error',
    message:
      'The checkpointed loop changes the shape of an array or object that exists before it ({what}): restoring a stored state cannot undo that.',
    fix: 'Keep the shapes fixed inside the loop (write elements only, into arrays made before it), or remove // @checkpoint from this loop.',
  },
  AD2033: {
    category: 'error',
    message: "'{comment}' is not on the line before a loop: only loops can be checkpointed.",
    fix: 'Move the comment to the line just before a for, while, do or for…of loop, or remove it.',
  },
  AD2034: {
    category: 'warning',
    message:
      'This loop is checkpointed in grad_f but taped, not checkpointed, in the second-order exports (hvp_f, valueGradAndHvp_f, hessian_f) of a function marked @differentiable(hessian): a checkpointing schedule cannot be differentiated again.',
    fix: 'Nothing, if the second-order exports can hold a tape of the whole loop; if not, remove hessian from the mark or // @checkpoint from this loop.',
  },
  AD2040: {
    category: 'error',
    message:
      "'{function}' comes from {companion}, a companion generated for speed (its tapes are shared by its functions), which Adjoint cannot differentiate again.",
    fix: 'Mark the source function @differentiable(hessian) and regenerate {companion}: its companion is then written so that Adjoint can differentiate it (second order, or a gradient inside a differentiated function).',
  },
  AD2041: {
    category: 'error',
    message:
      "'{source}': '{callee}' stores an array or object into an argument whose adjoints flow back; Adjoint cannot follow them through the call.",
    fix: "Build the row or object in the caller and store it there, or let '{callee}' return it.",
  },
  AD2042: {
    category: 'error',
    message:
      "'{source}': '{function}' pushes onto an argument, and the second-order exports of {marks} (@differentiable(hessian)) differentiate '{function}' again, which cannot be done for a push onto an argument: its gradient sets the argument's adjoint back to the length it had.",
    fix: "Push onto a copy of the argument inside '{function}' (const b = [...a]; b.push(…); the caller's array then keeps its length), or remove 'hessian' from the mark of {marks}.",
  },
  AD5001: {
    category: 'error',
    message: "Cannot read '{path}': {reason}",
  },
  AD5002: {
    category: 'error',
    message: "Refusing to overwrite '{path}': it exists and was not generated by Adjoint.",
    fix: 'Rename or move that file; Adjoint only replaces files that start with its generated-file header.',
  },
  AD5003: {
    category: 'error',
    message: "Cannot write '{path}': {reason}",
  },
  AD5004: {
    category: 'error',
    message: "'{path}' is missing or out of date.",
    fix: 'Run adjoint without --check to regenerate it.',
  },
  AD5005: {
    category: 'error',
    message: "No such file or directory: '{path}'.",
  },
  AD5006: {
    category: 'warning',
    message: "Cannot save the cache '{path}': {reason}",
    fix: 'The companions are up to date, but the next run compiles every file again. Make the folder writable, pass --cache-dir <dir>, or --no-cache.',
  },
  AD5007: {
    category: 'warning',
    message: "No function marked @differentiable was found in '{path}'.",
    fix: 'Mark the functions to differentiate /** @differentiable */, or name the files or folders that hold them.',
  },
  AD5008: {
    category: 'warning',
    message: "'{path}' marks functions @differentiable, but .tsx and .jsx files are not compiled: it gets no companion.",
    fix: 'Move the marked functions into a .ts (or .mts, .cts) module and import them from here.',
  },
  AD5009: {
    category: 'error',
    message: "'{path}' was generated by Adjoint, but {reason}: it is left behind.",
    fix: 'Run adjoint without --check, which removes it (it holds only generated code), or mark the function /** @differentiable */ again.',
  },
  AD9001: {
    category: 'error',
    message: "Internal error in Adjoint while compiling '{functions}': {error}",
    fix: 'This is a bug in Adjoint, not in your code. Please report it with the function that triggers it.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof catalogue;

/**
 * The arguments a code's message and fix take, read from the catalogue's text at compile time: one
 * string per placeholder, by name. `createDiagnostic('AD1003', { parameter })` does not compile,
 * since AD1003's message reads `{parameter}` and `{type}`; nor does an argument the text does not
 * read, so arguments cannot be swapped or forgotten.
 */
export type DiagnosticArgs<C extends DiagnosticCode> = { readonly [N in PlaceholderNames<TextsOf<C>>]: string };

/** The codes whose message and fix take exactly the arguments `A` (a table of codes of one shape). */
export type CodeTaking<A> = {
  [C in DiagnosticCode]: DiagnosticArgs<C> extends A ? (A extends DiagnosticArgs<C> ? C : never) : never;
}[DiagnosticCode];

type TextsOf<C extends DiagnosticCode> = (typeof catalogue)[C] extends { message: infer M extends string; fix: infer F extends string }
  ? M | F
  : (typeof catalogue)[C]['message'];

/** The names N of the `{N}` in S (braces around anything but a name, as in `{ x: 1 }`, are text). */
type PlaceholderNames<S extends string> = S extends `${string}{${infer Inside}}${infer Rest}`
  ? (Inside extends `${string}${' ' | ':' | ',' | '[' | '.'}${string}` | '' ? never : Inside) | PlaceholderNames<Rest>
  : never;
