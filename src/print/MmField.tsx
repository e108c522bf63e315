interface Props {
  /** the visible label, also the input's accessible name, e.g. "Wall thickness (mm)" */
  label: string;
  /** the value shown; with `uncontrolled`, only the first value (typing is never overwritten) */
  value: number;
  min: number;
  max: number;
  step: number;
  disabled?: boolean;
  uncontrolled?: boolean;
  /** which typed values count (default: above 0); others leave the setting as it was */
  accept?: (v: number) => boolean;
  onChange: (v: number) => void;
}

/** A labelled number field in mm for a print setting (wall, base, hole, pin). */
export function MmField({ label, value, min, max, step, disabled, uncontrolled, accept = (v) => v > 0, onChange }: Props) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        className="small-number"
        min={min}
        max={max}
        step={step}
        {...(uncontrolled ? { defaultValue: value } : { value })}
        disabled={disabled}
        onChange={(e) => {
          const v = e.currentTarget.valueAsNumber;
          if (Number.isFinite(v) && accept(v)) onChange(v);
        }}
      />
    </label>
  );
}
