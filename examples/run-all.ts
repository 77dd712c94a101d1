/**
 * Runs every example in turn, each under a heading with its running time:
 *   pnpm build && pnpm adjoint examples && tsx examples/run-all.ts
 * (`pnpm start` does exactly that). The gradients come from the generated *.grad.ts companions.
 */
const examples = [
  { title: 'logistic growth: fit a curve to noisy data', module: './logistic-growth/fit.ts' },
  { title: 'projectile: tune a launch to hit a target', module: './projectile/tune.ts' },
  { title: 'renderer: recover soft discs from an image', module: './renderer/fit.ts' },
  { title: 'mlp: train a neural network to separate two spirals', module: './mlp/train.ts' },
  { title: 'robot arm: reach a target by the Jacobian of the hand position', module: './robot-arm/reach.ts' },
  { title: 'hyperparameters: tune a learning rate and a weight decay by differentiating through training', module: './hyperparameters/tune.ts' },
];

let failed = false;
for (const { title, module } of examples) {
  console.log(`\n=== ${title} (examples/${module.slice(2)}) ===\n`);
  const start = performance.now();
  try {
    // Each example does its work when it is loaded.
    await import(module);
    console.log(`\n(${((performance.now() - start) / 1000).toFixed(2)} s)`);
  } catch (error) {
    failed = true;
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    console.error(missing ? `${(error as Error).message}\nGenerate the gradients first: pnpm adjoint examples` : error);
  }
}
process.exitCode = failed ? 1 : 0;
