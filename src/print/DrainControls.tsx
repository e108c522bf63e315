import type { DrainReport } from '../../workers/core/drainFile';
import { drainNote } from './drainNote';
import { MIN_CAVITY_MM3 } from './HollowControls';
import type { useDrain } from './useDrain';
import { MmField } from './MmField';

interface Props {
  drain: ReturnType<typeof useDrain>;
  /** what the current file's drain step drilled (null while drilling) */
  report: DrainReport | null;
  /** the 3D view shows the model whole, where a click can be placed (not cut parts) */
  canPick: boolean;
}

/** "Drain holes" for a hollow model: diameter, automatic holes, holes added by clicking the model, and what was cut. */
export function DrainControls({ drain: d, report, canPick }: Props) {
  if (!d.offered) return null;
  const autos = report ? report.holes.filter((h) => h.kind === 'auto').length : 0;
  return (
    <div className="drain-controls">
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={d.on} onChange={(e) => d.setOn(e.currentTarget.checked)} />
          <span>Drain holes (at the lowest point of each cavity as placed, and where you click)</span>
        </label>
        {d.on && (
          <MmField label="Hole diameter (mm)" min={1} max={20} step={0.5} value={d.diameterMm} onChange={d.setDiameter} />
        )}
      </div>
      {d.on && (
        <>
          <button type="button" className={`chip${d.picking ? ' active' : ''}`} aria-pressed={d.picking} disabled={!canPick} onClick={() => d.setPicking(!d.picking)}>
            Add a hole by clicking the model
          </button>
          {!canPick && <span className="muted"> (on the whole model: not on cut parts)</span>}
          {d.clicks.length > 0 && (
            <ul className="drain-holes" aria-label="Clicked drain holes">
              {d.clicks.map((_, i) => {
                const h = report?.holes[autos + i];
                return (
                  <li key={i}>
                    Hole {i + 1}: {h ? (h.cut ? `cut through ${+h.wallMm.toFixed(1)} mm of wall` : `left out (${h.why})`) : '…'}{' '}
                    <button type="button" className="button secondary small" aria-label={`Remove hole ${i + 1}`} onClick={() => d.removeClick(i)}>
                      Remove
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <p className="muted" data-testid="drain-note">
            {drainNote(report, MIN_CAVITY_MM3 / 1000)}
          </p>
        </>
      )}
    </div>
  );
}
