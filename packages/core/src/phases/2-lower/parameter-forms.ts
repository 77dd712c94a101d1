/**
 * The forms of parameter Adjoint does not lower yet (a pattern, a rest parameter, a default, an
 * optional one, a declaration of the type of `this`), with what AD1011 says of each and how to
 * rewrite it; for marked functions, helpers, local functions and methods alike.
 */
import { Node, type ParameterDeclaration } from 'ts-morph';

/** What is wrong with a parameter Adjoint cannot take as it is written, and how to write it instead. */
export function unsupportedForm(param: ParameterDeclaration): { what: string; fix: string } | undefined {
  if (param.getName() === 'this') {
    return {
      what: "declares the type of 'this'",
      fix: "Remove it. In a method, this is an instance of the method's class, of which the companion reads the fields; a function has no this.",
    };
  }
  if (!Node.isIdentifier(param.getNameNode())) {
    return { what: 'is a destructuring pattern', fix: 'Take the object or array as one named parameter and read its fields in the body.' };
  }
  if (param.isRestParameter())
    return { what: "is a rest parameter ('...')", fix: `Take the values as one array: ${param.getName()}: number[].` };
  if (param.hasInitializer()) {
    return {
      what: 'has a default value',
      fix: 'Remove the default and pass the value at every call, or call the function from a wrapper that supplies it.',
    };
  }
  if (param.hasQuestionToken()) {
    return {
      what: "is optional ('?')",
      fix: 'Make it required and pass a value at every call, or write a function with it and one without.',
    };
  }
  return undefined;
}
