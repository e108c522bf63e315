import type { ReactNode } from 'react';
import type { BuildProgress } from '../../workers/core/refine';
import type { Volume } from '../../workers/core/types';
import { ModelOptions, type ModelSettings } from './ModelOptions';
import { steppingHint } from './steppingHint';
import type { TooLarge } from './useModel';

interface Props {
  volume: Volume | null;
  settings: ModelSettings;
  onSettings: (s: ModelSettings) => void;
  /** a load is running: nothing can be built */
  locked: boolean;
  onMake: () => void;
  /** given while a build runs */
  onCancel?: () => void;
  /** what went wrong with the last build or file, if anything */
  error: string | null;
  /** segments: the model is the shown ones (null: the threshold) */
  segments?: { shown: number; total: number } | null;
  /** the running build's stage and how far it is */
  progress?: BuildProgress | null;
  /** the last build was refused as too large for this tab: the offer (half resolution, or build anyway) */
  tooLarge?: TooLarge | null;
  onHalf?: () => void;
  onAnyway?: () => void;
  /** notes about what will print, under the button (e.g. large pieces left out) */
  notes?: ReactNode;
}

/** Step 3: build the model, with its options; Cancel while it builds. */
export function BuildPanel({ volume, settings, onSettings, locked, onMake, onCancel, error, segments, progress, tooLarge, onHalf, onAnyway, notes }: Props) {
  const hint = volume && steppingHint(volume, settings.smoothing);
  return (
    <section className="panel" aria-labelledby="step-build" id="build">
      <h2 id="step-build">3 · Build the model</h2>
      <div className="row">
        <button type="button" className="button primary" disabled={locked || !volume} onClick={onMake} aria-keyshortcuts="M">
          Make 3D model
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel} aria-keyshortcuts="Escape">
            Cancel build
          </button>
        )}
      </div>
      {segments && (
        <p className="muted" role="note">
          The model is the {segments.shown} shown segment{segments.shown === 1 ? '' : 's'} (of {segments.total}), one object each
          {settings.resolution === 'half' ? ', meshed at full resolution' : ''}.
        </p>
      )}
      {notes}
      {progress && (
        <p className="build-progress">
          <progress aria-label={`Build progress: ${progress.stage}`} max={1} value={progress.fraction} />{' '}
          {progress.stage}
          {progress.fraction !== undefined && ` ${Math.floor(100 * progress.fraction)} %`}
        </p>
      )}
      <ModelOptions value={settings} disabled={locked} onChange={onSettings} />
      {hint && (
        <p className="hint" role="note">
          {hint.text}{' '}
          {hint.smoothing !== undefined && (
            <button type="button" className="link" disabled={locked} onClick={() => onSettings({ ...settings, smoothing: hint.smoothing! })}>
              Use strong smoothing
            </button>
          )}
        </p>
      )}
      {tooLarge && (
        <section className="downsample-offer" role="dialog" aria-labelledby="too-large-title" aria-describedby="too-large-text">
          <h3 id="too-large-title">This model is too large for this tab</h3>
          <p id="too-large-text">
            {tooLarge.text} {tooLarge.canHalve ? 'At half resolution (2 × 2 × 2 voxels averaged) it has about a quarter of the triangles.' : ''}
          </p>
          <div className="downsample-choices">
            {tooLarge.canHalve && (
              <button type="button" className="button primary" disabled={locked} onClick={onHalf}>
                Build at half resolution
              </button>
            )}
            <button type="button" className="button secondary" disabled={locked} onClick={onAnyway}>
              Build anyway
            </button>
          </div>
        </section>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
