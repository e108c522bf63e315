import type { HollowStage } from '../../workers/core/pipeline';
import type { Detail, RefineOptions } from '../../workers/core/refine';
import { HollowControls } from '../print/HollowControls';

/** What the model options decide: post-processing, and the voxel grid the surface is made from. */
export interface ModelSettings extends RefineOptions {
  resolution: 'full' | 'half';
  /** hollow the model (print preparation, see src/print) */
  hollow?: HollowStage;
}

// Smoothing and detail, with dicom2stl's defaults (25 Taubin iterations, keep 10 % of the triangles).

const SMOOTHING = [
  { label: 'Off', iterations: 0 },
  { label: 'Light', iterations: 10 },
  { label: 'Standard', iterations: 25 },
  { label: 'Strong', iterations: 60 },
];

const DETAILS: { id: string; label: string; detail: Detail }[] = [
  { id: 'full', label: 'Full (every triangle)', detail: { kind: 'full' } },
  { id: 'f50', label: 'Keep 50 % of the triangles', detail: { kind: 'fraction', keep: 0.5 } },
  { id: 'f25', label: 'Keep 25 % of the triangles', detail: { kind: 'fraction', keep: 0.25 } },
  { id: 'f10', label: 'Keep 10 % of the triangles', detail: { kind: 'fraction', keep: 0.1 } },
  { id: 'f05', label: 'Keep 5 % of the triangles', detail: { kind: 'fraction', keep: 0.05 } },
  { id: 't01', label: 'Within 0.1 mm of full detail', detail: { kind: 'tolerance', mm: 0.1 } },
  { id: 't03', label: 'Within 0.3 mm of full detail', detail: { kind: 'tolerance', mm: 0.3 } },
  { id: 't10', label: 'Within 1 mm of full detail', detail: { kind: 'tolerance', mm: 1 } },
];

const detailId = (d: Detail) => DETAILS.find((x) => JSON.stringify(x.detail) === JSON.stringify(d))?.id ?? 'f10';

interface Props {
  value: ModelSettings;
  disabled: boolean;
  onChange: (v: ModelSettings) => void;
}

export function ModelOptions({ value, disabled, onChange }: Props) {
  return (
    <section className="model-options" aria-label="Model options">
      <label className="field">
        <span>Smoothing</span>
        <select
          value={value.smoothing}
          disabled={disabled}
          onChange={(e) => onChange({ ...value, smoothing: Number(e.currentTarget.value) })}
        >
          {SMOOTHING.map((s) => (
            <option key={s.label} value={s.iterations}>
              {s.label}
              {s.iterations ? ` (${s.iterations} passes)` : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Resolution</span>
        <select
          value={value.resolution}
          disabled={disabled}
          onChange={(e) => onChange({ ...value, resolution: e.currentTarget.value as ModelSettings['resolution'] })}
        >
          <option value="full">Full (every voxel)</option>
          <option value="half">Half (2 × 2 × 2 voxels averaged)</option>
        </select>
      </label>
      <label className="field">
        <span>Detail</span>
        <select
          value={detailId(value.detail)}
          disabled={disabled}
          onChange={(e) => onChange({ ...value, detail: DETAILS.find((d) => d.id === e.currentTarget.value)!.detail })}
        >
          {DETAILS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <HollowControls value={value.hollow} disabled={disabled} onChange={(hollow) => onChange({ ...value, hollow })} />
    </section>
  );
}
