/**
 * Reading the `@differentiable` mark and its options, in the style of Swift's attribute:
 *   @differentiable                 every parameter that holds numbers
 *   @differentiable(wrt: x, y)      only x and y
 *   @differentiable(wrt: x, this.w) x and the field w of `this` (a method, phases/2-lower/methods.ts)
 *   @differentiable(forward)        jvp_f as well (forward mode); options combine
 *   @differentiable(hessian)        second order as well: hvp_f and hessian_f
 *
 * The mark is a JSDoc tag, as TypeScript parses it. Nothing may follow it on its line but its
 * parenthesised options, and a function carries one mark: anything else is an error, never a mark
 * read as something it does not say. A comment that looks like a mark but is not one (a `//` or
 * `/*` comment, `@Differentiable`, a misspelling) is found too, so that it can be reported.
 */
import { Node, SyntaxKind, ts, type JSDoc, type JSDocTag, type SourceFile } from 'ts-morph';

export interface MarkOptions {
  /**
   * Names of the parameters to differentiate, or undefined for all of them; in a method, `this`
   * (every field the method reads) or `this.field`.
   */
  wrt?: string[];
  /** Emit jvp_f (forward mode) as well. */
  forward?: boolean;
  /** Second order: the companion is written so that Adjoint can differentiate it again. */
  hessian?: boolean;
}

export type MarkReading =
  | { kind: 'marked'; comment: JSDoc; options: MarkOptions }
  /** The mark as written (its line) and why it cannot be read. */
  | { kind: 'invalid'; comment: JSDoc; text: string; reason: string }
  /** A second mark on the same declaration. */
  | { kind: 'repeated'; comment: JSDoc; second: JSDocTag };

const TAG = 'differentiable';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** `this`, or one of its fields: `this.weights`. */
const THIS_FIELD = /^this(\.[A-Za-z_$][\w$]*)?$/;
const MODES = ['forward', 'hessian', 'reverse'] as const;

/** The mark of a node, read: undefined when none of its JSDoc comments holds the tag. */
export function readMarkOf(node: Node): MarkReading | undefined {
  if (!Node.isJSDocable(node)) return undefined;
  const tags = node.getJsDocs().flatMap((comment) =>
    comment
      .getTags()
      .filter((tag) => tag.getTagName() === TAG)
      .map((tag) => ({ comment, tag })),
  );
  const first = tags[0];
  if (!first) return undefined;
  if (tags.length > 1) return { kind: 'repeated', comment: first.comment, second: tags[1]!.tag };
  const read = readOptions(tagLine(first.tag));
  return 'options' in read
    ? { kind: 'marked', comment: first.comment, options: read.options }
    : { kind: 'invalid', comment: first.comment, ...read };
}

/** The positions of the `@` of every mark tag a node's JSDoc comments hold. */
export function markTagPositions(node: Node): number[] {
  if (!Node.isJSDocable(node)) return [];
  return node.getJsDocs().flatMap((comment) =>
    comment
      .getTags()
      .filter((tag) => tag.getTagName() === TAG)
      .map((tag) => tag.getStart()),
  );
}

/** What follows the tag's name on its line, up to the end of the comment. */
function tagLine(tag: JSDocTag): string {
  const comment = tag.getParentOrThrow();
  const text = tag
    .getSourceFile()
    .getFullText()
    .slice(tag.getStart() + 1 + TAG.length, comment.getEnd());
  const line = /^[^\n\r\u2028\u2029]*/.exec(text)![0];
  return line.replace(/\*+\/$/, '').trim();
}

type OptionsRead = { options: MarkOptions } | { text: string; reason: string };

/** The options of a mark from the rest of its line: empty, or `(…)` and nothing after it. */
function readOptions(rest: string): OptionsRead {
  const text = `@${TAG}${rest.startsWith('(') || rest === '' ? '' : ' '}${rest}`;
  const invalid = (reason: string) => ({ text, reason });
  if (rest === '') return { options: {} };
  if (!rest.startsWith('(')) {
    return /^(wrt\b|forward\b|hessian\b|reverse\b)/.test(rest)
      ? invalid(`its options must be in parentheses: @${TAG}(${rest})`)
      : invalid(`'${rest}' follows it on its line, where only its options in parentheses may be`);
  }
  const close = rest.indexOf(')');
  if (close < 0) return invalid("the '(' is not closed on the mark's line");
  const after = rest.slice(close + 1).trim();
  if (after !== '') return invalid(`'${after}' follows the closing ')', where nothing may be`);
  const items = rest
    .slice(1, close)
    .split(',')
    .map((item) => item.trim());
  if (items.length === 1 && items[0] === '') return invalid(`the parentheses hold no option (write @${TAG} alone for every parameter)`);
  const options: MarkOptions = {};
  let collectingWrt = false;
  for (const item of items) {
    if (item === '') return invalid('an option is missing between two commas, or after the last one');
    const wrt = /^wrt\s*:\s*(.*)$/.exec(item);
    let name = item;
    if (wrt) {
      if (options.wrt) return invalid("'wrt' is given twice: name every parameter in one list, wrt: x, y");
      options.wrt = [];
      collectingWrt = true;
      name = wrt[1]!.trim();
      if (name === '') return invalid("'wrt:' names no parameter");
    } else if ((MODES as readonly string[]).includes(item)) {
      const mode = item as (typeof MODES)[number];
      collectingWrt = false;
      if (mode === 'reverse') continue;
      if (options[mode]) return invalid(`'${mode}' is given twice`);
      options[mode] = true;
      continue;
    } else if (/^wrt\b/.test(item)) {
      return invalid(`'${item}' needs a colon: wrt: ${item.replace(/^wrt\s*/, '')}`);
    } else if (!collectingWrt) {
      return invalid(`unknown option '${item}' (the options are wrt: …, forward and hessian)`);
    }
    if (!IDENTIFIER.test(name) && !THIS_FIELD.test(name))
      return invalid(`'${name}' is not a parameter name (nor this, or this.field in a method)`);
    if (options.wrt!.includes(name)) return invalid(`'wrt' names '${name}' twice`);
    options.wrt!.push(name);
  }
  return { options };
}

