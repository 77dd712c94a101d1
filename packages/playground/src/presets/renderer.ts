/** examples/renderer/fit.ts: three soft discs recovered from a picture of them by Adam. */
import type { GreyImage } from '../protocol.ts';
import { Adam } from './adam.ts';
import { exported, type LoadedModules, type Problem } from './problem.ts';

type PixelLoss = (shapes: Float64Array, target: Float64Array) => number;
type Render = (shapes: Float64Array) => Float64Array;
type ValueAndGrad = (shapes: Float64Array, target: Float64Array) => { value: number; grad: { shapes: Float64Array } };

/** Each disc is [centre x, centre y, radius, intensity], in pixels and grey levels. */
const truth = [10, 11, 6.5, 0.95, 21, 19, 8, 0.55, 12, 24, 4.5, 0.3];
const start = [7, 15, 4, 0.5, 24, 23, 5, 0.5, 16, 27, 3, 0.5];
/** Adam's pace per field of a disc: pixels for the centre and radius, grey levels for the intensity. */
const LEARNING_RATES = [0.3, 0.3, 0.3, 0.03];

export function renderer(modules: LoadedModules): Problem {
  const pixelLoss = exported<PixelLoss>(modules, 'source', 'pixelLoss');
  const render = exported<Render>(modules, 'source', 'render');
  const width = exported<number>(modules, 'source', 'WIDTH');
  const height = exported<number>(modules, 'source', 'HEIGHT');
  const valueAndGrad = exported<ValueAndGrad>(modules, 'companion', 'valueAndGrad_pixelLoss');
  const target = render(Float64Array.from(truth));
  const shapes = Float64Array.from(start);
  const adam = new Adam(shapes.length, (i) => LEARNING_RATES[i % 4]!);
  const image = (pixels: Float64Array): GreyImage => ({ width, height, pixels });
  return {
    steps: 300,
    step() {
      const { value, grad } = valueAndGrad(shapes, target);
      adam.step(shapes, grad.shapes);
      return value;
    },
    check: {
      inputs: ['x₀', 'y₀', 'r₀', 'grey₀', 'x₁', 'y₁', 'r₁', 'grey₁', 'x₂', 'y₂', 'r₂', 'grey₂'],
      outputs: ['pixelLoss'],
      point: start,
      evaluate: (p) => [pixelLoss(Float64Array.from(p), target)],
      jacobian: (p) => [Array.from(valueAndGrad(Float64Array.from(p), target).grad.shapes)],
    },
    picture: { target: image(target), current: () => image(render(shapes)) },
  };
}
