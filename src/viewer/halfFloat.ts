// 16-bit floats (IEEE 754 binary16) for the slice views' volume texture: every int16 value's half,
// from one table.

/**
 * The binary16 bits of the integer `v` (−32768 … 32767), rounded to the nearest half, ties to even.
 * Integers up to ±2048 are exact; above, the step is 2 (to 4096), 4, 8, then 16 (16384 to 32768).
 */
export function halfBits(v: number): number {
  const sign = v < 0 ? 0x8000 : 0;
  let a = Math.abs(v);
  if (a === 0) return sign;
  let e = 31 - Math.clz32(a); // a = 1.m × 2^e
  if (e <= 10) return sign | ((e + 15) << 10) | ((a << (10 - e)) - 1024);
  const shift = e - 10;
  let q = a >> shift;
  const rest = a & ((1 << shift) - 1), tie = 1 << (shift - 1);
  if (rest > tie || (rest === tie && q & 1)) q++;
  if (q === 2048) (e++, (q = 1024));
  a = q - 1024;
  return sign | ((e + 15) << 10) | a;
}

let table: Uint16Array | null = null;

/** The half of every int16 value, indexed by the value + 32768 (128 KB, made on first use). */
export function int16ToHalfTable(): Uint16Array {
  if (!table) {
    table = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) table[i] = halfBits(i - 32768);
  }
  return table;
}

/** Writes the halves of `src` into `dst` (same length). */
export function int16ToHalf(src: Int16Array, dst: Uint16Array): void {
  const t = int16ToHalfTable();
  for (let i = 0; i < src.length; i++) dst[i] = t[src[i] + 32768];
}
