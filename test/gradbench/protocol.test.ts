/**
 * The Adjoint tool's protocol loop, on sessions of GradBench's real evals recorded by
 *
 *   GRADBENCH_DIR=<checkout> pnpm gradbench --tool adjoint --log <dir> <eval> <small sizes> --min-seconds 0
 *
 * (fixtures/<eval>.jsonl, GradBench's log format; the sizes are in each file's evaluate
 * descriptions). Every evaluation in them was found valid by the eval, against GradBench's manual
 * C++ tool (the analysis messages in the files say so). The eval's messages are replayed through
 * serve(), the tool's main loop, with one run each: the responses must come back in order, with the
 * same ids and the recorded outputs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { respond, serve, type Message, type ModuleLoader } from '../../gradbench/tool/protocol.ts';
import { generateCompanions } from './companions.ts';

const fixtures = new URL('./fixtures/', import.meta.url);
const names = readdirSync(fixtures)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => f.replace(/\.jsonl$/, ''));

let loadModule: ModuleLoader;
beforeAll(async () => {
  generateCompanions();
  loadModule = (await import('../../gradbench/tool/modules.ts')).loadModule;
}, 300_000);

type Line = { message: Record<string, any> } | { response: Record<string, any> };

function read(name: string): Line[] {
  return readFileSync(new URL(`${name}.jsonl`, fixtures), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
}

/** Numbers equal to 1e-9 relative (the same code on the same input), everything else exactly. */
function expectSame(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    const scale = Math.max(1, Math.abs(expected));
    expect(Math.abs((actual as number) - expected) / scale, `${path}: ${actual} vs recorded ${expected}`).toBeLessThan(1e-9);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => expectSame((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, e] of Object.entries(expected)) expectSame((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

describe('the protocol loop on recorded sessions', () => {
  it('has a recorded session of every eval the tool implements', async () => {
    const { EVALS } = await import('../../gradbench/tool/modules.ts');
    expect(names.sort()).toEqual([...EVALS].sort());
  });

  for (const name of names) {
    it(`${name}: the recorded session replays, with the outputs the eval validated`, async () => {
      const lines = read(name);
      const messages = lines.flatMap((l) => ('message' in l ? [l.message] : []));
      const recorded = new Map(lines.flatMap((l) => ('response' in l ? [[l.response.id, l.response] as const] : [])));
      // every evaluation in the recording was analysed as valid
      const evaluations = messages.filter((m) => m.kind === 'evaluate');
      expect(evaluations.length).toBeGreaterThan(0);
      for (const e of evaluations) expect(messages.find((m) => m.kind === 'analysis' && m.of === e.id)?.valid, `analysis of ${e.id}`).toBe(true);

      const input = messages.map((m) => JSON.stringify(m.kind === 'evaluate' && typeof m.input === 'object' ? { ...m, input: { ...m.input, min_runs: 1, min_seconds: 0 } } : m));
      async function* lineStream() {
        yield* input;
      }
      const written: string[] = [];
      await serve(lineStream(), (line) => written.push(line), loadModule);

      expect(written).toHaveLength(messages.length);
      written.forEach((line, i) => {
        const response = JSON.parse(line);
        const message = messages[i]!;
        const before = recorded.get(message.id)!;
        expect(response.id).toBe(message.id);
        if (message.kind === 'start') expect(response.tool).toBe('adjoint');
        if (message.kind === 'define') expect(response).toEqual({ id: message.id, success: true });
        if (message.kind === 'analysis') expect(response).toEqual({ id: message.id });
        if (message.kind === 'evaluate') {
          expect(response.success, response.error).toBe(true);
          expect(response.timings.length).toBe(1);
          expect(response.timings[0].name).toBe('evaluate');
          expectSame(response.output, before.output, `${message.function}(${message.description ?? ''})`);
        }
      });
    }, 60_000);
  }
});

describe('respond', () => {
  const none: ModuleLoader = async () => undefined;
  const one: ModuleLoader = async (name) =>
    name === 'm'
      ? {
          f: (x: number) => ({ output: 2 * x, timings: [{ name: 'evaluate', nanoseconds: 1 }] }),
          fails: () => {
            throw new Error('no such thing');
          },
        }
      : undefined;

  it('answers start with the tool name and acknowledges what it does not act on', async () => {
    expect(await respond({ id: 0, kind: 'start', eval: 'x' }, none)).toEqual({ id: 0, tool: 'adjoint' });
    expect(await respond({ id: 3, kind: 'analysis', of: 2, valid: true }, none)).toEqual({ id: 3 });
    expect(await respond({ id: 4, kind: 'end' }, none)).toEqual({ id: 4 });
  });

  it('declines a module it does not have, and says why', async () => {
    const r = await respond({ id: 1, kind: 'define', module: 'nope' }, none);
    expect(r).toMatchObject({ id: 1, success: false });
    expect(r.error).toContain("no module 'nope'");
  });

  it('reports a function that throws, or that does not exist, as a failure with the error', async () => {
    const thrown = await respond({ id: 2, kind: 'evaluate', module: 'm', function: 'fails', input: 1 } as Message, one);
    expect(thrown).toMatchObject({ id: 2, success: false });
    expect(thrown.error).toContain('no such thing');
    const missing = await respond({ id: 3, kind: 'evaluate', module: 'm', function: 'toString', input: 1 } as Message, one);
    expect(missing).toMatchObject({ id: 3, success: false });
    expect(missing.error).toContain("no function 'toString'");
    expect(await respond({ id: 4, kind: 'evaluate', module: 'm', function: 'f', input: 2 } as Message, one)).toEqual({
      id: 4,
      success: true,
      output: 4,
      timings: [{ name: 'evaluate', nanoseconds: 1 }],
    });
  });

  it('stops with a clear error on a line that is not JSON', async () => {
    async function* lines() {
      yield '{"id":0,"kind":"start"}';
      yield 'not json';
    }
    const out: string[] = [];
    await expect(serve(lines(), (l) => out.push(l), none)).rejects.toThrow('not JSON');
    expect(out).toEqual(['{"id":0,"tool":"adjoint"}']);
  });
});
