/**
 * @adjoint/unplugin: serves `foo.grad` companions generated in memory to Vite, Rollup, esbuild
 * and webpack. An import of `./foo.grad` (or `./foo.grad.js`, `./foo.grad.ts`) for which no file
 * exists (or only one Adjoint generated, which may be stale), beside a `foo.ts`, resolves to the
 * companion's path; loading it compiles
 * `foo.ts` with the core and returns the companion as JavaScript with a source map back to its
 * TypeScript text. The source is watched, so the companion is regenerated when it changes; in
 * Vite's dev server the change is sent as a hot update of the companion. Adjoint's errors are the
 * bundler's errors, with file, line and column; its warnings are the bundler's warnings.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { compile, companionToJavaScript, createDiagnostic, formatDiagnostic, isGeneratedText, type Diagnostic } from '@adjoint/core';
import { nodeHost } from '@adjoint/core/node';
import { createUnplugin, type UnpluginContext, type UnpluginFactory, type UnpluginInstance } from 'unplugin';

export interface AdjointPluginOptions {
  /** Run prettier over the generated TypeScript before it is transpiled (default true). */
  format?: boolean;
  /** Start each companion with the generated-file header (default true). */
  header?: boolean;
  /** Checkpoint every loop that is not inside another loop, as if marked `// @checkpoint` (default false). */
  checkpointLoops?: boolean;
  /** `'inline'` (default) copies the runtime's helpers into each companion; `'import'` imports them from @adjoint/runtime. */
  runtime?: 'inline' | 'import';
}

export const PLUGIN_NAME = 'adjoint';

/** `foo.grad`, `foo.grad.js`, `foo.grad.ts` and their `.mjs`/`.mts`/`.cjs`/`.cts` forms. */
const COMPANION_IMPORT = /\.grad(?:\.[mc]?[jt]s)?$/;
/** The ids this plugin gives companions: the path a companion would have beside its source. */
const COMPANION_ID = /\.grad\.[mc]?ts$/;

/** Where a companion import points: the companion's path and its source's, or nothing. */
export function companionFor(specifier: string, importer: string | undefined, root: string): { id: string; source: string } | undefined {
  const bare = specifier.split('?')[0]!;
  if (!COMPANION_IMPORT.test(bare)) return undefined;
  let base: string;
  if (bare.startsWith('.')) {
    if (!importer) return undefined;
    base = path.resolve(path.dirname(importer.split('?')[0]!), bare);
  } else if (path.isAbsolute(bare)) {
    base = bare;
  } else {
    return undefined;
  }
  const candidates = [base, bare.startsWith('/') ? path.join(root, bare) : undefined].filter((c): c is string => c !== undefined);
  for (const candidate of candidates) {
    const stem = candidate.replace(/\.grad(?:\.[mc]?[jt]s)?$/, '');
    const written = /\.grad\.([mc]?)[jt]s$/.exec(candidate)?.[1] ?? '';
    for (const flavour of written ? [written] : ['', 'm', 'c']) {
      const source = `${stem}.${flavour}ts`;
      const id = `${stem}.grad.${flavour}ts`;
      // A companion on disk is the bundler's to load, unless Adjoint generated it (the CLI): that
      // one may be stale, its source's mark removed or the source gone, so it is generated again.
      if (existsSync(id) ? isGeneratedFile(id) : existsSync(source)) return { id, source };
    }
  }
  return undefined;
}

/** The bundler-neutral message of a diagnostic, with its position for the bundler's error. */
function toMessage(diagnostic: Diagnostic, sourceText: string | undefined) {
  const file = diagnostic.location?.file;
  return {
    message: formatDiagnostic(diagnostic, { sourceText: file === undefined ? undefined : sourceText }),
    code: diagnostic.code,
    plugin: PLUGIN_NAME,
    ...(file !== undefined && { id: file }),
    ...(diagnostic.location && {
      // Rollup, Vite and esbuild count columns from 0; Adjoint from 1.
      loc: { file: diagnostic.location.file, line: diagnostic.location.line, column: diagnostic.location.column - 1 },
    }),
  };
}

