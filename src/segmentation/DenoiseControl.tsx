import type { DenoiseKind } from '../engine';
import type { DenoiseState } from './useDenoise';

/** What each choice does, in one line. */
export const DENOISE_HINTS: Record<DenoiseKind, string> = {
  none: 'The masks read the scan as it is.',
  median: 'Median (3 × 3 in each slice): removes speckle; dicom2stl’s default for soft tissue and fat.',
  anisotropic: 'Anisotropic diffusion: smooths noise and keeps edges where they are; takes a few seconds.',
};

const LABELS: Record<DenoiseKind, string> = { none: 'None', median: 'Median', anisotropic: 'Anisotropic' };

/** The "Denoise" choice: which copy of the scan the threshold, segments and model read (the slices show the scan). */
export function DenoiseControl({ denoise, disabled }: { denoise: DenoiseState; disabled: boolean }) {
  const { choice, progress, error } = denoise;
  const applied = denoise.source?.denoised;
  return (
    <div className="denoise">
      <label className="field">
        Denoise
        <select aria-label="Denoise" value={choice} disabled={disabled} onChange={(e) => denoise.choose(e.currentTarget.value as DenoiseKind)}>
          {(Object.keys(LABELS) as DenoiseKind[]).map((k) => (
            <option key={k} value={k}>
              {LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">{DENOISE_HINTS[choice]}</p>
      {progress !== null && (
        <p className="muted" aria-live="polite">
          <progress aria-label="Denoising" value={progress} max={1} /> Denoising ({LABELS[choice].toLowerCase()}): {Math.round(progress * 100)}&nbsp;%; the
          masks read the scan until it is done.
        </p>
      )}
      {applied && (
        <p className="muted" aria-live="polite">
          The threshold, segments and model read the {LABELS[applied].toLowerCase()} copy; the slices show the scan.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
