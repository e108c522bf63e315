// The one-line status: what is loaded, what is happening, and the next step.
import type { LoadedVolume } from './engine';
import type { Model } from './model/useModel';

type Activity = { kind: 'idle' } | { kind: 'busy' | 'error' | 'info'; text: string };

const mm = (v: number) => (Math.round(v * 100) / 100).toString();

export function volumeSummary(v: LoadedVolume): string {
  const [w, h, d] = v.volume.dims;
  const [sx, sy, sz] = v.volume.spacing;
  return `${v.seriesDescription || 'Unnamed series'}: ${w} × ${h} × ${d} voxels, ${mm(sx)} × ${mm(sy)} × ${mm(sz)} mm`;
}

export function modelSummary(m: Model): string {
  const r = m.result.report;
  const closed = r.closed && r.manifold && r.oriented && r.degenerateTriangles === 0 ? 'closed and printable' : 'NOT printable: see the report';
  const parts = m.segments ? `${m.segments.length} segment${m.segments.length === 1 ? '' : 's'}, ` : '';
  return `3D model: ${parts}${r.triangles.toLocaleString('en-US')} triangles, ${(r.volumeMm3 / 1000).toFixed(1)} mL, ${closed} (${(m.ms / 1000).toFixed(1)} s)`;
}

export function statusText(loaded: LoadedVolume | null, activity: Activity, model: Model | null, stale: boolean): string {
  const parts: string[] = [];
  if (loaded) parts.push(volumeSummary(loaded));
  if (activity.kind !== 'idle') parts.push(activity.text);
  else if (model) parts.push(stale ? 'Settings changed: press "Make 3D model" to update the model' : modelSummary(model));
  else if (loaded) parts.push('Adjust the threshold, then press "Make 3D model"');
  else parts.push('Drop a DICOM folder, open files, or try the demo scan');
  return parts.join(' · ');
}
