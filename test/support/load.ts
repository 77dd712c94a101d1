/**
 * Runs TypeScript text in the test process: the user's source (to evaluate f) and the generated
 * companion (to evaluate grad_f), each as a CommonJS module built by TypeScript's transpiler.
 */
import ts from 'typescript';

export type ModuleExports = Record<string, unknown>;

export function loadModule(text: string, fileName = 'module.ts'): ModuleExports {
  const { outputText } = ts.transpileModule(text, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as ModuleExports };
  new Function('module', 'exports', outputText)(module, module.exports);
  return module.exports;
}
