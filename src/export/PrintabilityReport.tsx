import type { MeshReport } from '../../workers/core/meshCheck';
import type { SegmentMeshResult } from '../../workers/core/segmentPipeline';
import type { HollowStats } from '../../workers/core/pipeline';
import type { PieceFacts, WallFacts } from '../../workers/core/printFacts';
import type { Vec3 } from '../../workers/core/types';
import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import type { DeviationShown } from '../model/useModel';
import { bedFit, bedText, type Printer } from '../print/printers';

// What a printer (and a slicer) will think of the model, before the download.

export interface ReportFacts {
  report: MeshReport;
  /** how far decimation moved the surface (mm), or why there is no figure yet */
  deviationMm: DeviationShown;
  /** bytes of the file in the chosen format, if known */
  fileBytes: number | null;
  format: MeshFormat;
  /** the printer: its bed for the size warning, its minimum wall for the thin-wall warning */
  printer: Printer;
  /** export scale: volume, area and walls are reported as printed */
  scalePercent: number;
  /** a segments model: each segment's own check (the report above is their sum) */
  segments?: SegmentMeshResult[] | null;
  /** size of the model as the file places it, mm (null while it is measured) */
  size: Vec3 | null;
  /** the first layer as placed (base.ts firstLayer): area on the bed, mm², and whether it holds (null while measured) */
  firstLayer: { mm2: number; holds: boolean } | null;
  /** solids and enclosed voids (null while they are sorted) */
  pieces: PieceFacts | null;
  /** thinnest wall and thin patches, unscaled mm (null while measured); wallsCurrent: measured against this printer and scale */
  walls: WallFacts | null;
  wallsCurrent: boolean;
  /** the fraction of the wall-thickness map measured while the walls are (null: not known) */
  wallsProgress?: number | null;
  /** "Keep only the largest piece" is ticked: no use suggesting it */
  keepLargest: boolean;
  /** what hollowing saved (null: not hollowed) */
  hollow: HollowStats | null;
  /** the hollow wall asked for, mm */
  hollowWallMm: number | null;
  /** ticks "Fill enclosed cavities" (offered when the model has voids it did not ask for) */
  onFillCavities?: () => void;
  /** the file's drain holes: enclosed voids before and after drilling (null: none drilled) */
  drained?: { voidsBefore: number; voidsAfter: number } | null;
}

const ok = (v: boolean) => (v ? '✔' : '✘');
const n = (v: number, digits = 1) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;

/** Warnings a person needs before printing; empty when the model is fine. */
export function printWarnings(f: Omit<ReportFacts, 'deviationMm' | 'fileBytes' | 'format'>): string[] {
  const { report: r, printer, pieces, walls } = f;
  const s = f.scalePercent / 100;
  const w: string[] = [];
  if (r.boundaryEdges) w.push(`${r.boundaryEdges} open edges: the surface has holes, slicers may fail or fill them badly.`);
  if (r.nonManifoldEdges || r.nonManifoldVertices)
    w.push(`${r.nonManifoldEdges} non-manifold edges and ${r.nonManifoldVertices} non-manifold vertices: slicers may misread the solid.`);
  if (r.inconsistentEdges) w.push(`${r.inconsistentEdges} edges with inconsistent winding: some faces point inward.`);
  if (r.degenerateTriangles) w.push(`${r.degenerateTriangles} zero-area triangles: some slicers reject or silently drop them.`);
  // segments print as parts of their own: several solids are expected
  if (pieces && pieces.solids > 1 && !f.segments)
    w.push(`${pieces.solids} separate solids: each prints as its own part.${f.keepLargest ? '' : ' Use "Keep only the largest piece" if that is not intended.'}`);
  if (pieces && pieces.voids > 0 && !f.hollow)
    w.push(`${plural(pieces.voids, 'enclosed void')} (${n((pieces.voidMm3 * s ** 3) / 1000, 2)} mL) inside: they print as closed cavities. Fill them for a solid model.`);
  if (f.size && bedFit(f.size, printer) === 'no')
    w.push(`Larger than the ${printer.label} bed (${bedText(printer)}): ${f.size.map((x) => n(x, 0)).join(' × ')} mm. Scale it down or split it.`);
  if (f.firstLayer && !f.firstLayer.holds && printer.technology === 'FDM')
    w.push(
      `The first layer touches the bed over only ${n(f.firstLayer.mm2)} mm²: the model stands on a tip, so slicers may find no first layer or it may come loose. Turn it onto a flat side ("On the printer bed") if it has one, else print it with supports or a raft.`,
    );
  if (walls && f.wallsCurrent && walls.thinCount > 0)
    w.push(
      `${plural(walls.thinCount, 'place')} thinner than the ${printer.minWallMm} mm minimum wall of the ${printer.label}, the thinnest ${n((walls.thinnest ?? walls.thin[0]).mm * s, 2)} mm (red dots in the 3D view${walls.thinCount > walls.thin.length ? `: the ${walls.thin.length} thinnest` : ''}): it may break or not print there.`,
    );
  if (r.triangles === 0) w.push('The model is empty: lower the threshold or check the scan.');
  return w;
}

