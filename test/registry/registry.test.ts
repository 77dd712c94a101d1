/**
 * The release, for real: a local npm registry (verdaccio 6.8.0 on a loopback port, its storage in
 * a temporary folder, publishing open), every package published with `pnpm -r publish` as a
 * release would, then new projects outside the repository that install from that registry only
 * (`npm init -y`, `@adjoint/cli` and `typescript`; the registry fetches what it does not hold from
 * npm) and run the README's own commands, taken from its code blocks so that it cannot drift:
 *
 * - TypeScript 7 (what `npm install typescript` gives), the command line: `npx adjoint src`, then
 *   `tsc` with the tsconfig.json that `tsc --init` writes, unchanged; run with node;
 * - TypeScript 7, Vite: the README's vite.config.ts, `vite build`; the bundle run in node;
 * - TypeScript 6, the tsc plugin: the README's install line and plugin entry, `tspc`; run.
 *
 * Each run's gradient is checked against central finite differences of the built model.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTo, partialAt } from '../support/finite-difference.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'adjoint-registry-'));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The README's code blocks, with their language. */
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((m) => ({ language: m[1]!, text: m[2]! }));
function block(language: string, contains: string): string {
  const found = blocks.find((b) => b.language === language && b.text.includes(contains));
  if (!found) throw new Error(`README.md has no \`\`\`${language} block with ${JSON.stringify(contains)}`);
  return found.text;
}

const point = [5, 0.3, 3, 4.2, 7.1];
/** Ours, not the README's: prints the gradient at `point` for the test to check. */
const checkScript = `import { grad_squaredError } from './model.grad.js';\n\nconsole.log(JSON.stringify(grad_squaredError(${point.join(', ')})));\n`;

let registry = '';
let server: ReturnType<typeof spawn> | undefined;
const npmrc = path.join(work, 'npmrc');
const log: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The environment of every command: the local registry only, no colours, no prompts. */
function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // the settings pnpm gives the test (it runs under `pnpm test`) must not reach the scratch projects
  for (const key of Object.keys(env)) if (/^(npm_|pnpm_)/i.test(key)) delete env[key];
  // prefer-offline: package documents already in npm's cache (fetched from this registry) are not asked for again
  return { ...env, npm_config_userconfig: npmrc, npm_config_registry: registry, npm_config_prefer_offline: 'true', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' };
}

/** Runs a shell command; fails the test with its output when it fails. */
function sh(command: string, cwd: string, timeout = 600_000): string {
  const started = Date.now();
  const result = spawnSync('sh', ['-c', command], { cwd, env: environment(), encoding: 'utf8', timeout });
  log.push(`$ ${command}  (${((Date.now() - started) / 1000).toFixed(1)} s, in ${path.basename(cwd)})`);
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`\`${command}\` in ${cwd} exited ${result.status}${result.error ? ` (${result.error.message})` : ''}:\n${output}`);
  return output;
}

/** Runs each line of a README shell block. */
function shLines(text: string, cwd: string): void {
  for (const line of text.split('\n')) {
    const command = line.replace(/\s+#.*$/, '').trim();
    if (command) sh(command, cwd);
  }
}

/** A new project, as a user starts one: `npm init -y` in an empty folder outside the repository. */
function newProject(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  sh('npm init -y', dir);
  shLines(block('sh', 'npm pkg set type=module'), dir);
  sh('npm install --save-dev @adjoint/cli typescript', dir);
  // the README's model and its use, as it shows them
  for (const file of ['src/model.ts', 'src/fit.ts']) writeFileSync(path.join(dir, file), block('ts', `// ${file}\n`));
  writeFileSync(path.join(dir, 'src/check.ts'), checkScript);
  return dir;
}

const typeScriptMajor = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'node_modules/typescript/package.json'), 'utf8')).version.split('.')[0];

/** The gradient printed by a run, checked against finite differences of the project's built model. */
async function expectGradient(output: string, modelModule: string): Promise<void> {
  const grad = JSON.parse(output.trim().split('\n').pop()!) as Record<string, number>;
  const { squaredError } = (await import(pathToFileURL(modelModule).href)) as { squaredError: (...a: number[]) => number };
  const f = (...args: unknown[]) => squaredError(...(args as number[]));
  expect(Object.keys(grad)).toEqual(['capacity', 'rate', 'midpoint']);
  Object.values(grad).forEach((value, i) => {
    const numeric = partialAt(f, point, [i]);
    expect(closeTo(value, numeric, 1e-6), `∂/∂${Object.keys(grad)[i]}: ${value} vs finite differences ${numeric}`).toBe(true);
  });
}

