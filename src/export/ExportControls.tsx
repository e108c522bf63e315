import { MESH_FORMATS, type MeshFormat } from '../../workers/core/writers';
import type { Placement } from '../../workers/core/placement';

interface Props {
  format: MeshFormat;
  onFormat: (f: MeshFormat) => void;
  placement: Placement;
  onPlacement: (p: Placement) => void;
  /** the download button's label names the format */
  formatLabel: string;
  canDownload: boolean;
  onDownload: () => void;
}

/** File format, placement, scale and the download button. */
export function ExportControls({ format, onFormat, placement, onPlacement, formatLabel, canDownload, onDownload }: Props) {
  return (
    <>
      <label className="field">
        <span>File format</span>
        <select value={format} onChange={(e) => onFormat(e.currentTarget.value as MeshFormat)}>
          {MESH_FORMATS.map((f) => (
            <option key={f.format} value={f.format}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
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
      <button type="button" className="button" disabled={!canDownload} onClick={onDownload}>
        Download {formatLabel}
      </button>
    </>
  );
}
