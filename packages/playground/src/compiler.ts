/**
 * The page's side of the compile worker. Edits are debounced, and at most one compilation is in
 * flight: while one runs, only the latest text waits, so a burst of keystrokes costs one compile
 * after the one under way, never a queue of stale ones.
 */
import type { CompileReply, CompileRequest, RunnableModules } from './protocol.ts';

/** The wait after a keystroke before compiling, ms: typing a word compiles once. */
export const DEBOUNCE_MS = 200;

export interface Compiled extends CompileReply {
  source: string;
  /** When the edit that this compilation answers was made (performance.now()). */
  editedAt: number;
}

export class Compiler {
  private readonly worker = new Worker(new URL('./workers/compile.ts', import.meta.url), { type: 'module', name: 'adjoint-compile' });
  private nextId = 1;
  private readonly waiting = new Map<number, { source: string; editedAt: number; resolve: (reply: Compiled) => void }>();
  private inFlight = false;
  private pending: { source: string; editedAt: number } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly path: () => string,
    private readonly onCompiled: (compiled: Compiled) => void,
  ) {
    this.worker.onmessage = (event: MessageEvent<CompileReply>) => {
      const request = this.waiting.get(event.data.id)!;
      this.waiting.delete(event.data.id);
      request.resolve({ ...event.data, source: request.source, editedAt: request.editedAt });
    };
    this.worker.onerror = (event) => {
      const failure = `The compiler did not load: ${event.message || 'the worker failed to start'}`;
      for (const [id, request] of this.waiting)
        request.resolve({ id, diagnostics: [], milliseconds: 0, failure, source: request.source, editedAt: request.editedAt });
      this.waiting.clear();
    };
  }

  /** Compiles `source` after the debounce delay (at once with `immediately`). */
  edited(source: string, immediately = false): void {
    const editedAt = performance.now();
    clearTimeout(this.timer);
    const start = () => {
      this.pending = { source, editedAt };
      this.startPending();
    };
    if (immediately) start();
    else this.timer = setTimeout(start, DEBOUNCE_MS);
  }

  /** The source and its companion as JavaScript, or the reason there is none (diagnostics). */
  async javascript(source: string): Promise<Compiled & { javascript?: RunnableModules }> {
    return this.send(source, performance.now(), true);
  }

  private startPending(): void {
    if (this.inFlight || !this.pending) return;
    const { source, editedAt } = this.pending;
    this.pending = undefined;
    this.inFlight = true;
    void this.send(source, editedAt, false).then((compiled) => {
      this.inFlight = false;
      this.onCompiled(compiled);
      this.startPending();
    });
  }

  private send(source: string, editedAt: number, javascript: boolean): Promise<Compiled> {
    const id = this.nextId++;
    const request: CompileRequest = { id, path: `/${this.path()}`, source, javascript };
    return new Promise((resolve) => {
      this.waiting.set(id, { source, editedAt, resolve });
      this.worker.postMessage(request);
    });
  }
}
