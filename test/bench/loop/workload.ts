/**
 * A loop of 10⁶ steps (the pendulum): time, and the memory of the tape per step against what the
 * reverse sweep reads; and the same loop checkpointed (checkpointed.ts): its time and peak memory. TF.js runs on 10⁴ steps (a workload of its own), since its tape keeps a
 * tensor per operation and step.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTf } from '../support/peers.ts';
import type { GradientTool, PreparedWorkload, Skipped } from '../support/types.ts';
import { afterEachPush } from '../../support/tape-probe.ts';
import { pendulumHandGradient } from './hand.ts';
import { pendulum } from './objective.ts';
import { valueAndGrad_pendulum } from './objective.grad.ts';
import { valueAndGrad_pendulum as valueAndGrad_checkpointed } from './checkpointed.grad.ts';
import { tfPendulum } from './peers.ts';

const H = 1e-5;
const PARAMS = new Float64Array([2, 0.1, 0.5, 0]);
/** What the reverse sweep must read of each step: x (for sin x and cos x) and v (for ∂/∂c). */
const MINIMUM_BYTES_PER_STEP = 16;

export async function prepareLoop(name: string): Promise<PreparedWorkload> {
  const steps = name === '1e4' ? 10_000 : 1_000_000;
  const params = PARAMS.slice();
  const tools: GradientTool[] = [
    {
      name: 'adjoint',
      precision: 'float64',
      run: () => valueAndGrad_pendulum(params, steps, H),
      evaluate: () => {
        const r = valueAndGrad_pendulum(params, steps, H);
        return { value: r.value, gradient: r.grad.params };
      },
    },
    {
      name: 'adjoint-checkpointed',
      precision: 'float64',
      run: () => valueAndGrad_checkpointed(params, steps, H),
      evaluate: () => {
        const r = valueAndGrad_checkpointed(params, steps, H);
        return { value: r.value, gradient: r.grad.params };
      },
    },
    {
      name: 'hand',
      precision: 'float64',
      run: () => pendulumHandGradient(params, steps, H),
      evaluate: () => {
        const r = pendulumHandGradient(params, steps, H);
        return { value: r.value, gradient: r.grad.params };
      },
    },
  ];
  const skipped: Skipped[] = [{ name: 'jax', reason: 'jax-js 0.1.25 has no fori_loop/scan: jit would unroll every step' }];
  if (steps <= 10_000) {
    const tf = await loadTf();
    if (typeof tf === 'string') skipped.push({ name: 'tfjs', reason: tf });
    else {
      const run = tfPendulum(tf, params, steps, H);
      tools.push({ name: 'tfjs', precision: 'float32', run, evaluate: run });
    }
  } else {
    skipped.push({ name: 'tfjs', reason: 'run on 10⁴ steps instead (loop/1e4): its tape keeps a tensor per operation and step' });
  }
  return {
    id: `loop/${name}`,
    group: 'loop',
    title: `loop, ${steps === 10_000 ? '10⁴' : '10⁶'} steps`,
    inputs: 4,
    f: () => pendulum(params, steps, H),
    fAt: (p) => pendulum(p, steps, H),
    point: params,
    tools,
    skipped,
    fdEntries: 4,
    extra: async () => (steps === 1_000_000 ? { tape: await measureTape(steps), checkpointedTape: await measureCheckpointed(steps) } : {}),
  };
}

/**
 * The tape's peak size, from an instrumented copy of the companion whose Tape records how many
 * numbers it held at most and how large its buffer grew.
 */
async function measureTape(steps: number): Promise<Record<string, unknown>> {
  const companion = fileURLToPath(new URL('./objective.grad.ts', import.meta.url));
  const probe = fileURLToPath(new URL('./objective.tape-probe.ts', import.meta.url));
  const text = readFileSync(companion, 'utf8');
  const instrumented = afterEachPush(
    text,
    (top, values) =>
      `if (${top} > tapePeak.numbers) tapePeak.numbers = ${top};\nif (${values}.length > tapePeak.capacity) tapePeak.capacity = ${values}.length;`,
  );
  if (instrumented === undefined) return { skipped: 'the companion has no Tape class of the expected shape' };
  writeFileSync(probe, `${instrumented}\nexport const tapePeak = { numbers: 0, capacity: 0 };\n`);
  let m;
  try {
    m = await import(probe);
  } catch (error) {
    return { skipped: `instrumented companion failed to load: ${(error as Error).message}` };
  } finally {
    rmSync(probe, { force: true });
  }
  m.valueAndGrad_pendulum(PARAMS, steps, H);
  const { numbers, capacity } = m.tapePeak as { numbers: number; capacity: number };
  return {
    steps,
    peakNumbers: numbers,
    bytesPerStep: (numbers * 8) / steps,
    bufferBytes: capacity * 8,
    minimumBytesPerStep: MINIMUM_BYTES_PER_STEP,
  };
}

/**
 * The checkpointed gradient's peak memory, from an instrumented copy of its companion: the most
 * numbers its tape held, and the states the schedule stores (slots × width numbers, allocated when
 * the reverse sweep starts), with how many steps the schedule ran again.
 */
async function measureCheckpointed(steps: number): Promise<Record<string, unknown>> {
  const companion = fileURLToPath(new URL('./checkpointed.grad.ts', import.meta.url));
  const probe = fileURLToPath(new URL('./checkpointed.tape-probe.ts', import.meta.url));
  const edits: Array<[string, string]> = [
    [
      'this.numbers = new Float64Array(Math.max(1, slots) * width);',
      'this.numbers = new Float64Array(Math.max(1, slots) * width);\n    checkpointPeak.slots = slots;\n    checkpointPeak.width = width;',
    ],
    ['return Revolve.advance;', 'checkpointPeak.advanced += this.capo - this.from;\n    return Revolve.advance;'],
  ];
  let text = afterEachPush(
    readFileSync(companion, 'utf8'),
    (top) => `if (${top} > checkpointPeak.numbers) checkpointPeak.numbers = ${top};`,
  );
  if (text === undefined) return { skipped: 'the companion has no Tape class of the expected shape' };
  for (const [from, to] of edits) {
    if (!text.includes(from)) return { skipped: `the companion has no '${from}' to instrument` };
    text = text.replace(from, to);
  }
  writeFileSync(probe, `${text}\nexport const checkpointPeak = { numbers: 0, slots: 0, width: 0, advanced: 0 };\n`);
  let m;
  try {
    m = await import(probe);
  } catch (error) {
    return { skipped: `instrumented companion failed to load: ${(error as Error).message}` };
  } finally {
    rmSync(probe, { force: true });
  }
  m.valueAndGrad_pendulum(PARAMS, steps, H);
  const { numbers, slots, width, advanced } = m.checkpointPeak as { numbers: number; slots: number; width: number; advanced: number };
  return { steps, peakNumbers: numbers, slots, width, stateBytes: slots * width * 8, peakBytes: (numbers + slots * width) * 8, advanced };
}
