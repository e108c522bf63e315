// NIfTI label maps (.nii, .nii.gz): one file with many labels (one segment per label value present), or
// one binary file per structure (named after the file). Geometry and voxels come from nifti.ts
// (sform/qform, RAS → LPS); the names and colours, in order of preference, from
//   1. a label table in a NIfTI extension (the CIFTI/Connectome Workbench "CaretExtension"
//      <LabelTable> that TotalSegmentator writes into its multi-label maps);
//   2. TotalSegmentator's `total` table, when the file's name says TotalSegmentator and every label
//      value is one of its 117;
//   3. the file's name, for a file holding a single label value (a binary mask per structure);
//   4. "Label N".
import { gunzipSync } from 'fflate';
import { SEGMENT_COLORS, type ImportedSegment, type Rgb } from '../../core/segments';
import { readNifti } from '../nifti';
import { TOTALSEGMENTATOR_TOTAL } from './totalSegmentator';
import type { SourceLabels } from './types';

export interface LabelTableEntry {
  name: string;
  color?: Rgb;
}

/** XML character data: CDATA sections as they are, entities elsewhere decoded. */
function xmlText(s: string): string {
  return s
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) =>
      part.startsWith('<![CDATA[')
        ? part.slice(9, -3)
        : part.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
            e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()],
          ),
    )
    .join('');
}

/** The label table of a CaretExtension (XML) in the NIfTI extensions of an inflated file, by label value. */
export function niftiLabelTable(bytes: Uint8Array): Map<number, LabelTableEntry> {
  const table = new Map<number, LabelTableEntry>();
  if (bytes.length < 352 || bytes[348] === 0) return table;
  const le = new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true) === 348;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const voxOffset = view.getFloat32(108, le);
  const end = Math.min(bytes.length, Number.isFinite(voxOffset) ? voxOffset : bytes.length);
  for (let o = 352; o + 8 <= end; ) {
    const size = view.getInt32(o, le);
    if (size < 16 || size % 16 !== 0 || o + size > end) break;
    const text = new TextDecoder().decode(bytes.subarray(o + 8, o + size));
    const lt = /<LabelTable>([\s\S]*?)<\/LabelTable>/.exec(text);
    if (lt) {
      for (const m of lt[1].matchAll(/<Label\b([^>]*)>([\s\S]*?)<\/Label>/g)) {
        const attr = (k: string) => new RegExp(`\\b${k}="([^"]*)"`).exec(m[1])?.[1];
        const key = Number(attr('Key'));
        if (!Number.isInteger(key)) continue;
        const rgb = ['Red', 'Green', 'Blue'].map((c) => Number(attr(c)));
        const entry: LabelTableEntry = { name: xmlText(m[2]).trim() || `Label ${key}` };
        if (rgb.every((x) => x >= 0 && x <= 1)) entry.color = rgb.map((x) => Math.round(x * 255)) as Rgb;
        table.set(key, entry);
      }
    }
    o += size;
  }
  return table;
}

/** More distinct values than this and the file is an image, not labels (FreeSurfer's tables stay under it). */
export const MAX_LABELS = 2000;

/** The file's name without folders and its NIfTI extension. */
const baseName = (name: string) => name.replace(/^.*[\\/]/, '').replace(/\.nii(\.gz)?$/i, '');

/** Reads a NIfTI label map: one segment per label value present. */
export function readNiftiLabels(bytes: Uint8Array, name: string): SourceLabels {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${name}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  const { volume, notes } = readNifti(bytes, name);
  const data = volume.data;
  // which values occur (int16 after scaling: labels are small non-negative integers)
  const counts = new Float64Array(65536);
  for (let p = 0; p < data.length; p++) counts[data[p] + 32768]++;
  const values: number[] = [];
  let negative = 0;
  for (let v = -32768; v <= 32767; v++) {
    if (!counts[v + 32768] || v === 0) continue;
    if (v < 0) negative += counts[v + 32768];
    else values.push(v);
  }
  if (values.length > MAX_LABELS || negative > data.length / 100)
    throw new Error(`${name}: this looks like an image, not a label map (${values.length} different values${negative ? ', many of them negative' : ''}); load it as the scan instead`);
  if (negative) notes.push(`${negative} voxels hold negative values, which are not labels; they were left out`);
  if (!values.length) throw new Error(`${name}: the label map is empty (every voxel is 0): nothing to import`);
  // label value → (layer, value): as they are when all fit in a byte, else numbered 1–255 per layer
  const fits = values[values.length - 1] <= 255;
  if (!fits) notes.push(`label values run to ${values[values.length - 1]}; they were numbered 1–255 in ${Math.ceil(values.length / 255)} layer(s)`);
  const place = new Map<number, [number, number]>(values.map((v, q) => [v, fits ? [0, v] : [Math.floor(q / 255), (q % 255) + 1]]));
  const layers = Array.from({ length: fits ? 1 : Math.ceil(values.length / 255) }, () => new Uint8Array(data.length));
  // per file value: its layer and its value there (lookup tables: one pass, no map per voxel)
  const layerOf = new Uint8Array(32768), valueOf = new Uint8Array(32768);
  for (const [v, [layer, value]] of place) (layerOf[v] = layer), (valueOf[v] = value);
  if (layers.length === 1) {
    const out = layers[0];
    for (let p = 0; p < data.length; p++) {
      const v = data[p];
      if (v > 0) out[p] = valueOf[v];
    }
  } else
    for (let p = 0; p < data.length; p++) {
      const v = data[p];
      if (v > 0) layers[layerOf[v]][p] = valueOf[v];
    }
  // names and colours
  const table = niftiLabelTable(bytes);
  const total = !table.size && /totalseg/i.test(name) && values[values.length - 1] <= TOTALSEGMENTATOR_TOTAL.length;
  const segments: ImportedSegment[] = values.map((v, q) => {
    const [layer, value] = place.get(v)!;
    const entry = table.get(v);
    const named = entry?.name ?? (total ? TOTALSEGMENTATOR_TOTAL[v - 1] : values.length === 1 ? baseName(name) : `Label ${v}`);
    return { name: named, color: entry?.color ?? SEGMENT_COLORS[q % SEGMENT_COLORS.length], layer, value };
  });
  if (table.size) notes.push(`names and colours from the file's label table (${table.size} labels)`);
  else if (total) notes.push("names from TotalSegmentator's table for its 'total' task");
  return { format: 'NIfTI', geometry: { dims: volume.dims, spacing: volume.spacing, origin: volume.origin, direction: volume.direction }, layers, segments, notes };
}
