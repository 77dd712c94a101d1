/**
 * The run worker: a preset's optimisation loop over the functions compiled from the editor's text,
 * reporting its losses (and the renderer's image) as it goes. The page ends a run by terminating
 * the worker, so a source that never returns cannot hang the page.
 */
import { checkDerivatives } from '../gradient-check.ts';
import { presetById } from '../presets/catalogue.ts';
import { problems } from '../presets/problems.ts';
import type { Problem } from '../presets/problem.ts';
import type { RunReply, RunRequest, WorkerScope } from '../protocol.ts';
import { loadModules } from './modules.ts';

const scope = self as unknown as WorkerScope<RunRequest, RunReply>;

/** How long the loop runs between two reports to the page, ms. */
const REPORT_EVERY = 50;

scope.onmessage = (event) => {
  try {
    const preset = presetById(event.data.preset)!;
    const problem = problems[preset.id](loadModules(event.data.modules, preset.file));
    scope.postMessage({ kind: 'started', title: preset.title, steps: problem.steps, target: problem.picture?.target });
    scope.postMessage({ kind: 'check', rows: checkDerivatives(problem.check) });
    run(problem);
  } catch (error) {
    fail(error);
  }
};

function run(problem: Problem): void {
  const started = performance.now();
  let step = 0;
  const next = () => {
    try {
      const firstStep = step + 1;
      const losses: number[] = [];
      const until = performance.now() + REPORT_EVERY;
      while (step < problem.steps && (losses.length === 0 || performance.now() < until)) {
        losses.push(problem.step());
        step++;
      }
      scope.postMessage({ kind: 'progress', firstStep, losses, image: problem.picture?.current() });
      if (step < problem.steps) setTimeout(next, 0);
      else scope.postMessage({ kind: 'done', steps: step, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      fail(error);
    }
  };
  next();
}

function fail(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  scope.postMessage({ kind: 'failed', message });
}
