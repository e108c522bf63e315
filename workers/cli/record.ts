// What one scan's run gives back: the JSON line of --json (input, output, series, settings, the
// printability report, stage timings, or the error) and the one-line summary printed for people.
import type { MeshReport } from '../core/meshCheck';
import { classifyShells } from '../core/shells';
import type { StageTiming } from '../core/pipeline';
import type { Mesh, Vec3 } from '../core/types';
import type { ScanSettings } from './settings';

/** The app's printability report (src/export/PrintabilityReport.tsx) as numbers. */
export interface Printability extends MeshReport {
  sizeMm: Vec3;
  /** shells wound outward (what prints as parts) and the voids enclosed in them (core/shells.ts) */
  solids: number;
  voids: number;
  /** how far decimation moved the surface (mm, measured both ways) */
  deviationMm: number;
  trianglesIsosurface: number;
  fileBytes: number;
}

export interface ScanRecord {
  input: string[];
  ok: boolean;
  exitCode: number;
  /** why the scan failed (one message naming the input or file) */
  error?: string;
  /** the model files written (one, or one per label) */
  output: string[];
  /** the metadata file written (-m) */
  meta?: string;
  series?: { description: string; modality: string; files: number; dims: Vec3; spacing: Vec3 };
  /** the grid meshed, when it differs from the series' (--enable shrink) */
  meshedDims?: Vec3;
  settings?: ScanSettings;
  /** pieces of the thresholded volume, and the voxels the piece choices kept and removed */
  pieces?: { count: number; kept: number; removed: number; filled?: number };
  report?: Printability;
  /** --labels: one entry per label meshed */
  labels?: { name: string; report: Printability }[];
  /** what the user should know: the loader's notes (files skipped, resampling, …), the label import's, the filters' */
  notes: string[];
  stages: StageTiming[];
  totalMs: number;
}

/** The report's facts for `mesh` (checked as `report`), written to `fileBytes` bytes. */
export function printability(mesh: Mesh, report: MeshReport, deviationMm: number, trianglesIsosurface: number, fileBytes: number): Printability {
  const sizeMm = report.bbox.max.map((x, a) => x - report.bbox.min[a]) as Vec3;
  const { solids, voids } = classifyShells(mesh);
  return { ...report, sizeMm, solids, voids, deviationMm, trianglesIsosurface, fileBytes };
}

const n = (v: number, digits = 1) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function facts(r: Printability): string {
  return [
    `${r.triangles.toLocaleString('en-US')} triangles`,
    r.closed && r.manifold && r.oriented ? 'closed' : `NOT closed (${r.boundaryEdges} open, ${r.nonManifoldEdges} non-manifold edges)`,
    `${r.solids} ${r.solids === 1 ? 'solid' : 'solids'}${r.voids ? ` + ${r.voids} enclosed ${r.voids === 1 ? 'void' : 'voids'}` : ''}`,
    `${n(r.volumeMm3 / 1000)} mL`,
    `${r.sizeMm.map((x) => n(x, 0)).join(' × ')} mm`,
  ].join(', ');
}

/** "series (CT 512×512×96) → out.stl: 40,934 triangles, closed, 1 piece, 596.2 mL, 310 × 250 × 280 mm (5.1 s)" */
export function summaryLine(r: ScanRecord): string {
  const what = r.series ? `${r.series.description || r.input.join(', ')} (${[r.series.modality, r.series.dims.join('×')].filter(Boolean).join(' ')})` : r.input.join(', ');
  const time = `(${n(r.totalMs / 1000)} s)`;
  if (!r.ok) return `${what}: failed: ${r.error} ${time}`;
  if (r.labels) return `${what} → ${r.output[0]}${r.output.length > 1 ? ` and ${r.output.length - 1} more files` : ''}: ${r.labels.length} labels ${time}`;
  return `${what} → ${r.output[0]}: ${facts(r.report!)} ${time}`;
}

/** Per label, for -v. */
export const labelLine = (l: { name: string; report: Printability }) => `  ${l.name}: ${facts(l.report)}`;

/** Stage timings for -v: one line each. */
export const stageLines = (stages: StageTiming[]) => stages.map((x) => `  ${x.name.padEnd(28)} ${x.ms.toFixed(0).padStart(7)} ms`);

/** The settings in a line, for -v: "double threshold 200;800;1300;1500 (bone), median, largest piece, 25 smoothing passes, keep 10 %". */
export function settingsLine(s: ScanSettings): string {
  const t = s.threshold;
  const what =
    t.kind === 'labels' ? `labels of ${t.file}` : t.kind === 'iso' ? `isovalue ${t.isovalue}` : `double threshold ${t.t.join(';')}${t.tissue ? ` (${t.tissue})` : ''}`;
  const d = s.refine.detail;
  return [
    what,
    ...(s.shrink ? ['shrink'] : []),
    ...(s.anisotropic && t.kind !== 'labels' ? ['anisotropic diffusion'] : []),
    ...(s.median && t.kind !== 'labels' ? ['median 3×3×1'] : []),
    s.keepLargest ? 'largest piece' : s.minPieceRatio > 0 ? `pieces over ${s.minPieceRatio} × the largest` : 'every piece',
    ...(s.fillCavities ? ['cavities filled'] : []),
    `${s.refine.smoothing} smoothing passes`,
    d.kind === 'full' ? 'every triangle' : d.kind === 'fraction' ? `keep ${+(d.keep * 100).toFixed(6)} %` : `within ${d.mm} mm`,
    ...(s.rotation ? [`turned ${s.rotation.degrees}° about ${s.rotation.axis}`] : []),
    s.placement.where === 'bed' ? 'on the bed' : 'as scanned',
    s.format.toUpperCase(),
  ].join(', ');
}