/**
 * A cheap test of a file's text: only a file that passes it can hold a mark or a comment that
 * looks like one, so only such files need compiling.
 */
export function mayHoldMark(text: string): boolean {
  if (text.includes(`@${TAG}`)) return true;
  for (const match of text.matchAll(NEAR_MISS_CANDIDATE)) if (isNearMiss(match[1]!)) return true;
  return false;
}

/** `@` and a word about as long as the tag's name. */
const NEAR_MISS_CANDIDATE = /@([A-Za-z_$][\w$]{9,17})(?![\w$])/g;

/** A word within two edits of the tag's name, ignoring case (`Differentiable`, `differentiabel`), but not the name itself. */
function isNearMiss(word: string): boolean {
  return word !== TAG && editDistance(word.toLowerCase(), TAG) <= 2;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A comment that looks like a mark and is not one that a declaration carries. */
export interface StrayMark {
  /** The position of its `@`. */
  at: number;
  /** The word after the `@`. */
  word: string;
  /** Its line, from the `@`, without the comment's closing. */
  text: string;
  /** `//`, `/*`, or a JSDoc comment `/**`. */
  comment: 'line' | 'block' | 'jsdoc';
}

/**
 * Every comment line that starts with `@differentiable` or a near miss of it and is not a mark
 * read from a declaration (`marks`: the positions of their `@`). A mention inside a sentence
 * (`the @differentiable mark`) is not reported, nor one in a string.
 */
export function strayMarks(sourceFile: SourceFile, marks: ReadonlySet<number>): StrayMark[] {
  const text = sourceFile.getFullText();
  const found: StrayMark[] = [];
  for (const match of text.matchAll(/@([A-Za-z_$][\w$]*)/g)) {
    const at = match.index!;
    const word = match[1]!;
    if (marks.has(at) || (word !== TAG && !isNearMiss(word))) continue;
    const comment = commentAround(sourceFile, at);
    if (!comment) continue;
    const lineStart = Math.max(comment.pos, ...['\n', '\r', '\u2028', '\u2029'].map((c) => text.lastIndexOf(c, at) + 1));
    if (!/^\s*(\/\/+|\/\*+|\*+)?\s*$/.test(text.slice(lineStart, at))) continue;
    const rest = /^[^\n\r\u2028\u2029]*/.exec(text.slice(at, comment.end))![0];
    const kind =
      comment.kind === SyntaxKind.SingleLineCommentTrivia
        ? 'line'
        : text.startsWith('/**', comment.pos) && !text.startsWith('/**/', comment.pos)
          ? 'jsdoc'
          : 'block';
    found.push({ at, word, text: rest.replace(/\s*\*+\/$/, '').trim(), comment: kind });
  }
  return found;
}

/** The comment that holds position `at`, if any. */
function commentAround(sourceFile: SourceFile, at: number): { pos: number; end: number; kind: SyntaxKind } | undefined {
  const node = sourceFile.getDescendantAtPos(at) ?? sourceFile.getLastToken();
  const jsDoc = node.getKind() === SyntaxKind.JSDoc ? node : node.getFirstAncestorByKind(SyntaxKind.JSDoc);
  if (jsDoc) return { pos: jsDoc.getStart(), end: jsDoc.getEnd(), kind: SyntaxKind.MultiLineCommentTrivia };
  const text = sourceFile.getFullText();
  const ranges = [...(ts.getLeadingCommentRanges(text, node.getPos()) ?? []), ...(ts.getTrailingCommentRanges(text, node.getPos()) ?? [])];
  return ranges.find((range) => range.pos <= at && at < range.end);
}

/** The mark as it should be written, keeping the options of a near miss: `/** @differentiable(wrt: x) *\/`. */
export function intendedMark(stray: StrayMark): string {
  const rest = stray.text.slice(1 + stray.word.length).trim();
  return `/** @${TAG}${rest.startsWith('(') ? rest : ''} */`;
}
