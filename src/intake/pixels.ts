// Stored pixel values → HU in an Int16Array slice (rescale slope/intercept, signed/unsigned, bits stored).
import type { ImageHeader } from './dicomHeader';

const BIG_ENDIAN = '1.2.840.10008.1.2.2';
const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', BIG_ENDIAN]);

export const isNative = (h: ImageHeader) => NATIVE.has(h.transferSyntax);

/** Reads the stored values of an uncompressed single frame. */
export function nativeStoredValues(h: ImageHeader): ArrayLike<number> {
  const el = h.dataSet.elements.x7fe00010;
  const n = h.rows * h.columns;
  const bytesPer = h.bitsAllocated / 8;
  if (bytesPer !== 1 && bytesPer !== 2) throw new Error(`${h.fileName}: ${h.bitsAllocated}-bit pixels are not supported`);
  if (el.length < n * bytesPer) throw new Error(`${h.fileName}: pixel data is truncated (${el.length} of ${n * bytesPer} bytes)`);
  const view = new DataView(h.bytes.buffer, h.bytes.byteOffset + el.dataOffset, n * bytesPer);
  const little = h.transferSyntax !== BIG_ENDIAN;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = bytesPer === 2 ? view.getUint16(2 * i, little) : view.getUint8(i);
  return out;
}

/**
 * Writes HU = stored × slope + intercept into `dst` (rounded, clamped to int16). Stored values are
 * taken as unsigned words and reduced to `bitsStored` bits (sign-extended when signed).
 */
export function storeHU(h: ImageHeader, stored: ArrayLike<number>, dst: Int16Array): void {
  const bits = h.bitsStored;
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  const signBit = 1 << (bits - 1);
  const signed = h.pixelRepresentation === 1;
  const slope = h.rescaleSlope, icpt = h.rescaleIntercept;
  const n = h.rows * h.columns;
  for (let i = 0; i < n; i++) {
    let v = stored[i] & mask;
    if (signed && v & signBit) v -= mask + 1;
    const hu = Math.round(v * slope + icpt);
    dst[i] = hu < -32768 ? -32768 : hu > 32767 ? 32767 : hu;
  }
}