beforeAll(async () => {
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const config = path.join(work, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${path.join(work, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${path.join(work, 'htpasswd')}`,
      'uplinks:',
      '  npmjs:',
      '    url: https://registry.npmjs.org/',
      '    timeout: 120s',
      '    maxage: 60m',
      'packages:',
      "  '@adjoint/*':",
      '    access: $all',
      '    publish: $all',
      "  '**':",
      '    access: $all',
      '    publish: $all',
      '    proxy: npmjs',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  server = spawn(path.join(root, 'node_modules/.bin/verdaccio'), ['--config', config, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${registry}-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('verdaccio did not start within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  // a user for publishing, as `npm adduser` makes one
  const user = await fetch(`${registry}-/user/org.couchdb.user:release`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release', password: 'release-password' }),
  });
  const { token } = (await user.json()) as { token: string };
  writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  // the release: every package, from the built workspace, by pnpm
  sh(`pnpm -r publish --registry ${registry} --no-git-checks --access public`, root);
}, 600_000);

afterAll(() => {
  server?.kill();
  console.log(`registry test:\n${log.join('\n')}`);
  rmSync(work, { recursive: true, force: true });
});

/** Installs through a registry are slow on a busy machine: each scenario has ten minutes. */
const SCENARIO_MS = 600_000;

describe('installed from a registry into a project of its own', () => {
  it('publishes every package', () => {
    // asked as a user would, with npm (a fetch on a kept-alive socket that verdaccio had closed
    // during the long publish failed with 'other side closed')
    for (const name of ['runtime', 'core', 'cli', 'unplugin', 'tsc-plugin', 'ts-plugin']) {
      expect(sh(`npm view @adjoint/${name} dist-tags.latest`, work).trim(), `@adjoint/${name}`).toBe('0.1.0');
    }
  });

  it('TypeScript 7, the command line: adjoint src, tsc with the tsconfig.json of tsc --init, node', async () => {
    const dir = newProject('cli-ts7');
    expect(typeScriptMajor(dir)).toBe('7');
    sh('npx tsc --init', dir);
    shLines(block('sh', 'npx adjoint src'), dir);
    expect(readdirSync(path.join(dir, 'src')).sort()).toEqual(['check.ts', 'fit.ts', 'model.grad.ts', 'model.ts']);
    sh('npx tsc -p .', dir);
    sh('node src/fit.js', dir);
    await expectGradient(sh('node src/check.js', dir), path.join(dir, 'src/model.js'));
  }, SCENARIO_MS);

  it("TypeScript 7, Vite: the README's vite.config.ts, vite build, the bundle run", async () => {
    const dir = newProject('vite-ts7');
    shLines(block('sh', '@adjoint/unplugin vite'), dir);
    expect(typeScriptMajor(dir)).toBe('7');
    writeFileSync(path.join(dir, 'vite.config.ts'), block('ts', '// vite.config.ts\n'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html>\n<script type="module" src="/src/check.ts"></script>\n');
    sh('npx vite build', dir);
    const assets = path.join(dir, 'dist/assets');
    const [bundle] = readdirSync(assets).filter((f) => f.endsWith('.js'));
    // a browser's document, as far as Vite's module-preload check looks at it
    writeFileSync(path.join(dir, 'browser.js'), 'globalThis.document = { createElement: () => ({ relList: { supports: () => true } }) };\n');
    const output = sh(`node --import ./browser.js dist/assets/${bundle}`, dir);
    // the model itself, for finite differences: the CLI's build of the same source
    sh('npx adjoint src && npx tsc --init && npx tsc -p .', dir);
    await expectGradient(output, path.join(dir, 'src/model.js'));
  }, SCENARIO_MS);

  it('TypeScript 6, the tsc plugin: the README install line and plugin entry, tspc, node', async () => {
    const dir = newProject('tsc-plugin-ts6');
    shLines(block('sh', '@adjoint/tsc-plugin'), dir);
    expect(typeScriptMajor(dir)).toBe('6');
    sh('npx tsc --init', dir);
    // the README's plugin entry, added to the compilerOptions tsc --init wrote
    const entry = JSON.parse(block('jsonc', '@adjoint/tsc-plugin').replace(/^\/\/.*\n/, '')).compilerOptions.plugins;
    const tsconfig = path.join(dir, 'tsconfig.json');
    writeFileSync(tsconfig, readFileSync(tsconfig, 'utf8').replace('"compilerOptions": {', `"compilerOptions": {\n    "plugins": ${JSON.stringify(entry)},`));
    shLines(block('sh', 'npx tspc'), dir);
    expect(readdirSync(path.join(dir, 'src'))).not.toContain('model.grad.ts');
    sh('node src/fit.js', dir);
    await expectGradient(sh('node src/check.js', dir), path.join(dir, 'src/model.js'));
  }, SCENARIO_MS);
});
