/**
 * Decoding a source file's bytes as TypeScript does: UTF-8, or UTF-16 (little or big endian) when
 * the file starts with its byte-order mark; a UTF-8 byte-order mark is dropped. (A UTF-16 source
 * read as UTF-8 would be a string of NULs and replacement characters holding no mark at all.)
 */
export function decodeSourceText(bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  // TextDecoder drops the byte-order mark of the encoding it decodes
  return new TextDecoder(encoding).decode(bytes);
}
