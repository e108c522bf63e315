// Binary STL: 80-byte header, uint32 triangle count, then per triangle a float32 normal, three
// float32 vertices and a uint16 attribute (0). Little-endian. Units: millimetres.
import type { Mesh } from './types';

const DEFAULT_HEADER = 'binary STL from scan2print, units: mm';

/** Unit normal of triangle (a, b, c) (offsets into positions), from its winding; 0 0 0 if degenerate. */
export function unitNormal(P: Float32Array, a: number, b: number, c: number, out: Float64Array): void {
  const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
  const wx = P[c] - P[a], wy = P[c + 1] - P[a + 1], wz = P[c + 2] - P[a + 2];
  const nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
  const l = Math.sqrt(nx * nx + ny * ny + nz * nz);
  const k = l > 0 ? 1 / l : 0;
  out[0] = nx * k;
  out[1] = ny * k;
  out[2] = nz * k;
}

/** One allocation of 84 + 50·n bytes; the header holds only `header` (never patient data). */
export function writeBinaryStl(mesh: Mesh, header = DEFAULT_HEADER): ArrayBuffer {
  const P = mesh.positions;
  const I = mesh.indices;
  const nt = I.length / 3;
  const n = new Float64Array(3);
  const buf = new ArrayBuffer(84 + 50 * nt);
  const view = new DataView(buf);
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < Math.min(80, header.length); i++) bytes[i] = header.charCodeAt(i) & 0x7f;
  view.setUint32(80, nt, true);
  let o = 84;
  for (let t = 0; t < nt; t++) {
    const a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
    unitNormal(P, a, b, c, n);
    view.setFloat32(o, n[0], true);
    view.setFloat32(o + 4, n[1], true);
    view.setFloat32(o + 8, n[2], true);
    o += 12;
    for (const v of [a, b, c]) {
      view.setFloat32(o, P[v], true);
      view.setFloat32(o + 4, P[v + 1], true);
      view.setFloat32(o + 8, P[v + 2], true);
      o += 12;
    }
    view.setUint16(o, 0, true);
    o += 2;
  }
  return buf;
}

export interface ParsedStl {
  /** 9 floats per triangle */
  triangles: Float32Array;
  normals: Float32Array;
  header: string;
}

export function parseBinaryStl(buf: ArrayBuffer): ParsedStl {
  if (buf.byteLength < 84) throw new Error(`not a binary STL: ${buf.byteLength} bytes is shorter than the 84-byte header`);
  const view = new DataView(buf);
  const n = view.getUint32(80, true);
  if (buf.byteLength !== 84 + 50 * n)
    throw new Error(`not a binary STL: header says ${n} triangles (${84 + 50 * n} bytes) but the file has ${buf.byteLength} bytes`);
  const triangles = new Float32Array(9 * n);
  const normals = new Float32Array(3 * n);
  let o = 84;
  for (let t = 0; t < n; t++) {
    for (let c = 0; c < 3; c++) normals[3 * t + c] = view.getFloat32(o + 4 * c, true);
    for (let c = 0; c < 9; c++) triangles[9 * t + c] = view.getFloat32(o + 12 + 4 * c, true);
    o += 50;
  }
  const header = String.fromCharCode(...new Uint8Array(buf, 0, 80)).replace(/\0+$/, '');
  return { triangles, normals, header };
}
