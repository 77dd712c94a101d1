/**
 * The two code views: the source editor (CodeMirror 6, TypeScript highlighting, Adjoint's
 * diagnostics as lint markers) and the read-only companion.
 */
import type { Diagnostic } from '@adjoint/core';
import { javascript } from '@codemirror/lang-javascript';
import { defaultHighlightStyle, foldGutter, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { lineNumbers } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';

const typescript = javascript({ typescript: true });

export function sourceEditor(parent: HTMLElement, doc: string, onChange: (source: string) => void): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        typescript,
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': 'TypeScript source' }),
        EditorView.updateListener.of((update) => update.docChanged && onChange(update.state.doc.toString())),
      ],
    }),
  });
}

/** Replaces the editor's whole text (a preset chosen, a link opened). */
export function replaceText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/**
 * Changes the editor's text to `text` by replacing only what lies between their common start and
 * common end: the view keeps its scroll position, and the highlighter reparses only that span (a
 * keystroke changes a few lines of a companion of hundreds).
 */
export function updateText(view: EditorView, text: string): void {
  const old = view.state.doc.toString();
  const shorter = Math.min(old.length, text.length);
  let start = 0;
  while (start < shorter && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let end = 0;
  while (end < shorter - start && old.charCodeAt(old.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end++;
  if (start === old.length && start === text.length) return;
  view.dispatch({ changes: { from: start, to: old.length - end, insert: text.slice(start, text.length - end) } });
}

export function companionView(parent: HTMLElement): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: '',
      extensions: [
        lineNumbers(),
        foldGutter(),
        syntaxHighlighting(defaultHighlightStyle),
        typescript,
        EditorView.lineWrapping,
        EditorState.readOnly.of(true),
        EditorView.editable.of(false),
        EditorView.contentAttributes.of({ 'aria-label': 'Generated companion (read-only)' }),
      ],
    }),
  });
}

/** Adjoint's diagnostics as the editor's lint markers: underlined where they point, code, message and fix on hover. */
export function showDiagnostics(view: EditorView, diagnostics: Diagnostic[]): void {
  view.dispatch(
    setDiagnostics(
      view.state,
      diagnostics.map((d) => lintDiagnostic(view.state.doc, d)),
    ),
  );
}

function lintDiagnostic(doc: Text, diagnostic: Diagnostic): LintDiagnostic {
  const { location } = diagnostic;
  // (a diagnostic of the text compiled before the latest edit may point past the end)
  const line = doc.line(Math.min(Math.max(location?.line ?? 1, 1), doc.lines));
  const from = Math.min(line.from + (location?.column ?? 1) - 1, line.to);
  const to = Math.min(from + Math.max(location?.length ?? 0, 1), doc.length);
  return {
    from,
    to: Math.max(to, from),
    severity: diagnostic.category,
    source: diagnostic.code,
    message: diagnostic.fix ? `${diagnostic.message}\nfix: ${diagnostic.fix}` : diagnostic.message,
  };
}
