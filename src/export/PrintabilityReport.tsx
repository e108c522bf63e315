import type { MeshReport } from '../../workers/core/meshCheck';
import type { SegmentMeshResult } from '../../workers/core/segmentPipeline';
import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';

// What a printer (and a slicer) will think of the model, before the download.

export interface ReportFacts {
  report: MeshReport;
  /** how far decimation moved the surface (mm) */
  deviationMm: number;
  /** bytes of the file in the chosen format, if known */
  fileBytes: number | null;
  format: MeshFormat;
  /** printer bed edge (mm): a cube, for the size warning */
  bedMm: number;
  /** export scale: sizes, area and volume are reported as printed */
  scalePercent: number;
  /** a segments model: each segment's own check (the report above is their sum) */
  segments?: SegmentMeshResult[] | null;
}

const ok = (v: boolean) => (v ? '✔' : '✘');
const n = (v: number, digits = 1) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Warnings a person needs before printing; empty when the model is fine. */
export function printWarnings({ report: r, bedMm, scalePercent, segments }: Pick<ReportFacts, 'report' | 'bedMm' | 'scalePercent' | 'segments'>): string[] {
  const w: string[] = [];
  if (r.boundaryEdges) w.push(`${r.boundaryEdges} open edges: the surface has holes, slicers may fail or fill them badly.`);
  if (r.nonManifoldEdges || r.nonManifoldVertices)
    w.push(`${r.nonManifoldEdges} non-manifold edges and ${r.nonManifoldVertices} non-manifold vertices: slicers may misread the solid.`);
  if (r.inconsistentEdges) w.push(`${r.inconsistentEdges} edges with inconsistent winding: some faces point inward.`);
  if (r.degenerateTriangles) w.push(`${r.degenerateTriangles} zero-area triangles: some slicers reject or silently drop them.`);
  // segments print as parts of their own: several shells are expected
  if (r.shells > 1 && !segments)
    w.push(`${r.shells} separate pieces: each prints as its own part. Use "Keep only the largest piece" if that is not intended.`);
  const size = r.bbox.max.map((x, i) => ((x - r.bbox.min[i]) * scalePercent) / 100);
  if (size.some((s) => s > bedMm)) w.push(`Larger than a ${bedMm} mm printer bed (${size.map((s) => n(s, 0)).join(' × ')} mm): scale it down or split it.`);
  if (r.triangles === 0) w.push('The model is empty: lower the threshold or check the scan.');
  return w;
}

export function PrintabilityReport(f: ReportFacts) {
  const r = f.report;
  const s = f.scalePercent / 100;
  const size = r.bbox.max.map((x, i) => (x - r.bbox.min[i]) * s);
  const warnings = printWarnings(f);
  const label = MESH_FORMATS.find((m) => m.format === f.format)?.label ?? f.format;
  return (
    <section className="report" aria-label="Printability report">
      <h2>Printability report</h2>
      <dl>
        <dt>Closed</dt>
        <dd>{ok(r.closed)} {r.closed ? 'no open edges' : `${r.boundaryEdges} open edges`}</dd>
        <dt>Manifold</dt>
        <dd>{ok(r.manifold && r.oriented)} {r.manifold && r.oriented ? 'every edge joins two faces, all facing out' : 'see warnings'}</dd>
        <dt>Pieces</dt>
        <dd>{r.shells} {r.shells === 1 ? 'shell' : 'shells'}</dd>
        <dt>Volume</dt>
        <dd>{n((r.volumeMm3 * s ** 3) / 1000)} mL</dd>
        <dt>Surface area</dt>
        <dd>{n((r.areaMm2 * s ** 2) / 100)} cm²</dd>
        <dt>Size</dt>
        <dd>{size.map((x) => n(x)).join(' × ')} mm</dd>
        <dt>Triangles</dt>
        <dd>{r.triangles.toLocaleString('en-US')}</dd>
        <dt>Deviation</dt>
        <dd>{f.deviationMm > 0 ? `${n(f.deviationMm, 2)} mm from full detail` : 'none (full detail)'}</dd>
        <dt>File size</dt>
        <dd>{f.fileBytes === null ? '…' : `${n(f.fileBytes / 1e6)} MB (${label})`}</dd>
      </dl>
      {f.segments && <SegmentTable segments={f.segments} scale={s} />}
      {warnings.length > 0 ? (
        <ul className="warnings" aria-label="Print warnings">
          {warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      ) : (
        <p className="fine">
          ✔ Ready to print:{' '}
          {f.segments ? `${f.segments.length} closed, consistently oriented objects, one per segment.` : 'one closed, consistently oriented solid.'}
        </p>
      )}
    </section>
  );
}

const hex = (c: readonly number[]) => `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;

/** Each segment of the model: its colour and name, whether its surface is closed, its volume and triangles. */
function SegmentTable({ segments, scale }: { segments: SegmentMeshResult[]; scale: number }) {
  return (
    <table className="segment-report" aria-label="Segments in the model">
      <thead>
        <tr>
          <th scope="col">Segment</th>
          <th scope="col">Closed</th>
          <th scope="col">Volume</th>
          <th scope="col">Triangles</th>
        </tr>
      </thead>
      <tbody>
        {segments.map((g) => {
          const closed = g.report.closed && g.report.manifold && g.report.oriented;
          return (
            <tr key={g.id}>
              <th scope="row">
                <span className="swatch-dot" style={{ background: hex(g.color) }} aria-hidden="true" /> {g.name}
              </th>
              <td aria-label={closed ? 'closed' : 'not closed'}>{ok(closed)}</td>
              <td>{n((g.report.volumeMm3 * scale ** 3) / 1000)} mL</td>
              <td>{g.report.triangles.toLocaleString('en-US')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
