import type { HollowStage } from '../../workers/core/pipeline';
import { MmField } from './MmField';

/** Cavities under this stay solid: a few millilitres of pocket are not worth a void. */
export const MIN_CAVITY_MM3 = 1000;
const DEFAULT_WALL_MM = 2;

interface Props {
  value: HollowStage | undefined;
  disabled: boolean;
  onChange: (v: HollowStage | undefined) => void;
}

/** "Hollow" and its wall thickness: the inside farther than the wall from the surface is left out of the model. */
export function HollowControls({ value, disabled, onChange }: Props) {
  return (
    <div className="row">
      <label className="check">
        <input
          type="checkbox"
          checked={!!value}
          disabled={disabled}
          onChange={(e) => onChange(e.currentTarget.checked ? { wallMm: DEFAULT_WALL_MM, minCavityMm3: MIN_CAVITY_MM3 } : undefined)}
        />
        Hollow
      </label>
      {value && (
        <MmField label="Wall thickness (mm)" min={0.5} max={20} step={0.5} value={value.wallMm} uncontrolled disabled={disabled} onChange={(v) => onChange({ ...value, wallMm: v })} />
      )}
    </div>
  );
}