/** A regular file that starts with Adjoint's header. */
function isGeneratedFile(file: string): boolean {
  const text = nodeHost.readFile(file);
  return text !== undefined && isGeneratedText(text);
}

export const unpluginFactory: UnpluginFactory<AdjointPluginOptions | undefined, false> = (options = {}) => {
  let root = process.cwd();
  /** Companion id → its source, for every companion served. */
  const served = new Map<string, string>();

  return {
    name: PLUGIN_NAME,
    enforce: 'pre',

    resolveId(specifier, importer, options) {
      if (served.has(specifier)) return specifier;
      const companion = companionFor(specifier, importer, root);
      if (!companion) return null;
      served.set(companion.id, companion.source);
      // Vite's dependency scan reads the files it resolves from disk, where a companion is not
      // ("Failed to run dependency scan"). A companion imports no package to pre-bundle: for the
      // scan it is a virtual module (\0 prefix, not a path), which the scan leaves out.
      if ((options as { scan?: boolean } | undefined)?.scan) return `\0adjoint-companion:${companion.id}`;
      return companion.id;
    },

    load: {
      filter: { id: COMPANION_ID },
      async handler(id) {
        const source = served.get(id.split('?')[0]!);
        if (source === undefined) return null;
        this.addWatchFile(source);
        const context = this as unknown as UnpluginContext;
        if (!existsSync(source)) {
          const shown = (file: string) => path.relative(root, file) || file;
          context.error(
            toMessage(createDiagnostic('AD5009', { path: shown(id), reason: `its source '${shown(source)}' no longer exists` }), undefined),
          );
          return { code: '' };
        }
        const { outputs, diagnostics } = await compile([{ path: source }], {
          format: options.format ?? true,
          header: options.header ?? true,
          checkpointLoops: options.checkpointLoops ?? false,
          runtime: options.runtime ?? 'inline',
          host: nodeHost,
        });
        const sourceText = nodeHost.readFile(source);
        for (const warning of diagnostics.filter((d) => d.category === 'warning')) context.warn(toMessage(warning, sourceText));
        const errors = diagnostics.filter((d) => d.category === 'error');
        if (errors.length > 0) {
          const first = toMessage(errors[0]!, sourceText);
          const rest = errors.slice(1).map((d) => formatDiagnostic(d));
          context.error({ ...first, message: [first.message, ...rest].join('\n\n') });
          // Rollup and Vite throw from error(); esbuild and webpack collect it and need a result.
          return { code: '' };
        }
        const output = outputs[0];
        if (!output) {
          context.error({
            message: `${path.relative(root, source) || source} has no function marked /** @differentiable */, so it has no companion to import.`,
            id: source,
            plugin: PLUGIN_NAME,
          });
          return { code: '' };
        }
        const { code, map } = companionToJavaScript(output.text, id);
        return { code, map };
      },
    },

    vite: {
      configResolved(config) {
        root = config.root;
      },
      // Dev server: a change to a source is a change to its companion.
      hotUpdate({ file, modules }) {
        const changed = path.resolve(file);
        const companions = [...served].filter(([, source]) => source === changed).map(([id]) => id);
        if (companions.length === 0) return;
        const graph = this.environment.moduleGraph;
        const affected = companions.flatMap((id) => {
          const module = graph.getModuleById(id);
          if (module) graph.invalidateModule(module);
          return module ? [module] : [];
        });
        return [...modules, ...affected];
      },
    },
    webpack(compiler) {
      root = compiler.context;
    },
    esbuild: {
      // The served code is JavaScript whatever its id's extension says.
      loader: 'js',
      setup(build) {
        root = build.initialOptions.absWorkingDir ?? process.cwd();
      },
    },
  };
};

export const adjoint: UnpluginInstance<AdjointPluginOptions | undefined, false> = /* #__PURE__ */ createUnplugin(unpluginFactory);

export default adjoint;
