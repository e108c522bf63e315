import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import type { Placement } from '../../workers/core/placement';
import type { Packaging } from './useExport';

interface Props {
  format: MeshFormat;
  onFormat: (f: MeshFormat) => void;
  placement: Placement;
  onPlacement: (p: Placement) => void;
  /** the download button's label names the format */
  formatLabel: string;
  canDownload: boolean;
  onDownload: () => void;
  /** a segments model in STL, OBJ or PLY: a zip of one file per segment, or merged (null: not asked) */
  packaging: Packaging | null;
  onPackaging: (p: Packaging) => void;
}

/** File format and the download button, then placement and scale. */
export function ExportControls({ format, onFormat, placement, onPlacement, formatLabel, canDownload, onDownload, packaging, onPackaging }: Props) {
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
    </>
  );
}
