// Pure helpers of the 3D preview's tools: the clip plane, the bounding-box edge labels, the picture's
// file name. No three.js here, so they stay easy to reason about (and to test in Node).

export type ClipAxis = 'x' | 'y' | 'z';

/** Patient axes (LPS) in the words the UI uses. */
export const CLIP_AXES: { axis: ClipAxis; label: string }[] = [
  { axis: 'x', label: 'Left–right' },
  { axis: 'y', label: 'Front–back' },
  { axis: 'z', label: 'Head–foot' },
];

export type Triple = [number, number, number];

/**
 * The plane that keeps `percent` of the model's extent along `axis`, cutting from the side the default
 * camera looks at (patient's left = +x, front = −y, head = +z), so the cut faces the viewer.
 * three.js keeps points where normal·p + constant ≥ 0. Returns null at 100 % (no clipping).
 */
export function clipPlane(axis: ClipAxis, percent: number, min: Triple, max: Triple): { normal: Triple; constant: number } | null {
  if (!(percent < 100)) return null;
  const a = axis === 'x' ? 0 : axis === 'y' ? 1 : 2;
  const p = Math.max(0, percent) / 100;
  const extent = max[a] - min[a];
  const normal: Triple = [0, 0, 0];
  if (axis === 'y') {
    // keep y ≥ max − p·extent (the back part; the front, towards the camera, goes)
    normal[a] = 1;
    return { normal, constant: -(max[a] - p * extent) };
  }
  // keep coordinate ≤ min + p·extent
  normal[a] = -1;
  return { normal, constant: min[a] + p * extent };
}

/** The four edges of a box parallel to `axis`, as their midpoints. */
export function edgeMidpoints(axis: 0 | 1 | 2, min: Triple, max: Triple): Triple[] {
  const [b, c] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
  const out: Triple[] = [];
  for (const vb of [min[b], max[b]])
    for (const vc of [min[c], max[c]]) {
      const p: Triple = [0, 0, 0];
      p[axis] = (min[axis] + max[axis]) / 2;
      p[b] = vb;
      p[c] = vc;
      out.push(p);
    }
  return out;
}

/** "Demo_head_phantom.stl" or "Demo head" → "Demo_head_phantom.png"; nothing usable → "preview.png". */
export function pictureFileName(fileStem?: string): string {
  const stem = (fileStem ?? '')
    .replace(/\.[A-Za-z0-9]{1,4}$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `${stem || 'preview'}.png`;
}

export const fmtMm = (v: number) => `${v.toFixed(1)} mm`;
