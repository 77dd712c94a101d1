/**
 * The presets: the models of examples/, loaded into the editor as they are in the repository. Each
 * runs the optimisation loop of its example (in presets/problems.ts, inside the run worker) on the
 * functions compiled from the editor's text.
 */
import logisticGrowth from '../../../../examples/logistic-growth/model.ts?raw';
import projectile from '../../../../examples/projectile/simulation.ts?raw';
import mlp from '../../../../examples/mlp/network.ts?raw';
import renderer from '../../../../examples/renderer/scene.ts?raw';
import robotArm from '../../../../examples/robot-arm/arm.ts?raw';

export type PresetId = 'logistic-growth' | 'projectile' | 'mlp' | 'renderer' | 'robot-arm';

export interface Preset {
  id: PresetId;
  title: string;
  /** What the run does, in a sentence. */
  run: string;
  /** The file name the source is compiled as (the companion's comments cite it). */
  file: string;
  source: string;
  /** The functions the run calls, exported by the source. */
  needs: string[];
}

export const presets: Preset[] = [
  {
    id: 'logistic-growth',
    title: 'Logistic growth',
    run: 'Fits a logistic curve to 60 noisy points by Adam on the mean squared error (examples/logistic-growth/fit.ts).',
    file: 'model.ts',
    source: logisticGrowth,
    needs: ['squaredError'],
  },
  {
    id: 'projectile',
    title: 'Projectile',
    run: 'Tunes the launch angle and speed of a projectile with air drag to land 120 m away, by gradient descent through 1000 Euler steps (examples/projectile/tune.ts). The loss is the miss distance.',
    file: 'simulation.ts',
    source: projectile,
    needs: ['landingMiss'],
  },
  {
    id: 'mlp',
    title: 'MLP',
    run: 'Trains a 2-32-2 tanh network to separate two spirals, by full-batch Adam on the cross-entropy (examples/mlp/train.ts).',
    file: 'network.ts',
    source: mlp,
    needs: ['batchLoss'],
  },
  {
    id: 'renderer',
    title: 'Renderer',
    run: 'Recovers three soft discs from a 32×32 picture of them, by Adam on the pixel loss (examples/renderer/fit.ts). Left: the rendered discs; right: the target.',
    file: 'scene.ts',
    source: renderer,
    needs: ['pixelLoss', 'render', 'WIDTH', 'HEIGHT'],
  },
  {
    id: 'robot-arm',
    title: 'Robot arm',
    run: 'Turns the joints of a three-link arm until its hand reaches a target, by damped least squares on the Jacobian (examples/robot-arm/reach.ts). The loss is the distance to the target.',
    file: 'arm.ts',
    source: robotArm,
    needs: ['hand'],
  },
];

export const defaultPreset = presets[0]!;

export function presetById(id: string): Preset | undefined {
  return presets.find((preset) => preset.id === id);
}

/**
 * The preset whose run fits a source: the first whose functions the source exports. A shared link
 * holds only the source, so this is how it finds its run again.
 */
export function presetFor(source: string): Preset | undefined {
  return presets.find((preset) => preset.needs.every((name) => new RegExp(`export\\s+(function|const|let)\\s+${name}\\b`).test(source)));
}
