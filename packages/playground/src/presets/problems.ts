/** Each preset's run, by id: what the run worker builds from the loaded modules. */
import type { PresetId } from './catalogue.ts';
import { logisticGrowth } from './logistic-growth.ts';
import { mlp } from './mlp.ts';
import type { LoadedModules, Problem } from './problem.ts';
import { projectile } from './projectile.ts';
import { renderer } from './renderer.ts';
import { robotArm } from './robot-arm.ts';

export const problems: Record<PresetId, (modules: LoadedModules) => Problem> = {
  'logistic-growth': logisticGrowth,
  projectile,
  mlp,
  renderer,
  'robot-arm': robotArm,
};