/** "1 shell"; with voids "1 solid + 39 enclosed voids" (null pieces: still sorting). */
function piecesText(r: MeshReport, p: PieceFacts | null, drained?: ReportFacts['drained']): string {
  if (!p || p.voids === 0) return plural(r.shells, 'shell');
  // drain holes open voids of the model into the file: the file's count, and how many they opened
  if (drained && drained.voidsAfter < drained.voidsBefore) {
    const opened = `${drained.voidsBefore - drained.voidsAfter} opened by drain holes`;
    return drained.voidsAfter === 0 ? `${plural(p.solids, 'solid')} (${opened})` : `${plural(p.solids, 'solid')} + ${plural(drained.voidsAfter, 'enclosed void')} (${opened})`;
  }
  return `${plural(p.solids, 'solid')} + ${plural(p.voids, 'enclosed void')}`;
}

/** "0.42 mm from full detail", "none (full detail)" when nothing was removed, "measuring…" before the figure. */
function deviationText(d: DeviationShown): string {
  if (d === 'measuring') return 'measuring…';
  if (d === 'not measured') return d;
  return d > 0 ? `${n(d, 2)} mm from full detail` : 'none (full detail)';
}

export function PrintabilityReport(f: ReportFacts) {
  const r = f.report;
  const s = f.scalePercent / 100;
  const warnings = printWarnings(f);
  const label = MESH_FORMATS.find((m) => m.format === f.format)?.label ?? f.format;
  const fit = f.size ? bedFit(f.size, f.printer) : null;
  const h = f.hollow;
  return (
    <section className="report" aria-label="Printability report">
      <h2>Printability report</h2>
      <dl>
        <dt>Closed</dt>
        <dd>{ok(r.closed)} {r.closed ? 'no open edges' : `${r.boundaryEdges} open edges`}</dd>
        <dt>Manifold</dt>
        <dd>{ok(r.manifold && r.oriented)} {r.manifold && r.oriented ? 'every edge joins two faces, all facing out' : 'see warnings'}</dd>
        <dt>Pieces</dt>
        <dd>{piecesText(r, f.pieces, f.drained)}</dd>
        <dt>Volume</dt>
        <dd>{n((r.volumeMm3 * s ** 3) / 1000)} mL</dd>
        {h && (
          <>
            <dt>Hollow</dt>
            <dd>
              {f.hollowWallMm} mm wall, {plural(h.cavities, 'cavity', 'cavities')}
            </dd>
            <dt>Material saved</dt>
            <dd>
              {n((h.savedMm3 * s ** 3) / 1000)} mL ({n((100 * h.savedMm3) / h.volumeBeforeMm3, 0)} % of the solid model)
            </dd>
          </>
        )}
        <dt>Surface area</dt>
        <dd>{n((r.areaMm2 * s ** 2) / 100)} cm²</dd>
        <dt>Size</dt>
        <dd>{f.size ? `${f.size.map((x) => n(x)).join(' × ')} mm` : '…'}</dd>
        <dt>Printer bed</dt>
        <dd>
          {bedText(f.printer)}
          {fit === 'fits' ? ': fits' : fit === 'turned' ? ': fits turned a quarter turn' : fit === 'no' ? ': too small' : ''}
        </dd>
        <dt>First layer</dt>
        <dd>{f.firstLayer === null ? '…' : `${n(f.firstLayer.mm2)} mm² on the bed${f.firstLayer.holds ? ', holds' : ': stands on a tip'}`}</dd>
        <dt>Thinnest wall</dt>
        <dd>
          {f.walls
            ? f.walls.thinnest
              ? `${n(f.walls.thinnest.mm * s, 2)} mm`
              : 'none measured'
            : `measuring…${f.wallsProgress != null ? ` ${Math.floor(100 * f.wallsProgress)} %` : ''}`}
        </dd>
        <dt>Triangles</dt>
        <dd>{r.triangles.toLocaleString('en-US')}</dd>
        <dt>Deviation</dt>
        <dd>{deviationText(f.deviationMm)}</dd>
        <dt>File size</dt>
        <dd>{f.fileBytes === null ? '…' : `${n(f.fileBytes / 1e6)} MB (${label})`}</dd>
      </dl>
      {f.segments && <SegmentTable segments={f.segments} scale={s} />}
      {f.onFillCavities && f.pieces && f.pieces.voids > 0 && !f.hollow && (
        <button type="button" className="button secondary small" onClick={f.onFillCavities}>
          Fill enclosed cavities
        </button>
      )}
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
