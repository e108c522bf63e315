import { useEffect, useRef, useState } from 'react';
import type { ThresholdRange } from '../../workers/core/types';
import type { SliceTool } from '../segmentation/EditTools';
import { SegmentList } from './SegmentList';
import { SegmentTools } from './SegmentTools';
import type { Segments, ThresholdSource } from './useSegments';

interface Props {
  segments: Segments;
  /** what "Add segment" adds: the threshold and piece edits now */
  source: ThresholdSource;
  tool: SliceTool;
  onTool: (t: SliceTool) => void;
  /** a load is running */
  locked: boolean;
  range: ThresholdRange;
  unit: string;
}

/**
 * Segments, an optional part of step 2: several structures, each in its own colour, built together.
 * Without segments the app prints the threshold as it always did.
 */
export function SegmentPanel({ segments, source, tool, onTool, locked, range, unit }: Props) {
  const [format, setFormat] = useState<'seg.nrrd' | 'nii.gz'>('seg.nrrd');
  const { records, selected } = segments;
  const g = records.find((x) => x.id === selected) ?? null;
  const busy = !!segments.busy;
  // the first segments (an import, "Add segment") bring the list into view
  const box = useRef<HTMLElement>(null);
  const any = records.length > 0;
  useEffect(() => {
    if (any) box.current?.scrollIntoView({ block: 'nearest' });
  }, [any]);
  return (
    <section className={`panel segments${any ? ' first' : ''}`} aria-labelledby="segments-title" id="segments" ref={box}>
      <h2 id="segments-title">
        Segments <span className="optional">optional</span>
      </h2>
      {!records.length && (
        <p className="muted">
          To print several structures, each in its colour: add the orange as a segment, or import a segmentation (NIfTI label map, DICOM SEG, NRRD).
        </p>
      )}
      <div className="row">
        <button type="button" className="button" disabled={locked} onClick={() => void segments.addFromThreshold(source)} title="Adds what the threshold shows now (orange) as a new segment">
          Add segment
        </button>
        <label className={`button${locked ? ' disabled' : ''}`}>
          Import segmentation
          <input
            type="file"
            className="file-input"
            aria-label="Import segmentation"
            multiple
            disabled={locked}
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = '';
              if (files.length) segments.importFiles(files);
            }}
          />
        </label>
        <button type="button" className="link" disabled={locked} onClick={() => void segments.addEmpty()} title="A new segment with nothing in it, to paint">
          Add empty
        </button>
      </div>
      <p className="muted" aria-live="polite">
        {segments.busy ? `${segments.busy}…` : ''}
      </p>
      {segments.messages.length > 0 && (
        <ul className="notes segment-notes" aria-label="Import and edit notes">
          {segments.messages.map((m, i) =>
            m.error ? (
              <li key={i} className="error" role="alert">
                {m.text}
              </li>
            ) : (
              <li key={i}>{m.text}</li>
            ),
          )}
        </ul>
      )}
      {records.length > 0 && <SegmentList segments={segments} />}
      {g && <SegmentTools segments={segments} g={g} tool={tool} onTool={onTool} range={range} unit={unit} />}
      {records.length > 0 && (
        <div className="row">
          <select aria-label="Segmentation format" className="grow" value={format} onChange={(e) => setFormat(e.currentTarget.value as typeof format)}>
            <option value="seg.nrrd">.seg.nrrd (3D Slicer)</option>
            <option value="nii.gz">NIfTI label map (.nii.gz)</option>
          </select>
          <button type="button" className="button secondary small" disabled={busy} onClick={() => void segments.saveSegmentation(format)}>
            Export segmentation
          </button>
        </div>
      )}
    </section>
  );
}
