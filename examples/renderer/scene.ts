/**
 * A tiny differentiable renderer: soft discs painted over a grey background on a WIDTH × HEIGHT
 * grid of pixels. Disc k is four numbers in `shapes`, at 4k … 4k+3: its centre (x, y) and radius in
 * pixels, and its grey intensity (0 black … 1 white). Images are Float64Arrays of grey values,
 * row by row: pixel (px, py) is at index py·WIDTH + px.
 *
 * A hard-edged disc covers a pixel or not, so moving it a little changes nothing until an edge
 * jumps a pixel: its gradient is zero almost everywhere. A soft edge fixes that: the coverage of a
 * pixel at distance d from the centre of a disc of radius r is
 *
 *   coverage = sigmoid((r - d) / SOFTNESS) = 1 / (1 + e^((d - r) / SOFTNESS)),
 *
 * 1 well inside, ½ on the edge, 0 well outside, and smooth in the centre and the radius.
 */

export const WIDTH = 32;
export const HEIGHT = 32;
/** The width of a disc's soft edge, in pixels. */
const SOFTNESS = 0.75;
/** The grey of the empty canvas. */
const BACKGROUND = 0.1;

/**
 * The grey of the pixel whose centre is (x, y): the background, with each disc painted over it in
 * turn ("over" compositing): value ← value·(1 - coverage) + intensity·coverage.
 */
function shade(shapes: Float64Array, x: number, y: number): number {
  const sharpness = 1 / SOFTNESS;
  let value = BACKGROUND;
  for (let k = 0; k + 3 < shapes.length; k += 4) {
    const dx = x - shapes[k]!;
    const dy = y - shapes[k + 1]!;
    // + 1e-9 keeps ∂d/∂centre = (centre - pixel)/d finite when a centre sits on a pixel's centre
    const distance = Math.sqrt(dx * dx + dy * dy + 1e-9);
    const coverage = 1 / (1 + Math.exp((distance - shapes[k + 2]!) * sharpness));
    value = value * (1 - coverage) + shapes[k + 3]! * coverage;
  }
  return value;
}

/**
 * The mean squared difference between the rendered image and `target`, per pixel. `shade` is
 * differentiated too: the gradient flows through it to the discs.
 * @differentiable(wrt: shapes)
 */
export function pixelLoss(shapes: Float64Array, target: Float64Array): number {
  let loss = 0;
  for (let py = 0; py < HEIGHT; py++) {
    for (let px = 0; px < WIDTH; px++) {
      const residual = shade(shapes, px + 0.5, py + 0.5) - target[py * WIDTH + px]!;
      loss += residual * residual;
    }
  }
  return loss / (WIDTH * HEIGHT);
}

/** The image the discs in `shapes` make, pixel by pixel as `pixelLoss` sees it. */
export function render(shapes: Float64Array): Float64Array {
  const image = new Float64Array(WIDTH * HEIGHT);
  for (let py = 0; py < HEIGHT; py++) {
    for (let px = 0; px < WIDTH; px++) image[py * WIDTH + px] = shade(shapes, px + 0.5, py + 0.5);
  }
  return image;
}
