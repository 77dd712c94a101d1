/** Content hashes for the cache: SHA-256, hex. */
import { createHash } from 'node:crypto';

export function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** One hash of several parts, each length-prefixed so that no two lists of parts can collide by concatenation. */
export function hashParts(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${Buffer.byteLength(part, 'utf8')}:`).update(part, 'utf8');
  return hash.digest('hex');
}
