/**
 * The playground page: the source editor, its companion compiled in a worker as you type, and a
 * preset's run. The source lives in the URL (`#code=…`), so a link reproduces the page.
 */
import './style.css';
import { Compiler, type Compiled } from './compiler.ts';
import { renderDiagnostics } from './diagnostics-list.ts';
import { companionView, replaceText, showDiagnostics, sourceEditor, updateText } from './editor.ts';
import { defaultPreset, presetById, presetFor, presets, type Preset } from './presets/catalogue.ts';
import { RunPanel } from './run-panel.ts';
import { linkHash, sourceFromHash } from './share.ts';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const initial = sourceOnLoad();

/** What the page shows: the preset whose run goes with the source, and the file it is compiled as. */
const state: { preset: Preset | undefined; file: string; companionShown: boolean } = {
  preset: presetFor(initial),
  file: fileFor(presetFor(initial)),
  companionShown: false,
};

// the compiler first: its worker loads while the page builds the editors
const compiler = new Compiler(() => state.file, showCompiled);
compiler.edited(initial, true);
const editor = sourceEditor(element('source'), initial, edited);
const companion = companionView(element('companion'));
const runPanel = new RunPanel(
  {
    status: element('run-status'),
    loss: element('loss'),
    chart: element('chart'),
    check: element<HTMLTableSectionElement>('check'),
    picture: element<HTMLCanvasElement>('picture'),
  },
  updateRunButton,
);

choosePresetFor(initial);
fillPresetMenu();
window.addEventListener('hashchange', () => {
  const source = sourceFromHash(location.hash);
  if (typeof source === 'string' && source !== editor.state.doc.toString()) {
    choosePresetFor(source);
    replaceText(editor, source);
  }
});
element('run').addEventListener('click', () => void runOrStop());
element('share').addEventListener('click', () => void copyLink());

/** The source of a `#code=` link, or the default preset's. */
function sourceOnLoad(): string {
  const fromLink = sourceFromHash(location.hash);
  if (fromLink === null)
    element('run-status').textContent = 'The link holds no readable source (was it cut short?): showing an example instead.';
  return fromLink ?? defaultPreset.source;
}

/** The file name a source is compiled as: its preset's, or playground.ts. */
function fileFor(preset: Preset | undefined): string {
  return preset?.file ?? 'playground.ts';
}

/** The preset whose run fits the source, and its file name for the compiler. */
function choosePresetFor(source: string): void {
  state.preset = presetFor(source);
  state.file = fileFor(state.preset);
  const menu = element<HTMLSelectElement>('preset');
  menu.value = state.preset?.id ?? '';
  element('file-name').textContent = state.file;
  element('companion-name').textContent = state.file.replace(/\.ts$/, '.grad.ts');
  element('run-description').textContent =
    state.preset?.run ??
    `Run takes a source with the functions of an example: ${presets.map((p) => `${p.needs[0]} (${p.title})`).join(', ')}.`;
  updateRunButton();
}

function fillPresetMenu(): void {
  const menu = element<HTMLSelectElement>('preset');
  const yours = new Option('Your code', '');
  yours.disabled = true;
  menu.replaceChildren(yours, ...presets.map((preset) => new Option(preset.title, preset.id)));
  menu.value = state.preset?.id ?? '';
  menu.addEventListener('change', () => {
    const preset = presetById(menu.value);
    if (!preset) return;
    runPanel.stop();
    replaceText(editor, preset.source);
    choosePresetFor(preset.source);
    compiler.edited(preset.source, true);
  });
}

function edited(source: string): void {
  compiler.edited(source);
  history.replaceState(null, '', linkHash(source));
  updateRunButton();
}

function showCompiled(compiled: Compiled): void {
  const list = element('diagnostics');
  const timing = element('compile-time');
  if (compiled.failure) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'diagnostic error', textContent: compiled.failure }));
    timing.textContent = 'the compiler failed';
    return;
  }
  showDiagnostics(editor, compiled.diagnostics);
  renderDiagnostics(list, compiled.diagnostics, state.file, editor);
  timing.textContent = `compiled in ${Math.round(compiled.milliseconds)} ms`;
  timing.dataset.ms = String(compiled.milliseconds);
  timing.dataset.count = String(Number(timing.dataset.count ?? 0) + 1);
  timing.dataset.sinceEditMs = String(performance.now() - compiled.editedAt);
  const note = element('companion-note');
  const errors = compiled.diagnostics.filter((d) => d.category === 'error').length;
  note.hidden = compiled.companion !== undefined;
  if (compiled.companion !== undefined) {
    if (compiled.companion !== companion.state.doc.toString()) {
      updateText(companion, compiled.companion);
      offerDownload(compiled.companion);
    }
    if (!state.companionShown) firstCompanionShown();
  } else if (errors > 0) {
    note.textContent = `The source has ${errors === 1 ? 'an error' : `${errors} errors`} (see Diagnostics): the companion below is from the last version that compiled.`;
  } else {
    note.textContent = 'No function is marked /** @differentiable */: mark one to see its gradient.';
    replaceText(companion, '');
    element('download').hidden = true;
  }
  updateRunButton();
}

/** The companion as a file to save, named as the command line would write it. */
function offerDownload(text: string): void {
  const link = element<HTMLAnchorElement>('download');
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  link.download = state.file.replace(/\.ts$/, '.grad.ts');
  link.hidden = false;
}

/** Load to first companion: kept on the page for the end-to-end test, and as a performance mark. */
function firstCompanionShown(): void {
  state.companionShown = true;
  performance.mark('adjoint:first-companion');
  element('companion').dataset.firstShownMs = String(performance.now());
}

function updateRunButton(): void {
  const button = element<HTMLButtonElement>('run');
  const runnable = state.preset && presetFor(editor.state.doc.toString()) === state.preset;
  button.textContent = runPanel.running ? 'Stop' : 'Run';
  button.disabled = !runPanel.running && !runnable;
  button.title = runnable || runPanel.running ? '' : 'The source lacks the functions of the example this run belongs to.';
}

async function runOrStop(): Promise<void> {
  if (runPanel.running) {
    runPanel.stop();
    updateRunButton();
    return;
  }
  const preset = state.preset;
  if (!preset) return;
  const status = element('run-status');
  status.textContent = 'Compiling…';
  const compiled = await compiler.javascript(editor.state.doc.toString());
  if (!compiled.javascript) {
    status.textContent = compiled.failure ?? 'The source has errors (see Diagnostics): fix them to run.';
    return;
  }
  runPanel.start(preset.id, compiled.javascript);
  updateRunButton();
}

async function copyLink(): Promise<void> {
  const button = element('share');
  try {
    await navigator.clipboard.writeText(location.href);
    button.textContent = 'Link copied';
  } catch {
    button.textContent = 'Copy the address bar';
  }
  setTimeout(() => (button.textContent = 'Copy link'), 2000);
}
