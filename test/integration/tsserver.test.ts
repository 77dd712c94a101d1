/**
 * @adjoint/ts-plugin in the real tsserver (TypeScript 6's), as an editor runs it: a project whose
 * tsconfig.json names the plugin, with model.ts and no model.grad.ts on disk. Opening main.ts, which
 * imports grad_f from './model.grad.js', gives no diagnostics, completions list grad_f, and
 * go-to-definition on grad_f lands on f in model.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'adjoint-tsserver-'));
writeFileSync(
  path.join(dir, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { module: 'nodenext', strict: true, noUncheckedIndexedAccess: true, types: [], noEmit: true, plugins: [{ name: '@adjoint/ts-plugin' }] } }),
);
writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
writeFileSync(path.join(dir, 'model.ts'), '/** @differentiable */\nexport function f(x: number, y: number): number {\n  return x * Math.sin(y);\n}\n');
const main = path.join(dir, 'main.ts');
writeFileSync(main, "import { grad_f } from './model.grad.js';\n\nexport const g: number = grad_f(1, 2).x;\n");

// the plugin is found where an editor's probe locations point: this workspace's node_modules
const server = spawn(process.execPath, [path.join(root, 'node_modules/typescript/lib/tsserver.js'), '--pluginProbeLocations', root, '--disableAutomaticTypingAcquisition'], {
  stdio: ['pipe', 'pipe', 'ignore'],
});
afterAll(() => {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
});

let buffer = '';
let seq = 0;
const waiting = new Map<number, (response: { success: boolean; body?: unknown; message?: string }) => void>();
server.stdout!.setEncoding('utf8');
server.stdout!.on('data', (chunk: string) => {
  buffer += chunk;
  for (;;) {
    const header = /Content-Length: (\d+)\r\n\r\n/.exec(buffer);
    if (!header) return;
    const start = header.index + header[0].length;
    const body = Buffer.from(buffer.slice(start));
    const length = Number(header[1]);
    if (body.length < length) return;
    const text = body.subarray(0, length).toString('utf8');
    buffer = body.subarray(length).toString('utf8');
    const message = JSON.parse(text) as { type: string; request_seq?: number; success: boolean; body?: unknown; message?: string };
    if (message.type === 'response' && waiting.has(message.request_seq!)) {
      waiting.get(message.request_seq!)!(message);
      waiting.delete(message.request_seq!);
    }
  }
});

function request<T>(command: string, args: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const id = ++seq;
    waiting.set(id, (response) => (response.success ? resolve(response.body as T) : reject(new Error(`${command}: ${response.message}`))));
    server.stdin!.write(`${JSON.stringify({ seq: id, type: 'request', command, arguments: args })}\n`);
  });
}

describe('@adjoint/ts-plugin in tsserver', () => {
  it('serves the companion: no diagnostics, grad_f completes, its definition is f', async () => {
    await request('open', { file: main });
    const diagnostics = await request<Array<{ text: string }>>('semanticDiagnosticsSync', { file: main });
    expect(diagnostics.map((d) => d.text)).toEqual([]);
    const completions = await request<{ entries: Array<{ name: string }> }>('completionInfo', { file: main, line: 1, offset: 10 });
    expect(completions.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['grad_f', 'valueAndGrad_f']));
    const definitions = await request<Array<{ file: string; start: { line: number; offset: number } }>>('definition', { file: main, line: 3, offset: 27 });
    expect(definitions.map((d) => [path.basename(d.file), d.start])).toEqual([['model.ts', { line: 2, offset: 17 }]]);
  });
});
