import type { ThresholdRange } from '../../workers/core/types';
import { THRESHOLD_PRESETS, presetRange } from './presets';

interface Props {
  range: ThresholdRange;
  min: number;
  max: number;
  keepLargest: boolean;
  fillCavities: boolean;
  /** pieces under this volume (mL) are dropped; 0 keeps everything */
  minPieceMl: number;
  disabled: boolean;
  onRange: (r: ThresholdRange) => void;
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
      <h2>What to print</h2>
      <div className="presets" role="group" aria-label="Tissue presets">
        {THRESHOLD_PRESETS.map((p) => {
          const r = presetRange(p, max);
          const active = r.lower === range.lower && r.upper === range.upper;
          return (
            <button
              key={p.id}
              type="button"
              className={`chip${active ? ' active' : ''}`}
              aria-pressed={active}
              title={p.hint}
              disabled={disabled}
              onClick={() => onRange({ lower: clamp(r.lower, min, max), upper: clamp(r.upper, min, max) })}
            >
              {p.label}
            </button>
          );
        })}
      </div>
      {row('Lower threshold (HU)', range.lower, setLower)}
      {row('Upper threshold (HU)', range.upper, setUpper)}
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
