import { useState, type DragEvent } from 'react';
import { collectDroppedFiles } from './dropWalk';

interface Props {
  busy: boolean;
  onFiles: (files: File[]) => void;
  onDemo: () => void;
  /** given while a file load runs: shows a "Cancel loading" button that calls it */
  onCancel?: () => void;
}

/** Where a scan comes in: drop a folder, pick a folder or files (DICOM, zip, NIfTI), or try the demo phantom. */
export function IntakePanel({ busy, onFiles, onDemo, onCancel }: Props) {
  const [over, setOver] = useState(false);

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
      className={`intake${over ? ' drag-over' : ''}`}
      aria-label="Load a scan"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="drop-hint">
        Drop a DICOM folder here
        <span>CT or MRI · also a .zip or a NIfTI file (.nii, .nii.gz) · files never leave this computer</span>
      </p>
      <div className="intake-buttons">
        <label className={`button${busy ? ' disabled' : ''}`}>
          Open folder
          <input
            type="file"
            aria-label="Open folder"
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
            type="file"
            aria-label="Open files"
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
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel loading
          </button>
        )}
      </div>
    </section>
  );
}
