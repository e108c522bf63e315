// Mesh file writers (ASCII STL, OBJ, PLY, 3MF; binary STL lives in stl.ts) and small parsers for
// reading our own output back in tests. Units are millimetres throughout.
//
// Large meshes are written without building giant strings: text is generated in batches of lines
// (about 1 MB each), each batch encoded to its own Uint8Array; the caller passes the chunks to
// `new Blob(parts)`.
// 3MF streams the model XML chunk by chunk through fflate's DEFLATE, so only the compressed package
// is ever held whole; it holds one named, coloured object per segment when given several.
//
// What goes inside a file (issue 15, D12): nothing from the scan. A fixed header ("binary STL from
// scan2print, units: mm"), the coordinate system, and a name only when the caller passes one the user
// typed. The coordinate system is written as 3D Slicer writes it (vtkMRMLModelStorageNode:
// "SPACE=LPS" in the STL header, the OBJ comment and a PLY comment; Slicer's reader looks for that
// token) when the vertices are patient LPS millimetres as scanned, and left out when the model was
// moved onto a printer bed or scaled, where no patient space applies.
import { unzipSync, Zip, ZipDeflate, zipSync } from 'fflate';
import { unitNormal, writeBinaryStl } from './stl';
import type { Rgb } from './segments';
import type { Mesh } from './types';

export type MeshFormat = 'stl' | 'stl-ascii' | 'obj' | 'ply' | '3mf';

export interface MeshFormatInfo {
  format: MeshFormat;
  label: string;
  extension: string;
  mime: string;
}

export const MESH_FORMATS: readonly MeshFormatInfo[] = [
  { format: 'stl', label: 'STL', extension: 'stl', mime: 'model/stl' },
  { format: 'stl-ascii', label: 'STL (ASCII)', extension: 'stl', mime: 'model/stl' },
  { format: 'obj', label: 'OBJ', extension: 'obj', mime: 'model/obj' },
  { format: 'ply', label: 'PLY', extension: 'ply', mime: 'application/octet-stream' },
  { format: '3mf', label: '3MF', extension: '3mf', mime: 'model/3mf' },
];

export interface WriteOptions {
  /** a name the user typed (never a series description or file name from the scan); goes into the header/title */
  name?: string;
  /** 'LPS' when the vertices are patient coordinates as scanned (not moved onto a bed, not scaled) */
  space?: 'LPS';
}

/** The coordinate-system token 3D Slicer writes and reads in model files. */
export const SLICER_SPACE_LPS = 'SPACE=LPS';

/** The binary STL header: fixed text, the coordinate system, then the user's name (80 bytes at most). */
export function stlHeader(opts: WriteOptions): string {
  const parts = ['binary STL from scan2print, units: mm'];
  if (opts.space) parts.push(SLICER_SPACE_LPS);
  if (opts.name && oneLine(opts.name)) parts.push(oneLine(opts.name));
  return parts.join(', ').slice(0, 80);
}

