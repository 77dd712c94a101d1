/** The list of diagnostics under the editor: tsc's format, the fix beneath; a click shows the place. */
import type { Diagnostic } from '@adjoint/core';
import type { EditorView } from '@codemirror/view';

export function renderDiagnostics(list: HTMLElement, diagnostics: Diagnostic[], file: string, editor: EditorView): void {
  list.replaceChildren(
    ...diagnostics.map((diagnostic) => {
      const item = document.createElement('li');
      item.className = `diagnostic ${diagnostic.category}`;
      item.dataset.code = diagnostic.code;
      const where = diagnostic.location ? `${file}:${diagnostic.location.line}:${diagnostic.location.column} - ` : '';
      const headline = document.createElement('div');
      headline.textContent = `${where}${diagnostic.category} ${diagnostic.code}: ${diagnostic.message}`;
      item.append(headline);
      if (diagnostic.fix) {
        const fix = document.createElement('div');
        fix.className = 'fix';
        fix.textContent = `fix: ${diagnostic.fix}`;
        item.append(fix);
      }
      if (diagnostic.location) item.addEventListener('click', () => reveal(editor, diagnostic.location!.line, diagnostic.location!.column));
      return item;
    }),
  );
  list.dataset.count = String(diagnostics.length);
}

function reveal(editor: EditorView, line: number, column: number): void {
  const doc = editor.state.doc;
  const at = doc.line(Math.min(line, doc.lines));
  const anchor = Math.min(at.from + column - 1, at.to);
  editor.dispatch({ selection: { anchor }, scrollIntoView: true });
  editor.focus();
}
