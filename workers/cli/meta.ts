// dicom2stl's metadata file (-m/--meta, `writeMetadataFile` in dicom2stl/Dicom2STL.py): six lines
// "key value", the volume's size in voxels and its spacing in mm rounded to the thousandth, of the
// volume as loaded (before shrinking). Written the way its Python writes the numbers.
import type { VolumeGeometry } from '../core/types';

/** dicom2stl's roundThousand: str(float(int(1000 * x + 0.5)) * 0.001), with Python's float formatting. */
export function roundThousand(x: number): string {
  const y = Math.trunc(1000 * x + 0.5) * 0.001;
  return pythonFloat(y);
}

/** Python's str() of a float in the range met here: the shortest round-trip digits, always with a ".0" or a fraction. */
function pythonFloat(y: number): string {
  const s = String(y);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export function metadataText(g: Pick<VolumeGeometry, 'dims' | 'spacing'>): string {
  const [nx, ny, nz] = g.dims;
  const [sx, sy, sz] = g.spacing;
  return [`xdimension ${nx}`, `ydimension ${ny}`, `zdimension ${nz}`, `xspacing ${roundThousand(sx)}`, `yspacing ${roundThousand(sy)}`, `zspacing ${roundThousand(sz)}`]
    .map((l) => `${l}\n`)
    .join('');
}

/** Reads a metadata file back: key → number. */
export function parseMetadata(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+) (\S+)$/.exec(line.trim());
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}
