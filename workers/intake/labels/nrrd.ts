// NRRD label maps (.nrrd, .seg.nrrd): a text header, a blank line, then the voxels (raw or gzip; little
// or big endian). Geometry from `space`, `space directions` and `space origin` (LPS, RAS or LAS spaces,
// converted to LPS). 3D Slicer's segmentation files add per-segment fields (SegmentN_Name, _Color,
// _LabelValue, _Layer) and may be 4D, with a first "list" axis holding one label layer per entry;
// without those fields every label value present becomes a segment.
import { gunzipSync } from 'fflate';
import { SEGMENT_COLORS, type ImportedSegment, type Rgb } from '../../core/segments';
import type { Vec3 } from '../../core/types';
import type { SourceLabels } from './types';

/** Header fields ("key: value") and key/value pairs ("key:=value"), and where the data start. */
export interface NrrdHeader {
  fields: Map<string, string>;
  keyValues: Map<string, string>;
  dataOffset: number;
}

const TYPES: Record<string, { size: number; read: (v: DataView, o: number, le: boolean) => number }> = {
  int8: { size: 1, read: (v, o) => v.getInt8(o) },
  uint8: { size: 1, read: (v, o) => v.getUint8(o) },
  int16: { size: 2, read: (v, o, le) => v.getInt16(o, le) },
  uint16: { size: 2, read: (v, o, le) => v.getUint16(o, le) },
  int32: { size: 4, read: (v, o, le) => v.getInt32(o, le) },
  uint32: { size: 4, read: (v, o, le) => v.getUint32(o, le) },
  float: { size: 4, read: (v, o, le) => v.getFloat32(o, le) },
  double: { size: 8, read: (v, o, le) => v.getFloat64(o, le) },
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Integer types read through a typed array when in native byte order. */
const FAST: Record<string, (b: ArrayBufferLike) => ArrayLike<number>> = {
  int8: (b) => new Int8Array(b),
  uint8: (b) => new Uint8Array(b),
  int16: (b) => new Int16Array(b),
  uint16: (b) => new Uint16Array(b),
  int32: (b) => new Int32Array(b),
  uint32: (b) => new Uint32Array(b),
};

/** NRRD's many spellings of each type (the format's spec, "type:"). */
function typeName(t: string): string | null {
  const s = t.trim().toLowerCase();
  if (/^(signed char|int8|int8_t)$/.test(s)) return 'int8';
  if (/^(uchar|unsigned char|uint8|uint8_t)$/.test(s)) return 'uint8';
  if (/^(short|short int|signed short|signed short int|int16|int16_t)$/.test(s)) return 'int16';
  if (/^(ushort|unsigned short|unsigned short int|uint16|uint16_t)$/.test(s)) return 'uint16';
  if (/^(int|signed int|int32|int32_t)$/.test(s)) return 'int32';
  if (/^(uint|unsigned int|uint32|uint32_t)$/.test(s)) return 'uint32';
  if (s === 'float') return 'float';
  if (s === 'double') return 'double';
  return null;
}

/** Parses the text header (throws with the file's name when it is not NRRD). */
export function parseNrrdHeader(bytes: Uint8Array, name: string): NrrdHeader {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1 << 20)));
  if (!/^NRRD000\d/.test(head)) throw new Error(`${name}: not an NRRD file (it does not start with "NRRD000")`);
  const fields = new Map<string, string>();
  const keyValues = new Map<string, string>();
  let pos = head.indexOf('\n') + 1;
  for (;;) {
    const end = head.indexOf('\n', pos);
    if (end < 0) throw new Error(`${name}: the NRRD header has no end (no blank line before the data)`);
    const line = head.slice(pos, end).replace(/\r$/, '');
    pos = end + 1;
    if (line === '') break;
    if (line.startsWith('#')) continue;
    const kv = line.indexOf(':=');
    const f = line.indexOf(': ');
    if (kv >= 0 && (f < 0 || kv < f)) keyValues.set(line.slice(0, kv), line.slice(kv + 2));
    else if (f >= 0) fields.set(line.slice(0, f).trim().toLowerCase(), line.slice(f + 2).trim());
  }
  // the header was decoded as latin1 (one char per byte), so character offsets are byte offsets
  return { fields, keyValues, dataOffset: pos };
}

