/**
 * Evaluates the user's source and its companion, compiled to CommonJS, in the run worker. The
 * companion may import the source (a function it calls without differentiating it, a derivative
 * rule), and either may import Adjoint's runtime (stopGradient, from @adjoint/runtime or, as older
 * code does, @adjoint/core); nothing else is there to import.
 */
import * as runtime from '@adjoint/runtime';
import type { RunnableModules } from '../protocol.ts';
import type { LoadedModules } from '../presets/problem.ts';

type Exports = Record<string, unknown>;

/** The packages a program may import: the runtime, under its name and the core's (which re-exports it). */
const packages: Record<string, Exports> = { '@adjoint/runtime': runtime, '@adjoint/core': runtime };

export function loadModules(javascript: RunnableModules, file: string): LoadedModules {
  const stem = file.replace(/\.ts$/, '');
  const source = evaluate(javascript.source, `${stem}.js`, () => undefined);
  const companion = evaluate(javascript.companion, `${stem}.grad.js`, (specifier) => (sameModule(specifier, stem) ? source : undefined));
  return { file, source, companion };
}

/** Whether an import specifier names the source, `./model`, `./model.js` or `./model.ts` for model.ts. */
function sameModule(specifier: string, stem: string): boolean {
  return specifier.replace(/^\.\//, '').replace(/\.(ts|js)$/, '') === stem;
}

function evaluate(code: string, name: string, local: (specifier: string) => Exports | undefined): Exports {
  const module = { exports: {} as Exports };
  const require = (specifier: string): Exports => {
    const found = packages[specifier] ?? local(specifier);
    if (!found) throw new Error(`${name} imports '${specifier}', which the playground does not have: it compiles and runs one file.`);
    return found;
  };
  // the sourceURL names the module in stack traces and in the browser's debugger
  new Function('exports', 'require', 'module', `${code}\n//# sourceURL=${name}`)(module.exports, require, module);
  return module.exports;
}