/** Writes `mesh` in `format` (see WriteOptions for what goes into the file besides the geometry). */
export function writeMesh(mesh: Mesh, format: MeshFormat, opts: WriteOptions = {}): Uint8Array[] {
  switch (format) {
    case 'stl':
      // The fixed prefix keeps the header from starting with "solid" (which readers take for ASCII STL).
      return [new Uint8Array(writeBinaryStl(mesh, stlHeader(opts)))];
    case 'stl-ascii':
      return writeAsciiStl(mesh, [opts.name && oneLine(opts.name) ? oneLine(opts.name) : 'scan2print', opts.space ? SLICER_SPACE_LPS : ''].filter(Boolean).join(' '));
    case 'obj':
      return writeObj(mesh, ['scan2print, units: mm' + (opts.space ? `, ${SLICER_SPACE_LPS}` : ''), opts.name ?? ''].filter(Boolean).join('\n'));
    case 'ply':
      return writePly(mesh, opts);
    case '3mf':
      return [write3mf(mesh, opts.name)];
    default: {
      const never: never = format;
      throw new Error(`unknown mesh format: ${String(never)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Several objects (segments): one 3MF, one file per object in a zip, or all merged into one mesh

/** All meshes as one (each stays its own closed shell). */
export function mergeMeshes(meshes: Mesh[]): Mesh {
  const nv = meshes.reduce((s, m) => s + m.positions.length, 0), ni = meshes.reduce((s, m) => s + m.indices.length, 0);
  const positions = new Float32Array(nv), indices = new Uint32Array(ni);
  let v = 0, i = 0;
  for (const m of meshes) {
    positions.set(m.positions, v);
    for (let q = 0; q < m.indices.length; q++) indices[i + q] = m.indices[q] + v / 3;
    v += m.positions.length;
    i += m.indices.length;
  }
  return { positions, indices };
}

/** A file name made of a segment's name: letters, digits, `-` and `_` only. */
const safeFileName = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'segment';

/**
 * Several objects in `format`: 3MF always as one package of named, coloured objects; the other formats
 * either as a zip of one file per object ("01_liver.stl", …, each with the object's name in its header)
 * or merged into one mesh. `opts.name` (user-typed) titles the 3MF and heads the merged file.
 */
export function writeObjects(objects: ModelObject[], format: MeshFormat, packaging: 'zip' | 'merged', opts: WriteOptions = {}): Uint8Array[] {
  if (format === '3mf') return [write3mfObjects(objects, opts.name)];
  if (packaging === 'merged') return writeMesh(mergeMeshes(objects.map((o) => o.mesh)), format, opts);
  const ext = MESH_FORMATS.find((f) => f.format === format)!.extension;
  const digits = String(objects.length).length;
  const files: Record<string, Uint8Array> = {};
  objects.forEach((o, q) => {
    const chunks = writeMesh(o.mesh, format, { ...opts, name: o.name });
    const bytes = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
    chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);
    files[`${String(q + 1).padStart(digits, '0')}_${safeFileName(o.name ?? `segment ${q + 1}`)}.${ext}`] = bytes;
  });
  return [zipSync(files, { level: 6 })];
}

// ---------------------------------------------------------------------------------------------
// Number formatting and chunked text output

/**
 * Shortest of 7, 8 or 9 significant digits that reads back as the same float32 (9 always does).
 * `x` must already be a float32 value (it comes from a Float32Array).
 */
function fmt(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x === 0 ? 0 : x); // also turns -0 into 0
  let s = x.toPrecision(7);
  if (Math.fround(Number(s)) !== x) {
    s = x.toPrecision(8);
    if (Math.fround(Number(s)) !== x) s = x.toPrecision(9);
  }
  // trim trailing zeros of the mantissa: "0.5000000" → "0.5", "1.000000e-8" → "1e-8"
  if (s.includes('.')) s = s.replace(/\.?0+(?=e|$)/, '');
  return s;
}

/** Like `fmt` but always in ASCII-STL's sign-mantissa-e-sign-exponent form, e.g. "1.234560e+1". */
function fmtE(x: number): string {
  let s = x.toExponential(6);
  if (Math.fround(Number(s)) !== x) {
    s = x.toExponential(7);
    if (Math.fround(Number(s)) !== x) s = x.toExponential(8);
  }
  return s;
}

/** Target size of one text chunk, in UTF-16 code units (≈ bytes for our ASCII output). */
const CHUNK_CHARS = 1 << 20;

/** Collects text pieces and encodes them to UTF-8 in chunks of about CHUNK_CHARS characters. */
class TextChunks {
  private pieces: string[] = [];
  private size = 0;
  private readonly encoder = new TextEncoder();
  constructor(private readonly sink: (chunk: Uint8Array) => void) {}

  /** Appends `s` (one or a few whole lines); a chunk boundary never splits a piece. */
  push(s: string): void {
    this.pieces.push(s);
    this.size += s.length;
    if (this.size >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.pieces.length === 0) return;
    this.sink(this.encoder.encode(this.pieces.join('')));
    this.pieces = [];
    this.size = 0;
  }
}

/** Text writer that keeps its chunks in an array. */
function collectText(): { out: TextChunks; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  return { out: new TextChunks((c) => chunks.push(c)), chunks };
}

/** One printable-ASCII line (no control characters or newlines), for names inside headers. */
function oneLine(s: string): string {
  return s.replace(/[^\x20-\x7e]+/g, '_').trim();
}

// ---------------------------------------------------------------------------------------------
// ASCII STL

/** ASCII STL: one facet per triangle with its unit normal (0 0 0 for degenerate triangles). */
export function writeAsciiStl(mesh: Mesh, name = 'model'): Uint8Array[] {
  const P = mesh.positions;
  const I = mesh.indices;
  const solid = oneLine(name) || 'model';
  const { out, chunks } = collectText();
  out.push(`solid ${solid}\n`);
  const n = new Float64Array(3);
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t], b = 3 * I[t + 1], c = 3 * I[t + 2];
    unitNormal(P, a, b, c, n);
    out.push(
      `facet normal ${n[0].toExponential(6)} ${n[1].toExponential(6)} ${n[2].toExponential(6)}\n` +
        ' outer loop\n' +
        `  vertex ${fmtE(P[a])} ${fmtE(P[a + 1])} ${fmtE(P[a + 2])}\n` +
        `  vertex ${fmtE(P[b])} ${fmtE(P[b + 1])} ${fmtE(P[b + 2])}\n` +
        `  vertex ${fmtE(P[c])} ${fmtE(P[c + 1])} ${fmtE(P[c + 2])}\n` +
        ' endloop\n' +
        'endfacet\n',
    );
  }
  out.push(`endsolid ${solid}\n`);
  out.flush();
  return chunks;
}

/** The vertices of an ASCII STL, 9 floats per triangle (normals are ignored). */
export function parseAsciiStl(text: string): Float32Array {
  if (!/^\s*solid\b/.test(text)) throw new Error('not an ASCII STL: it does not start with "solid"');
  const values: number[] = [];
  const re = /\bvertex\s+(\S+)\s+(\S+)\s+(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) values.push(Number(m[1]), Number(m[2]), Number(m[3]));
  if (values.length % 9 !== 0) throw new Error(`ASCII STL: ${values.length / 3} vertices is not a whole number of triangles`);
  if (values.some(Number.isNaN)) throw new Error('ASCII STL: unreadable vertex coordinate');
  return Float32Array.from(values);
}

// ---------------------------------------------------------------------------------------------
// OBJ

/** Wavefront OBJ: `v x y z` lines then `f a b c` lines (1-based indices). */
export function writeObj(mesh: Mesh, comment?: string): Uint8Array[] {
  const P = mesh.positions;
  const I = mesh.indices;
  const { out, chunks } = collectText();
  if (comment) for (const line of comment.split(/\r?\n/)) out.push(`# ${oneLine(line)}\n`);
  for (let v = 0; v < P.length; v += 3) out.push(`v ${fmt(P[v])} ${fmt(P[v + 1])} ${fmt(P[v + 2])}\n`);
  for (let t = 0; t < I.length; t += 3) out.push(`f ${I[t] + 1} ${I[t + 1] + 1} ${I[t + 2] + 1}\n`);
  out.flush();
  return chunks;
}

/** Vertices and faces of an OBJ (`f` entries may be `v`, `v/vt`, `v//vn`, negative; polygons are fanned). */
export function parseObj(text: string): Mesh {
  const pos: number[] = [];
  const idx: number[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('v ')) {
      const p = line.split(/\s+/);
      pos.push(Number(p[1]), Number(p[2]), Number(p[3]));
    } else if (line.startsWith('f ')) {
      const nv = pos.length / 3;
      const f = line.split(/\s+/).slice(1).map((tok) => {
        const i = parseInt(tok, 10);
        const k = i < 0 ? nv + i : i - 1;
        if (!Number.isInteger(k) || k < 0 || k >= nv) throw new Error(`OBJ: bad vertex reference "${tok}"`);
        return k;
      });
      for (let j = 1; j + 1 < f.length; j++) idx.push(f[0], f[j], f[j + 1]);
    }
  }
  return { positions: Float32Array.from(pos), indices: Uint32Array.from(idx) };
}

// ---------------------------------------------------------------------------------------------
// PLY

const PLY_ITEMS_PER_CHUNK = 65536;

/** Binary little-endian PLY: float x,y,z vertices, faces as `uchar` count (3) + three `uint`s. */
export function writePly(mesh: Mesh, opts: WriteOptions = {}): Uint8Array[] {
  const P = mesh.positions;
  const I = mesh.indices;
  const nv = P.length / 3, nf = I.length / 3;
  const comments = ['units mm', 'written by scan2print', ...(opts.space ? [SLICER_SPACE_LPS] : []), ...(opts.name && oneLine(opts.name) ? [oneLine(opts.name)] : [])];
  const header =
    'ply\nformat binary_little_endian 1.0\n' +
    comments.map((c) => `comment ${c}\n`).join('') +
    `element vertex ${nv}\nproperty float x\nproperty float y\nproperty float z\n` +
    `element face ${nf}\nproperty list uchar uint vertex_indices\nend_header\n`;
  const chunks: Uint8Array[] = [new TextEncoder().encode(header)];
  for (let v0 = 0; v0 < nv; v0 += PLY_ITEMS_PER_CHUNK) {
    const v1 = Math.min(nv, v0 + PLY_ITEMS_PER_CHUNK);
    const chunk = new Uint8Array(12 * (v1 - v0));
    const view = new DataView(chunk.buffer);
    for (let i = 3 * v0, o = 0; i < 3 * v1; i++, o += 4) view.setFloat32(o, P[i], true);
    chunks.push(chunk);
  }
  for (let f0 = 0; f0 < nf; f0 += PLY_ITEMS_PER_CHUNK) {
    const f1 = Math.min(nf, f0 + PLY_ITEMS_PER_CHUNK);
    const chunk = new Uint8Array(13 * (f1 - f0));
    const view = new DataView(chunk.buffer);
    for (let t = f0, o = 0; t < f1; t++, o += 13) {
      view.setUint8(o, 3);
      view.setUint32(o + 1, I[3 * t], true);
      view.setUint32(o + 5, I[3 * t + 1], true);
      view.setUint32(o + 9, I[3 * t + 2], true);
    }
    chunks.push(chunk);
  }
  return chunks;
}

/** Reads a binary little-endian PLY laid out as `writePly` writes it (triangles only). */
export function parsePly(bytes: Uint8Array): Mesh {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  const end = head.indexOf('end_header\n');
  if (!head.startsWith('ply\n') || end < 0) throw new Error('not a PLY file (no "ply" / "end_header")');
  const header = head.slice(0, end);
  if (!/^format binary_little_endian 1\.0$/m.test(header)) throw new Error('PLY: only binary_little_endian 1.0 is supported');
  const expected = /element vertex (\d+)\nproperty float x\nproperty float y\nproperty float z\nelement face (\d+)\nproperty list uchar uint vertex_indices\n$/;
  const m = expected.exec(header);
  if (!m) throw new Error('PLY: unexpected element layout (expected float x,y,z vertices and uchar/uint faces)');
  const nv = Number(m[1]), nf = Number(m[2]);
  let o = end + 'end_header\n'.length;
  if (bytes.length !== o + 12 * nv + 13 * nf)
    throw new Error(`PLY: header says ${nv} vertices and ${nf} faces but the body has ${bytes.length - o} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const positions = new Float32Array(3 * nv);
  for (let i = 0; i < 3 * nv; i++, o += 4) positions[i] = view.getFloat32(o, true);
  const indices = new Uint32Array(3 * nf);
  for (let t = 0; t < nf; t++, o += 13) {
    if (view.getUint8(o) !== 3) throw new Error(`PLY: face ${t} is not a triangle`);
    for (let c = 0; c < 3; c++) indices[3 * t + c] = view.getUint32(o + 1 + 4 * c, true);
  }
  return { positions, indices };
}

// ---------------------------------------------------------------------------------------------
// 3MF

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\n' +
  ' <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\n' +
  ' <Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>\n' +
  '</Types>\n';

const RELS =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\n' +
  ' <Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>\n' +
  '</Relationships>\n';

/** Escapes text for XML content or attribute values and drops characters XML 1.0 forbids. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** One object of a 3MF package: a closed mesh, with the name and colour a slicer shows for it. */
export interface ModelObject {
  mesh: Mesh;
  name?: string;
  /** sRGB 0–255 */
  color?: Rgb;
}

const hex2 = (x: number) => Math.max(0, Math.min(255, Math.round(x))).toString(16).padStart(2, '0').toUpperCase();

/**
 * A 3MF package (core spec, unit millimetre) with one mesh object. Triangles whose three indices are
 * not distinct are left out: the 3MF spec forbids them (they have no area anyway).
 */
export function write3mf(mesh: Mesh, title?: string): Uint8Array {
  return write3mfObjects([{ mesh }], title);
}

/**
 * A 3MF package with one object per entry, each placed by its own build item (a multi-material
 * printer or slicer gets the parts apart). Colours go into one core-spec <basematerials> group, one
 * <base> per coloured object (its name and displaycolor "#RRGGBB"), referenced by the object's
 * pid/pindex. Object ids are 1…n in the order given; the material group's id is n + 1.
 */
export function write3mfObjects(objects: ModelObject[], title?: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let failure = null as Error | null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else parts.push(data);
  });
  const addFile = (path: string, text: string) => {
    const f = new ZipDeflate(path, { level: 6 });
    zip.add(f);
    f.push(new TextEncoder().encode(text), true);
  };
  addFile('[Content_Types].xml', CONTENT_TYPES);
  addFile('_rels/.rels', RELS);

  // The model XML is generated and compressed chunk by chunk.
  const model = new ZipDeflate('3D/3dmodel.model', { level: 6 });
  zip.add(model);
  const out = new TextChunks((c) => model.push(c));
  out.push(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<model unit="millimeter" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">\n',
  );
  if (title) out.push(` <metadata name="Title">${xmlEscape(title)}</metadata>\n`);
  out.push(' <resources>\n');
  const materials = objects.length + 1;
  const coloured = objects.filter((o) => o.color);
  if (coloured.length) {
    out.push(`  <basematerials id="${materials}">\n`);
    for (const o of coloured) out.push(`   <base name="${xmlEscape(o.name ?? '')}" displaycolor="#${o.color!.map(hex2).join('')}"/>\n`);
    out.push('  </basematerials>\n');
  }
  objects.forEach((o, q) => {
    const P = o.mesh.positions;
    const I = o.mesh.indices;
    const name = o.name !== undefined ? ` name="${xmlEscape(o.name)}"` : '';
    const colour = o.color ? ` pid="${materials}" pindex="${coloured.indexOf(o)}"` : '';
    out.push(`  <object id="${q + 1}" type="model"${name}${colour}>\n   <mesh>\n    <vertices>\n`);
    for (let v = 0; v < P.length; v += 3) out.push(`     <vertex x="${fmt(P[v])}" y="${fmt(P[v + 1])}" z="${fmt(P[v + 2])}"/>\n`);
    out.push('    </vertices>\n    <triangles>\n');
    for (let t = 0; t < I.length; t += 3) {
      const a = I[t], b = I[t + 1], c = I[t + 2];
      if (a !== b && b !== c && a !== c) out.push(`     <triangle v1="${a}" v2="${b}" v3="${c}"/>\n`);
    }
    out.push('    </triangles>\n   </mesh>\n  </object>\n');
  });
  out.push(' </resources>\n <build>\n');
  objects.forEach((_, q) => out.push(`  <item objectid="${q + 1}"/>\n`));
  out.push(' </build>\n</model>\n');
  out.flush();
  model.push(new Uint8Array(0), true);
  zip.end(); // ZipDeflate is synchronous: all output has been delivered when end() returns

  if (failure) throw failure;
  const size = parts.reduce((s, p) => s + p.length, 0);
  const bytes = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return bytes;
}

/** The objects of the first `.model` part of a 3MF package we wrote (regex-based, not a full XML parser). */
export function parse3mfObjects(bytes: Uint8Array): { objects: ModelObject[]; unit: string } {
  const files = unzipSync(bytes);
  const path = files['3D/3dmodel.model'] ? '3D/3dmodel.model' : Object.keys(files).find((p) => p.endsWith('.model'));
  if (!path) throw new Error('3MF: no 3D model part in the package');
  const xml = new TextDecoder().decode(files[path]);
  const modelTag = /<model\b[^>]*>/.exec(xml);
  if (!modelTag) throw new Error('3MF: no <model> element');
  const unit = /\sunit="([^"]*)"/.exec(modelTag[0])?.[1] ?? 'millimeter'; // spec default
  const text = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const attr = (tag: string, name: string): number => {
    const x = Number(text(tag, name) ?? NaN);
    if (Number.isNaN(x)) throw new Error(`3MF: bad or missing ${name} in ${tag}`);
    return x;
  };
  const unescape = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e as string] as string);
  const groups = new Map<string, (Rgb | undefined)[]>();
  for (const g of xml.matchAll(/<basematerials\b([^>]*)>([\s\S]*?)<\/basematerials>/g)) {
    const colours = [...g[2].matchAll(/<base\b[^>]*>/g)].map((b) => {
      const c = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(text(b[0], 'displaycolor') ?? '');
      return c ? (c.slice(1, 4).map((h) => parseInt(h, 16)) as Rgb) : undefined;
    });
    groups.set(text(`<x${g[1]}>`, 'id') ?? '', colours);
  }
  const objects: ModelObject[] = [];
  for (const m of xml.matchAll(/<object\b([^>]*)>([\s\S]*?)<\/object>/g)) {
    const head = `<object${m[1]}>`;
    const pos: number[] = [];
    for (const v of m[2].matchAll(/<vertex\b[^>]*>/g)) pos.push(attr(v[0], 'x'), attr(v[0], 'y'), attr(v[0], 'z'));
    const idx: number[] = [];
    for (const t of m[2].matchAll(/<triangle\b[^>]*>/g)) idx.push(attr(t[0], 'v1'), attr(t[0], 'v2'), attr(t[0], 'v3'));
    const o: ModelObject = { mesh: { positions: Float32Array.from(pos), indices: Uint32Array.from(idx) } };
    const name = text(head, 'name');
    if (name !== undefined) o.name = unescape(name);
    const pid = text(head, 'pid');
    const colour = pid !== undefined ? groups.get(pid)?.[Number(text(head, 'pindex') ?? 0)] : undefined;
    if (colour) o.color = colour;
    objects.push(o);
  }
  return { objects, unit };
}

/** The mesh of the first object of a 3MF package we wrote. */
export function parse3mf(bytes: Uint8Array): { mesh: Mesh; unit: string } {
  const { objects, unit } = parse3mfObjects(bytes);
  if (!objects.length) throw new Error('3MF: no object in the model');
  return { mesh: objects[0].mesh, unit };
}
