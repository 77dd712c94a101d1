/**
 * The source in the URL, as the TypeScript playground keeps it: `#code=` followed by lz-string's
 * compressToEncodedURIComponent of the text, so that a link reproduces the page.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';

export function linkHash(source: string): string {
  return `#code=${compressToEncodedURIComponent(source)}`;
}

/**
 * The source a hash holds: a string, `undefined` when it has no `code=`, or `null` when its
 * `code=` does not decompress (a link cut short when it was copied).
 */
export function sourceFromHash(hash: string): string | null | undefined {
  // not URLSearchParams: it reads the '+' of lz-string's alphabet as a space
  const match = /^#(?:.*&)?code=([^&]*)/.exec(hash);
  if (!match) return undefined;
  const source = decompressFromEncodedURIComponent(match[1]!);
  return source ? source : null;
}
