import type { Mesh } from './types';

/**
 * Triangle soup (9 floats per triangle, as read from an STL) → indexed mesh, merging vertices whose
 * float32 coordinates are bit-identical. Open addressing over the coordinate bits; no per-vertex objects.
 */
export function weldTriangles(tris: Float32Array): Mesh {
  const nv = tris.length / 3;
  const bits = new Uint32Array(tris.buffer, tris.byteOffset, tris.length);
  let cap = 1;
  while (cap < nv * 2) cap <<= 1;
  const table = new Int32Array(cap).fill(-1);
  const positions = new Float32Array(tris.length);
  const pbits = new Uint32Array(positions.buffer);
  const indices = new Uint32Array(nv);
  let count = 0;
  for (let v = 0; v < nv; v++) {
    const a = bits[3 * v], b = bits[3 * v + 1], c = bits[3 * v + 2];
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) >>> 0;
    for (;;) {
      h &= cap - 1;
      const slot = table[h];
      if (slot === -1) {
        table[h] = count;
        pbits[3 * count] = a;
        pbits[3 * count + 1] = b;
        pbits[3 * count + 2] = c;
        indices[v] = count++;
        break;
      }
      if (pbits[3 * slot] === a && pbits[3 * slot + 1] === b && pbits[3 * slot + 2] === c) {
        indices[v] = slot;
        break;
      }
      h++;
    }
  }
  return { positions: positions.slice(0, 3 * count), indices };
}
