import type { Volume } from '../../workers/core/types';
import { ModelOptions, type ModelSettings } from './ModelOptions';
import { steppingHint } from './steppingHint';

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
}

/** Step 3: build the model, with its options; Cancel while it builds. */
export function BuildPanel({ volume, settings, onSettings, locked, onMake, onCancel, error, segments }: Props) {
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
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
