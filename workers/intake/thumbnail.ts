// Small previews of a stack's middle slice for the series picker: one slice decoded (the same decoder
// as the volume), windowed (CT: soft tissue W 400 / L 40; otherwise the 1st–99th percentile) and
// box-averaged into at most 64×64 RGBA pixels with the true aspect ratio. Pure except for the decoder:
// the browser turns the pixels into a data URL (loadFiles.ts), Node tests read them directly.
import type { SliceDecoder, SourceFile } from './loadTypes';
import type { DicomHeader } from './headerTypes';
import { readFrame } from './multiframe';
import { isNative, sliceHeader } from './pixels';

export const THUMB_SIZE = 64;

/** RGBA pixels, row by row (ready for ImageData). */
export interface Thumb {
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

/** Output size within size×size keeping the physical aspect (columns × column spacing : rows × row spacing). */
export function thumbSize(columns: number, rows: number, pixelSpacing: [number, number], size = THUMB_SIZE): [number, number] {
  const wMm = columns * (pixelSpacing[1] || 1);
  const hMm = rows * (pixelSpacing[0] || 1);
  return wMm >= hMm ? [size, Math.max(1, Math.round((size * hMm) / wMm))] : [Math.max(1, Math.round((size * wMm) / hMm)), size];
}

/**
 * Display window [lo, hi]: CT W 400 / L 40 (HU) when at least 2 % of the values fall inside it (a
 * localizer or screenshot stored as CT may hold other values); anything else the 1st to 99th percentile.
 */
export function windowOf(modality: string, values: ArrayLike<number>): [number, number] {
  const n = values.length;
  if (!n) return [0, 1];
  // a strided sample of at most 16 Ki values is plenty for two percentiles
  const step = Math.max(1, Math.floor(n / 16384));
  const s: number[] = [];
  for (let i = 0; i < n; i += step) s.push(values[i]);
  const ct: [number, number] = [40 - 200, 40 + 200];
  if (modality === 'CT' && s.filter((v) => v >= ct[0] && v <= ct[1]).length >= 0.02 * s.length) return ct;
  s.sort((a, b) => a - b);
  const lo = s[Math.floor(0.01 * (s.length - 1))];
  const hi = s[Math.ceil(0.99 * (s.length - 1))];
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/**
 * Box-averages `channels` interleaved samples per pixel (1 grey, 3 RGB) of a columns×rows image into
 * width×height RGBA, mapping [lo, hi] to 0…255.
 */
function downsample(values: ArrayLike<number>, columns: number, rows: number, channels: 1 | 3, [width, height]: [number, number], lo: number, hi: number): Thumb {
  const rgba = new Uint8ClampedArray(width * height * 4);
  const scale = 255 / (hi - lo);
  const sum = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * rows) / height), y1 = Math.max(y0 + 1, Math.floor(((y + 1) * rows) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * columns) / width), x1 = Math.max(x0 + 1, Math.floor(((x + 1) * columns) / width));
      sum[0] = sum[1] = sum[2] = 0;
      for (let j = y0; j < y1; j++)
        for (let i = x0; i < x1; i++) for (let c = 0; c < channels; c++) sum[c] += values[(j * columns + i) * channels + c];
      const count = (y1 - y0) * (x1 - x0);
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = ((sum[channels === 1 ? 0 : c] / count - lo) * scale);
      rgba[o + 3] = 255;
    }
  }
  return { width, height, rgba };
}

/** The slice to show: the middle one along the stack (headers are given in slice order when known). */
export const middleSlice = (headers: DicomHeader[]) => headers[(headers.length - 1) >> 1];

/**
 * A thumbnail of one image: monochrome through `decoder` (native or compressed), RGB only when stored
 * uncompressed with 8 bits. Resolves to null when the image cannot be shown (compressed colour,
 * compressed multi-frame, a decoding error): a thumbnail is never worth failing for.
 */
export async function imageThumb<F extends SourceFile>(h: DicomHeader, file: F, decoder: SliceDecoder<F>, modality: string): Promise<Thumb | null> {
  const size = thumbSize(h.columns, h.rows, h.pixelSpacing);
  try {
    if (h.samplesPerPixel === 3) {
      if (!isNative(h) || h.bitsAllocated !== 8) return null;
      const { bytes, header } = await readFrame(file, h);
      const n = h.rows * h.columns;
      const px = bytes.subarray(header.pixelData.offset, header.pixelData.offset + 3 * n);
      if (px.length < 3 * n) return null;
      let rgb: Uint8Array = px;
      if (h.planarConfiguration === 1) {
        rgb = new Uint8Array(3 * n);
        for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) rgb[3 * i + c] = px[c * n + i];
      }
      return downsample(rgb, h.columns, h.rows, 3, size, 0, 255);
    }
    if (h.samplesPerPixel !== 1 || (h.numberOfFrames > 1 && !isNative(h))) return null;
    const values = new Int16Array(h.rows * h.columns);
    await decoder.decode(file, sliceHeader(h), 0, values);
    const [lo, hi] = windowOf(modality, values);
    const t = downsample(values, h.columns, h.rows, 1, size, lo, hi);
    if (h.photometric === 'MONOCHROME1') for (let i = 0; i < t.rgba.length; i += 4) t.rgba[i] = t.rgba[i + 1] = t.rgba[i + 2] = 255 - t.rgba[i];
    return t;
  } catch {
    return null;
  }
}
