import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import type { Placement } from '../../workers/core/placement';
import type { Bounds } from '../../workers/core/userPlane';
import { CutPlaneControls, PinControls } from './CutPlaneControls';
import type { CutPlane } from './useCutPlane';
import type { Packaging } from './useExport';
import { MmField } from '../print/MmField';

/** A flat base's thickness when ticked (ten 0.2 mm layers). */
const BASE_MM = 2;

interface FileProps {
  format: MeshFormat;
  onFormat: (f: MeshFormat) => void;
  /** the download button's label names the format */
  formatLabel: string;
  canDownload: boolean;
  onDownload: () => void;
  /** a segments model in STL, OBJ or PLY: a zip of one file per segment, or merged (null: not asked) */
  packaging: Packaging | null;
  onPackaging: (p: Packaging) => void;
}

interface PlacementProps {
  placement: Placement;
  onPlacement: (p: Placement) => void;
  /** cut to fit the bed and the flat base (null: not offered, for a segments model) */
  cut: CutControls | null;
}

export interface CutControls {
  cutToFit: boolean;
  onCutToFit: (on: boolean) => void;
  /** the cut plane the user places, and alignment pins */
  plane: CutPlane;
  /** the model as placed (the cut plane's range), null until placed */
  bounds: Bounds | null;
  /** what the cut gave, once the file is written */
  cutNote: string | null;
  /** flat base thickness (mm), null when off */
  baseMm: number | null;
  onBaseMm: (mm: number | null) => void;
  baseNote: string | null;
}

/** File format and the download button (and, for segments, one file each or merged). */
export function FileControls({ format, onFormat, formatLabel, canDownload, onDownload, packaging, onPackaging }: FileProps) {
  return (
    <>
      <div className="row">
        <label className="field grow">
          <span>File format</span>
          <select value={format} onChange={(e) => onFormat(e.currentTarget.value as MeshFormat)}>
            {MESH_FORMATS.map((f) => (
              <option key={f.format} value={f.format}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button primary" disabled={!canDownload} onClick={onDownload} aria-keyshortcuts="D">
          Download {formatLabel}
        </button>
      </div>
      {packaging && (
        <label className="field">
          <span>Segments as</span>
          <select value={packaging} onChange={(e) => onPackaging(e.currentTarget.value as Packaging)}>
            <option value="zip">One file per segment, in a zip</option>
            <option value="merged">All merged into one file</option>
          </select>
        </label>
      )}
    </>
  );
}

/** Placement and scale, then cut to fit the bed or a flat base. */
export function PlacementControls({ placement, onPlacement, cut }: PlacementProps) {
  return (
    <>
      <div className="row">
        <label className="field grow">
          <span>Placement</span>
          <select value={placement.where} onChange={(e) => onPlacement({ ...placement, where: e.currentTarget.value as Placement['where'] })}>
            <option value="scanner">As scanned (patient mm)</option>
            <option value="bed">On the printer bed (flat side down)</option>
          </select>
        </label>
        <label className="field">
          <span>Scale (%)</span>
          <input
            type="number"
            className="small-number"
            min={1}
            max={1000}
            value={placement.scalePercent}
            onChange={(e) => {
              const v = e.currentTarget.valueAsNumber;
              if (Number.isFinite(v) && v > 0) onPlacement({ ...placement, scalePercent: v });
            }}
          />
        </label>
      </div>
      {cut && <CutAndBase {...cut} />}
    </>
  );
}

/** Cut to fit the bed, or else a flat base, with what each gave. */
function CutAndBase({ cutToFit: fit, onCutToFit, plane, bounds, cutNote, baseMm, onBaseMm, baseNote }: CutControls) {
  const cutToFit = fit || plane.on; // a cut of either kind (the base is not offered with one)
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={fit} onChange={(e) => onCutToFit(e.currentTarget.checked)} />
        <span>Cut to fit the bed (parts laid out on the bed; 3MF: one object each, STL/OBJ/PLY: a zip of one file each)</span>
      </label>
      <CutPlaneControls plane={plane} bounds={bounds} />
      {cutToFit && <PinControls plane={plane} />}
      {cutToFit && cutNote && (
        <p className="muted" data-testid="cut-note">
          {cutNote}
        </p>
      )}
      {!cutToFit && (
        <div className="row">
          <label className="check">
            <input type="checkbox" checked={baseMm !== null} onChange={(e) => onBaseMm(e.currentTarget.checked ? BASE_MM : null)} />
            <span>Flat base (a slab under the model, for a first layer that holds)</span>
          </label>
          {baseMm !== null && (
            <MmField label="Base thickness (mm)" min={0.4} max={20} step={0.2} value={baseMm} onChange={onBaseMm} />
          )}
        </div>
      )}
      {!cutToFit && baseNote && (
        <p className="muted" data-testid="base-note">
          {baseNote}
        </p>
      )}
    </>
  );
}
