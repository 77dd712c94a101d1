/**
 * The run panel: starts a preset's run in a worker of its own, plots the loss as it falls (uPlot,
 * log scale), shows the last loss, the gradient check at the start point and, for the renderer,
 * the image converging beside its target.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { agrees, relativeDifference } from './gradient-check.ts';
import type { PresetId } from './presets/catalogue.ts';
import type { GradientCheckRow, GreyImage, RunnableModules, RunReply, RunRequest } from './protocol.ts';

export interface RunElements {
  status: HTMLElement;
  loss: HTMLElement;
  chart: HTMLElement;
  check: HTMLTableSectionElement;
  picture: HTMLCanvasElement;
}

/** How many screen pixels a pixel of the renderer's image takes. */
const PICTURE_SCALE = 5;

export class RunPanel {
  private worker: Worker | undefined;
  private plot: uPlot | undefined;
  private readonly steps: number[] = [];
  private readonly losses: Array<number | null> = [];
  /** The picture the run fits (the renderer's target image). */
  private target: GreyImage | undefined;

  constructor(
    private readonly elements: RunElements,
    private readonly onFinished: () => void,
  ) {
    new ResizeObserver(() => this.plot?.setSize(this.chartSize())).observe(elements.chart);
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  start(preset: PresetId, modules: RunnableModules): void {
    this.stop();
    this.steps.length = 0;
    this.losses.length = 0;
    this.plotData();
    this.elements.loss.textContent = '…';
    delete this.elements.loss.dataset.initial;
    delete this.elements.loss.dataset.step;
    this.elements.check.replaceChildren();
    this.elements.picture.hidden = true;
    this.elements.status.textContent = 'Starting…';
    this.worker = new Worker(new URL('./workers/run.ts', import.meta.url), { type: 'module', name: 'adjoint-run' });
    this.worker.onmessage = (event: MessageEvent<RunReply>) => this.received(event.data);
    this.worker.onerror = (event) => this.finish(`The run failed: ${event.message || 'its worker did not start'}`);
    const request: RunRequest = { preset, modules };
    this.worker.postMessage(request);
  }

  /** Ends the run under way, if any (its worker is terminated: a source that never returns cannot hang the page). */
  stop(): void {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = undefined;
    this.elements.status.textContent = `Stopped after ${this.steps.length} steps.`;
  }

  private finish(status: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.elements.status.textContent = status;
    this.onFinished();
  }

  private received(reply: RunReply): void {
    switch (reply.kind) {
      case 'started':
        this.elements.status.textContent = `${reply.title}: running ${reply.steps} steps…`;
        this.elements.status.dataset.steps = String(reply.steps);
        this.target = reply.target;
        return;
      case 'check':
        this.showCheck(reply.rows);
        return;
      case 'progress':
        reply.losses.forEach((loss, i) => {
          this.steps.push(reply.firstStep + i);
          // (a log scale has no place for zero)
          this.losses.push(loss > 0 ? loss : null);
        });
        this.showLoss(reply.losses.at(-1)!, reply.firstStep + reply.losses.length - 1, reply.losses[0]!);
        this.plotData();
        if (reply.image) this.drawPicture(reply.image);
        return;
      case 'done':
        this.finish(`Done: ${reply.steps} steps in ${reply.seconds.toFixed(2)} s.`);
        return;
      case 'failed':
        this.finish(`The run failed: ${reply.message}`);
        return;
    }
  }

  private showLoss(loss: number, step: number, firstOfBatch: number): void {
    const { loss: element } = this.elements;
    element.textContent = formatNumber(loss);
    element.title = `step ${step}: ${loss}`;
    element.dataset.step = String(step);
    element.dataset.value = String(loss);
    element.dataset.initial ??= String(firstOfBatch);
  }

  private plotData(): void {
    const data: uPlot.AlignedData = [this.steps, this.losses];
    if (this.plot) this.plot.setData(data);
    else if (this.steps.length > 0) this.plot = this.createPlot(data);
  }

  private createPlot(data: uPlot.AlignedData): uPlot {
    const options: uPlot.Options = {
      ...this.chartSize(),
      scales: { x: { time: false }, y: { distr: 3 } },
      series: [{ label: 'step' }, { label: 'loss', stroke: '#3b6fd8', width: 2, points: { show: false } }],
      // a label at each power of ten; the log scale's ticks between them stay unlabelled
      axes: [{ label: 'step' }, { label: 'loss (log scale)', size: 64, values: (_, ticks) => ticks.map(powerOfTenLabel) }],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
    };
    return new uPlot(options, data, this.elements.chart);
  }

  private chartSize(): { width: number; height: number } {
    return { width: Math.max(200, this.elements.chart.clientWidth), height: 220 };
  }

  private showCheck(rows: GradientCheckRow[]): void {
    this.elements.check.replaceChildren(
      ...rows.map((row) => {
        const tr = document.createElement('tr');
        const ok = agrees(row);
        tr.className = ok ? 'agrees' : 'differs';
        for (const text of [
          row.label,
          formatNumber(row.adjoint),
          formatNumber(row.finiteDifference),
          relativeDifference(row).toExponential(1),
          ok ? '✓' : '✗',
        ]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.append(td);
        }
        return tr;
      }),
    );
  }

  /** The current image on the left, the target on the right. */
  private drawPicture(current: GreyImage): void {
    const canvas = this.elements.picture;
    const { width, height } = current;
    canvas.width = (2 * width + 2) * PICTURE_SCALE;
    canvas.height = height * PICTURE_SCALE;
    canvas.hidden = false;
    const context = canvas.getContext('2d')!;
    context.imageSmoothingEnabled = false;
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(greyCanvas(current), 0, 0, width * PICTURE_SCALE, height * PICTURE_SCALE);
    if (this.target)
      context.drawImage(greyCanvas(this.target), (width + 2) * PICTURE_SCALE, 0, width * PICTURE_SCALE, height * PICTURE_SCALE);
  }
}

function greyCanvas(image: GreyImage): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const data = new ImageData(image.width, image.height);
  image.pixels.forEach((grey, i) => {
    const level = Math.round(255 * Math.min(1, Math.max(0, grey)));
    data.data.set([level, level, level, 255], 4 * i);
  });
  canvas.getContext('2d')!.putImageData(data, 0, 0);
  return canvas;
}

function powerOfTenLabel(tick: number | null): string {
  if (tick === null || tick <= 0) return '';
  const exponent = Math.log10(tick);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? `1e${Math.round(exponent)}` : '';
}

/** A number in four significant digits, exponential when it is very small or large. */
export function formatNumber(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude >= 1e-3 && magnitude < 1e5 ? String(Number(value.toPrecision(4))) : value.toExponential(3);
}
