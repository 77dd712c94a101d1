/**
 * The documentation cannot drift from the compiler:
 * - docs/supported.md's diagnostics table is the catalogue, every code in its order with its
 *   message and fix (UPDATE_DOCS=1 rewrites the table);
 * - every ADnnnn that README.md or docs/ names is a code of the catalogue;
 * - every diagnostic shown as output (a ```text block after the ```ts source it comes from, whose
 *   first line names the file) is what the compiler prints for that source;
 * - every relative link points to a file that exists.
 */
import { compile, formatDiagnostic } from '@adjoint/core';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../packages/core/src/diagnostics/catalogue.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const supportedPath = join(root, 'docs/supported.md');
const documents = ['README.md', 'BENCHMARKS.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const read = (document: string) => readFileSync(join(root, document), 'utf8');

const start = '<!-- diagnostics:start -->';
const end = '<!-- diagnostics:end -->';

/** A catalogue text as a table cell: placeholders become `…`, pipes are escaped. */
function cell(text: string): string {
  return text.replace(/\{\w+\}/g, '…').replace(/\|/g, '\\|');
}

function diagnosticsTable(): string {
  const rows = Object.entries(catalogue).map(
    ([code, entry]) => `| ${code} | ${entry.category} | ${cell(entry.message)} | ${'fix' in entry ? cell(entry.fix) : ''} |`,
  );
  return ['| code | kind | message | fix |', '|---|---|---|---|', ...rows].join('\n');
}

/** The fenced code blocks of a markdown text, with their language. */
function codeBlocks(markdown: string): { language: string; text: string }[] {
  // a block inside a list item is indented: its lines lose the fence's indentation
  return [...markdown.matchAll(/^( *)```(\w*)[^\n]*\n([\s\S]*?)^\1```/gm)].map((m) => ({
    language: m[2]!,
    text: m[3]!.replace(new RegExp(`^ {0,${m[1]!.length}}`, 'gm'), ''),
  }));
}

describe('docs/supported.md', () => {
  it('lists every diagnostic of the catalogue, in order, with its message and fix', () => {
    const text = read('docs/supported.md');
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    expect(from, `${start} marker`).toBeGreaterThan(-1);
    expect(to, `${end} marker`).toBeGreaterThan(from);
    const table = diagnosticsTable();
    const current = text.slice(from + start.length, to).trim();
    if (process.env.UPDATE_DOCS && current !== table) {
      writeFileSync(supportedPath, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
      return;
    }
    const codes = (markdown: string) => [...markdown.matchAll(/^\| (AD\d{4}) \|/gm)].map((m) => m[1]);
    // The codes first, so that a missing or misplaced row is named plainly.
    expect(codes(current)).toEqual(Object.keys(catalogue));
    expect(current).toBe(table);
  });
});

describe.each(documents)('%s', (document) => {
  const text = read(document);

  it('names only codes of the catalogue', () => {
    const named = new Set([...text.matchAll(/\bAD(\d{4})\b/g)].map((m) => `AD${m[1]}`));
    const unknown = [...named].filter((code) => !(code in catalogue));
    expect(unknown).toEqual([]);
  });

  it('links only to files that exist', () => {
    const links = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/.test(target));
    const missing = links.filter((target) => !existsSync(resolve(dirname(join(root, document)), decodeURIComponent(target))));
    expect(missing).toEqual([]);
  });

  it('shows diagnostics exactly as the compiler prints them for the source shown before them', async () => {
    const blocks = codeBlocks(text);
    for (const [index, block] of blocks.entries()) {
      if (block.language !== 'text' || !/ - (error|warning) AD\d{4}:/.test(block.text)) continue;
      const source = blocks[index - 1];
      const path = source?.text.match(/^\/\/ (\S+\.ts)\n/)?.[1];
      expect(path, `the block before ${JSON.stringify(block.text.slice(0, 60))} is the source it comes from`).toBeDefined();
      const { diagnostics } = await compile([{ path: path!, text: source!.text }], { format: false });
      const printed = diagnostics.map((d) => formatDiagnostic(d, { sourceText: source!.text })).join('\n\n');
      expect(printed).toBe(block.text.trimEnd());
    }
  });
});
