/**
 * The compile worker: Adjoint (with ts-morph, TypeScript and prettier, the bulk of the page's
 * weight) runs here, off the page's thread, so that typing never waits for it. It compiles the
 * editor's text into its companion and, for a run, transpiles both to JavaScript.
 */
import type { CompileReply, CompileRequest, RunnableModules, WorkerScope } from '../protocol.ts';

const scope = self as unknown as WorkerScope<CompileRequest, CompileReply>;

// loaded as soon as the worker starts, while the page shows the editor
const adjoint = import('@adjoint/core');
const typescript = import('ts-morph').then((morph) => morph.ts);

/** The last compilation: a run right after an edit reuses it. */
let last: { path: string; source: string; reply: Omit<CompileReply, 'id' | 'javascript'> } | undefined;

// one request at a time, in the order they came
let queue = Promise.resolve();
scope.onmessage = (event) => {
  queue = queue.then(() => answer(event.data)).then((reply) => scope.postMessage(reply));
};

async function answer(request: CompileRequest): Promise<CompileReply> {
  try {
    const reply = last?.path === request.path && last.source === request.source ? last.reply : await compile(request);
    last = { path: request.path, source: request.source, reply };
    const javascript = request.javascript && reply.companion !== undefined ? await toJavaScript(request, reply.companion) : undefined;
    return { id: request.id, ...reply, javascript };
  } catch (error) {
    return {
      id: request.id,
      diagnostics: [],
      milliseconds: 0,
      failure: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

async function compile(request: CompileRequest): Promise<Omit<CompileReply, 'id'>> {
  const { compile } = await adjoint;
  const started = performance.now();
  const { outputs, diagnostics } = await compile([{ path: request.path, text: request.source }]);
  return { companion: outputs[0]?.text, diagnostics, milliseconds: performance.now() - started };
}

/**
 * The source and its companion as CommonJS, which the run worker evaluates with a `require` that
 * maps the companion's import of the source to it. Types are erased by TypeScript's single-file
 * transpiler, as the core's companionToJavaScript does for bundlers; nothing else changes.
 */
async function toJavaScript(request: CompileRequest, companion: string): Promise<RunnableModules> {
  const ts = await typescript;
  const { companionPathFor } = await adjoint;
  const transpile = (text: string, fileName: string) =>
    ts.transpileModule(text, { fileName, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
  return { source: transpile(request.source, request.path), companion: transpile(companion, companionPathFor(request.path)) };
}
