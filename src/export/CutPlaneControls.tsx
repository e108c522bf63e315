// Controls for the cut plane the user places (axis, position in mm by slider or number, tilt) and the
// alignment pins (for either cut). The 3D view draws the same plane and can drag it (MeshPreview).
import { fractionAt, positionMm, type Bounds } from '../../workers/core/userPlane';
import { DEFAULT_PINS, type CutPlane } from './useCutPlane';
import { MmField } from '../print/MmField';

/** The axes as placed (the 3D view's): x, y, z. */
export const PLANE_AXES = ['Left–right (x)', 'Front–back (y)', 'Up–down (z)'] as const;
const AXIS_LETTERS = ['x', 'y', 'z'];
const TILT_MAX = 60;

interface Props {
  plane: CutPlane;
  /** the model as placed: the position's range (null until placed) */
  bounds: Bounds | null;
}

/** "Cut at a plane you place": where it goes. */
export function CutPlaneControls({ plane: c, bounds }: Props) {
  const { plane } = c;
  const a = plane.axis;
  const mm = bounds ? positionMm(bounds, plane) : null;
  const setMm = (v: number) => {
    if (!bounds || !Number.isFinite(v)) return;
    c.setPlane({ ...plane, at: Math.min(1, Math.max(0, fractionAt(bounds, a, v))) });
  };
  const [b, d] = [AXIS_LETTERS[(a + 1) % 3], AXIS_LETTERS[(a + 2) % 3]];
  const setTilt = (i: 0 | 1, v: number) => {
    if (!Number.isFinite(v)) return;
    const tilt: [number, number] = [...plane.tiltDeg];
    tilt[i] = Math.min(TILT_MAX, Math.max(-TILT_MAX, v));
    c.setPlane({ ...plane, tiltDeg: tilt });
  };
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={c.on} onChange={(e) => c.setOn(e.currentTarget.checked)} />
        <span>Cut at a plane you place (one part per side; drag the plane in the 3D view or set it here)</span>
      </label>
      {c.on && (
        <div className="row cut-plane">
          <label className="field">
            <span>Cut across</span>
            <select value={a} onChange={(e) => c.setPlane({ ...plane, axis: Number(e.currentTarget.value) as 0 | 1 | 2, at: 0.5 })}>
              {PLANE_AXES.map((label, i) => (
                <option key={label} value={i}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          {bounds && mm !== null && (
            <>
              <input
                type="range"
                aria-label="Cut plane position"
                min={bounds.min[a]}
                max={bounds.max[a]}
                step={0.5}
                value={mm}
                aria-valuetext={`${mm.toFixed(1)} mm`}
                onChange={(e) => setMm(e.currentTarget.valueAsNumber)}
              />
              <label className="field">
                <span>Position (mm)</span>
                <input
                  type="number"
                  className="small-number"
                  min={+bounds.min[a].toFixed(1)}
                  max={+bounds.max[a].toFixed(1)}
                  step={0.5}
                  value={+mm.toFixed(1)}
                  onChange={(e) => setMm(e.currentTarget.valueAsNumber)}
                />
              </label>
            </>
          )}
          <label className="field">
            <span>Tilt about {b} (°)</span>
            <input type="number" className="small-number" min={-TILT_MAX} max={TILT_MAX} step={5} value={plane.tiltDeg[0]} onChange={(e) => setTilt(0, e.currentTarget.valueAsNumber)} />
          </label>
          <label className="field">
            <span>Tilt about {d} (°)</span>
            <input type="number" className="small-number" min={-TILT_MAX} max={TILT_MAX} step={5} value={plane.tiltDeg[1]} onChange={(e) => setTilt(1, e.currentTarget.valueAsNumber)} />
          </label>
        </div>
      )}
    </>
  );
}

/** Alignment pins on every cut face (either cut): diameter and clearance in mm; the pin is twice as long as thick. */
export function PinControls({ plane: c }: { plane: CutPlane }) {
  const pins = c.pins;
  const set = (k: 'diameterMm' | 'clearanceMm') => (v: number) => pins && c.setPins({ ...pins, [k]: v });
  return (
    <div className="row">
      <label className="check">
        <input type="checkbox" checked={!!pins} onChange={(e) => c.setPins(e.currentTarget.checked ? DEFAULT_PINS : null)} />
        <span>Alignment pins (pins on one side of each cut, matching holes on the other)</span>
      </label>
      {pins && (
        <>
          <MmField label="Pin diameter (mm)" min={1} max={20} step={0.5} value={pins.diameterMm} accept={(v) => v >= 1} onChange={set('diameterMm')} />
          <MmField label="Clearance (mm)" min={0} max={1} step={0.05} value={pins.clearanceMm} accept={(v) => v >= 0} onChange={set('clearanceMm')} />
        </>
      )}
    </div>
  );
}
