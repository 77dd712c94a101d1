/**
 * A minimal PNG encoder for 8-bit greyscale images, with no dependencies: a PNG file is an 8-byte
 * signature followed by chunks, each `length · type · data · CRC-32(type · data)`. Three chunks
 * suffice: IHDR (size and pixel format), IDAT (the zlib-compressed rows, each prefixed by a filter
 * byte, 0 = none) and IEND.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** CRC-32 (polynomial 0xEDB88320, reflected) of every byte value, as in the PNG specification's sample code. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes `grey` (width × height bytes, row by row, 0 black … 255 white) as a PNG file. */
export function encodeGreyPng(width: number, height: number, grey: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type 0: greyscale
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace
  const rows = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) {
    rows[y * (width + 1)] = 0; // filter type: none
    rows.set(grey.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array(0))]);
}

/**
 * Encodes an image of grey values in [0, 1] (clamped), `width` pixels wide, scaled up `scale` times
 * with each pixel drawn as a scale × scale square so that a small image stays visible.
 */
export function imageToPng(image: Float64Array, width: number, scale: number): Buffer {
  const height = image.length / width;
  const grey = new Uint8Array(width * scale * height * scale);
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const value = image[Math.floor(y / scale) * width + Math.floor(x / scale)]!;
      grey[y * width * scale + x] = Math.round(255 * Math.min(1, Math.max(0, value)));
    }
  }
  return encodeGreyPng(width * scale, height * scale, grey);
}
