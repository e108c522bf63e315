import { useState, type DragEvent, type RefObject } from 'react';
import { collectDroppedFiles } from './dropWalk';

/** Opens the folder or file picker (for keyboard shortcuts). */
export interface IntakeOpeners {
  folder(): void;
  files(): void;
}

interface Props {
  busy: boolean;
  /** a scan is open: the panel is a compact bar with Close scan */
  hasScan: boolean;
  onFiles: (files: File[]) => void;
  onDemo: () => void;
  /** given while a file load runs: shows a "Cancel loading" button that calls it */
  onCancel?: () => void;
  onClose: () => void;
  openers?: RefObject<IntakeOpeners | null>;
}

/** Where a scan comes in: drop a folder, pick a folder or files (DICOM, zip, NIfTI), or try the demo scan. */
export function IntakePanel({ busy, hasScan, onFiles, onDemo, onCancel, onClose, openers }: Props) {
  const [over, setOver] = useState(false);
  const inputs: { folder: HTMLInputElement | null; files: HTMLInputElement | null } = { folder: null, files: null };
  if (openers) openers.current = { folder: () => inputs.folder?.click(), files: () => inputs.files?.click() };

  const take = (list: FileList | null) => {
    if (list && list.length) onFiles(Array.from(list));
  };
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (busy) return;
    const files = await collectDroppedFiles(e.dataTransfer);
    if (files.length) onFiles(files);
  };

  return (
    <section
      className={`intake${over ? ' drag-over' : ''}${hasScan ? ' compact' : ''}`}
      aria-label="Drop a scan here"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="drop-hint">
        {hasScan ? 'Drop another scan here, or a segmentation of this one' : 'Drop a DICOM folder here'}
        {!hasScan && <span>CT or MRI · also a .zip or a NIfTI file (.nii, .nii.gz), with its segmentation if you have one · files never leave this computer</span>}
      </p>
      <div className="intake-buttons">
        <label className={`button${busy ? ' disabled' : ''}`}>
          Open folder
          <input
            ref={(el) => void (inputs.folder = el)}
            type="file"
            aria-label="Open folder"
            aria-keyshortcuts="F"
            // @ts-expect-error webkitdirectory is not in React's types but every current browser supports it
            webkitdirectory=""
            multiple
            disabled={busy}
            onChange={(e) => {
              take(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </label>
        <label className={`button${busy ? ' disabled' : ''}`}>
          Open files
          <input
            ref={(el) => void (inputs.files = el)}
            type="file"
            aria-label="Open files"
            aria-keyshortcuts="O"
            multiple
            disabled={busy}
            onChange={(e) => {
              take(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </label>
        <button type="button" className="button secondary" disabled={busy} onClick={onDemo}>
          Try a demo scan
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel} aria-keyshortcuts="Escape">
            Cancel loading
          </button>
        )}
        {hasScan && !busy && (
          <button type="button" className="button secondary" onClick={onClose}>
            Close scan
          </button>
        )}
      </div>
    </section>
  );
}
