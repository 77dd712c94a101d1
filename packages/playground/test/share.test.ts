/** The `#code=` links: what a link holds comes back out, whatever its characters. */
import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { presetFor, presets } from '../src/presets/catalogue.ts';
import { linkHash, sourceFromHash } from '../src/share.ts';

describe('#code= links', () => {
  it('hold the source as lz-string compressToEncodedURIComponent, the TypeScript playground format', () => {
    const source = '/** @differentiable */\nexport const f = (x: number) => x ** 2;\n';
    expect(linkHash(source)).toBe(`#code=${compressToEncodedURIComponent(source)}`);
  });

  it('give back every preset and text whose compressed form uses + and $ (which URLSearchParams would mangle)', () => {
    const texts = [...presets.map((p) => p.source), 'ü ∂ 🙂 <script>', ''.padEnd(3000, 'abc+$ ')];
    for (const text of texts) expect(sourceFromHash(linkHash(text))).toBe(text);
    expect(texts.some((text) => /[+$]/.test(linkHash(text)))).toBe(true);
  });

  it('read code= among other fields, and tell a missing field from one that does not decompress', () => {
    const source = 'export function g(y: number): number { return y; }';
    expect(sourceFromHash(`#x=1&code=${compressToEncodedURIComponent(source)}`)).toBe(source);
    expect(sourceFromHash('')).toBeUndefined();
    expect(sourceFromHash('#other=1')).toBeUndefined();
    expect(sourceFromHash('#code=')).toBeNull();
    expect(sourceFromHash('#code=%%%')).toBeNull();
  });

  it('find the preset whose run fits a shared source', () => {
    for (const preset of presets) expect(presetFor(preset.source)?.id).toBe(preset.id);
    expect(presetFor('export function unrelated(x: number): number { return x; }')).toBeUndefined();
  });
});
