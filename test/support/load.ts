/**
 * Runs TypeScript text in the test process: the user's source (to evaluate f) and the generated
 * companion (to evaluate grad_f), each as a CommonJS module built by TypeScript's transpiler.
 * `modules` answers their imports: '@adjoint/core' and '@adjoint/runtime' always, and any other
 * module by specifier.
 */
import * as core from '@adjoint/core';
import * as runtime from '@adjoint/runtime';
import ts from 'typescript';

export type ModuleExports = Record<string, unknown>;

export function loadModule(text: string, fileName = 'module.ts', modules: Record<string, ModuleExports> = {}): ModuleExports {
  const { outputText } = ts.transpileModule(text, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as ModuleExports };
  const require = (specifier: string): ModuleExports => {
    if (specifier === '@adjoint/core') return core as unknown as ModuleExports;
    if (specifier === '@adjoint/runtime') return runtime as unknown as ModuleExports;
    const found = modules[specifier];
    if (!found) throw new Error(`${fileName} imports '${specifier}', which the test did not provide`);
    return found;
  };
  new Function('module', 'exports', 'require', outputText)(module, module.exports, require);
  return module.exports;
}