const vector = (s: string): number[] | null => {
  const m = /^\(([^)]*)\)$/.exec(s.trim());
  return m ? m[1].split(',').map(Number) : null;
};

/** LPS sign flips of a NRRD space: x, y, z multipliers. */
function spaceToLps(space: string | undefined, name: string): Vec3 {
  const s = (space ?? '').trim().toLowerCase();
  if (s === 'left-posterior-superior' || s === 'lps' || s === '') return [1, 1, 1];
  if (s === 'right-anterior-superior' || s === 'ras') return [-1, -1, 1];
  if (s === 'left-anterior-superior' || s === 'las') return [1, -1, 1];
  throw new Error(`${name}: NRRD space "${space}" is not a patient space (LPS, RAS or LAS); it cannot be placed on the scan`);
}

/** Reads an NRRD label map (3D, or 4D with a leading list axis of layers). */
export function readNrrdLabels(bytes: Uint8Array, name: string): SourceLabels {
  const { fields, keyValues, dataOffset } = parseNrrdHeader(bytes, name);
  const notes: string[] = [];
  const type = typeName(fields.get('type') ?? '');
  if (!type) throw new Error(`${name}: NRRD type "${fields.get('type')}" is not supported`);
  if (fields.has('data file') || fields.has('datafile')) throw new Error(`${name}: a detached NRRD header (.nhdr): its voxels are in another file; save it as a single .nrrd`);
  const dimension = Number(fields.get('dimension'));
  const sizes = (fields.get('sizes') ?? '').split(/\s+/).map(Number);
  if (!(dimension === 3 || dimension === 4) || sizes.length !== dimension || sizes.some((x) => !(x > 0 && Number.isInteger(x))))
    throw new Error(`${name}: an NRRD label map must be 3D (or 4D with layers first); it has dimension ${fields.get('dimension')}, sizes ${fields.get('sizes')}`);
  const kinds = (fields.get('kinds') ?? '').split(/\s+/);
  if (dimension === 4 && !/^(list|vector|point|covariant-vector|normal|\?\?\?|none)$/i.test(kinds[0] ?? ''))
    throw new Error(`${name}: a 4D NRRD is read as label layers only when its first axis is a list (kinds: ${fields.get('kinds')})`);
  const nLayers = dimension === 4 ? sizes[0] : 1;
  const dims = sizes.slice(dimension - 3) as Vec3;
  // geometry
  const flip = spaceToLps(fields.get('space'), name);
  const dirs = (fields.get('space directions') ?? '').match(/\([^)]*\)|none/g) ?? [];
  const axes = dirs.filter((d) => d !== 'none').map(vector);
  if (axes.length !== 3 || axes.some((a) => !a || a.length !== 3 || a.some((x) => !Number.isFinite(x))))
    throw new Error(`${name}: the NRRD header has no usable "space directions", so the labels cannot be placed on the scan`);
  const cols = (axes as number[][]).map((a) => a.map((x, r) => x * flip[r] + 0)); // + 0: no −0
  const spacing = cols.map((c) => Math.hypot(...c)) as Vec3;
  if (spacing.some((s) => !(s > 0))) throw new Error(`${name}: an NRRD space direction has zero length`);
  const direction = cols.flatMap((c, a) => c.map((x) => x / spacing[a] + 0));
  const o = vector(fields.get('space origin') ?? '(0,0,0)');
  if (!o || o.length !== 3 || o.some((x) => !Number.isFinite(x))) throw new Error(`${name}: bad NRRD "space origin" ${fields.get('space origin')}`);
  const origin = o.map((x, r) => x * flip[r] + 0) as Vec3;
  // voxels
  const encoding = (fields.get('encoding') ?? 'raw').toLowerCase();
  let body = bytes.subarray(dataOffset);
  if (encoding === 'gzip' || encoding === 'gz') {
    try {
      body = gunzipSync(body);
    } catch (e) {
      throw new Error(`${name}: corrupt gzip data in the NRRD (${(e as Error).message})`);
    }
  } else if (encoding !== 'raw') throw new Error(`${name}: NRRD encoding "${encoding}" is not supported (raw and gzip are)`);
  const T = TYPES[type];
  const n = dims[0] * dims[1] * dims[2];
  const need = n * nLayers * T.size;
  const skip = Number(fields.get('byte skip') ?? 0);
  if (skip === -1) body = body.subarray(body.length - need);
  else if (skip > 0) body = body.subarray(skip);
  if (body.length < need) throw new Error(`${name}: truncated: the NRRD needs ${need} bytes of voxels, it has ${body.length}`);
  const le = (fields.get('endian') ?? 'little').toLowerCase() !== 'big';
  const raw = Array.from({ length: nLayers }, () => new Int32Array(n));
  let negative = 0;
  const typed = FAST[type];
  if (typed && nLayers === 1 && le === LITTLE_ENDIAN) {
    // native order: a typed view on an aligned copy, no per-voxel DataView call
    const src = typed(body.slice(0, need).buffer);
    for (let p = 0; p < n; p++) {
      const v = src[p];
      if (v < 0) negative++;
      else raw[0][p] = v;
    }
  } else {
    const view = new DataView(body.buffer, body.byteOffset, need);
    for (let p = 0, o2 = 0; p < n; p++)
      for (let l = 0; l < nLayers; l++, o2 += T.size) {
        const v = Math.round(T.read(view, o2, le));
        if (v < 0) negative++;
        else raw[l][p] = v;
      }
  }
  if (negative) notes.push(`${negative} voxels hold negative values, which are not labels; they were left out`);
  const segments: ImportedSegment[] = [];
  const layers: Uint8Array[] = [];
  // Slicer's segment fields
  const slicer: { name: string; color?: Rgb; layer: number; value: number }[] = [];
  for (let q = 0; keyValues.has(`Segment${q}_ID`) || keyValues.has(`Segment${q}_Name`); q++) {
    const c = (keyValues.get(`Segment${q}_Color`) ?? '').trim().split(/\s+/).map(Number);
    slicer.push({
      name: keyValues.get(`Segment${q}_Name`) || keyValues.get(`Segment${q}_ID`) || `Segment ${q + 1}`,
      color: c.length === 3 && c.every((x) => x >= 0 && x <= 1) ? (c.map((x) => Math.round(x * 255)) as Rgb) : undefined,
      layer: Number(keyValues.get(`Segment${q}_Layer`) ?? 0),
      value: Number(keyValues.get(`Segment${q}_LabelValue`) ?? 1),
    });
  }
  for (let l = 0; l < nLayers; l++) {
    const present = new Set<number>();
    for (let p = 0; p < n; p++) if (raw[l][p]) present.add(raw[l][p]);
    const values = [...present].sort((a, b) => a - b);
    const named = slicer.filter((s) => s.layer === l);
    // label value in the file → value in our layer (as is when ≤ 255)
    const fits = values.length === 0 || values[values.length - 1] <= 255;
    if (!fits && values.length > 255) throw new Error(`${name}: layer ${l} holds ${values.length} label values; at most 255 per layer are supported`);
    const to = new Map(values.map((v, q) => [v, fits ? v : q + 1]));
    const out = new Uint8Array(n);
    for (let p = 0; p < n; p++) if (raw[l][p]) out[p] = to.get(raw[l][p])!;
    layers.push(out);
    const list = slicer.length ? named.filter((s) => present.has(s.value)) : values.map((v) => ({ name: `Label ${v}`, color: undefined, layer: l, value: v }));
    for (const s of list) segments.push({ name: s.name, color: s.color ?? SEGMENT_COLORS[segments.length % SEGMENT_COLORS.length], layer: l, value: to.get(s.value)! });
    for (const s of named) if (!present.has(s.value)) notes.push(`segment "${s.name}" is empty in the file`);
  }
  if (!segments.length) throw new Error(`${name}: the label map is empty (every voxel is 0): nothing to import`);
  if (slicer.length) notes.push(`names and colours from the file's segment fields (${slicer.length} segments)`);
  return { format: 'NRRD', geometry: { dims, spacing, origin, direction }, layers, segments, notes };
}
