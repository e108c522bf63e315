import type { ThresholdRange } from '../../workers/core/types';
import type { Histogram as Hist } from '../../workers/core/histogram';
import { Histogram } from './Histogram';
import type { ThresholdPreset } from './presets';

interface Props {
  range: ThresholdRange;
  hist: Hist;
  /** the tissue presets on offer (HU for CT, data-driven for MR) */
  presets: ThresholdPreset[];
  /** "HU" for CT, "signal" otherwise */
  unit: string;
  /** the preset the current range came from, if any */
  activePreset: string | null;
  min: number;
  max: number;
  keepLargest: boolean;
  fillCavities: boolean;
  /** pieces under this volume (mL) are dropped; 0 keeps everything */
  minPieceMl: number;
  disabled: boolean;
  onRange: (r: ThresholdRange) => void;
  onPreset: (p: ThresholdPreset) => void;
  /** the user let go of a slider or histogram handle: time for the full-resolution model */
  onRelease: () => void;
  onKeepLargest: (v: boolean) => void;
  onFillCavities: (v: boolean) => void;
  onMinPieceMl: (v: number) => void;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Lower/upper HU threshold (slider + number box each), tissue presets, piece and cavity choices. */
export function ThresholdControls(p: Props) {
  const { range, min, max, keepLargest, disabled, onRange, onKeepLargest } = p;
  const setLower = (v: number) => {
    if (!Number.isFinite(v)) return;
    const lower = clamp(Math.round(v), min, max);
    onRange({ lower, upper: Math.max(lower, range.upper) });
  };
  const setUpper = (v: number) => {
    if (!Number.isFinite(v)) return;
    const upper = clamp(Math.round(v), min, max);
    onRange({ lower: Math.min(upper, range.lower), upper });
  };
  const row = (label: string, value: number, set: (v: number) => void) => (
    <div className="threshold-row">
      <span className="threshold-label">{label}</span>
      <input
        type="range"
        aria-label={label}
        min={min}
        max={max}
        step={1}
        value={value}
        disabled={disabled}
        onChange={(e) => set(e.currentTarget.valueAsNumber)}
        onPointerUp={p.onRelease}
        onKeyUp={p.onRelease}
      />
      <input
        type="number"
        aria-label={label}
        min={min}
        max={max}
        step={1}
        value={value}
        disabled={disabled}
        onChange={(e) => set(e.currentTarget.valueAsNumber)}
      />
    </div>
  );
  return (
    <section className="threshold" aria-label="Threshold">
      <div className="presets" role="group" aria-label="Tissue presets">
        {p.presets.map((preset) => {
          const active = preset.id === p.activePreset;
          return (
            <button
              key={preset.id}
              type="button"
              className={`chip${active ? ' active' : ''}`}
              aria-pressed={active}
              title={preset.hint}
              disabled={disabled}
              onClick={() => p.onPreset(preset)}
            >
              {preset.label}
            </button>
          );
        })}
      </div>
      <div onPointerUp={p.onRelease} onKeyUp={p.onRelease}>
        <Histogram hist={p.hist} range={range} onRange={onRange} disabled={disabled} unit={p.unit} />
      </div>
      {row(`Lower threshold (${p.unit})`, range.lower, setLower)}
      {row(`Upper threshold (${p.unit})`, range.upper, setUpper)}
      <label className="check">
        <input type="checkbox" checked={keepLargest} disabled={disabled} onChange={(e) => onKeepLargest(e.currentTarget.checked)} />
        Keep only the largest piece <span className="muted">(drops the table and loose fragments)</span>
      </label>
      <label className="check">
        <input
          type="number"
          className="small-number"
          aria-label="Remove pieces smaller than (mL)"
          min={0}
          step={0.1}
          value={p.minPieceMl}
          disabled={disabled || keepLargest}
          onChange={(e) => Number.isFinite(e.currentTarget.valueAsNumber) && p.onMinPieceMl(Math.max(0, e.currentTarget.valueAsNumber))}
        />
        <span>
          mL: remove pieces smaller than this <span className="muted">(0 keeps all)</span>
        </span>
      </label>
      <label className="check">
        <input type="checkbox" checked={p.fillCavities} disabled={disabled} onChange={(e) => p.onFillCavities(e.currentTarget.checked)} />
        Fill enclosed cavities <span className="muted">(solid bone: marrow and sinuses filled)</span>
      </label>
    </section>
  );
}
