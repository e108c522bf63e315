/** What a click or drag in the slice views does (besides scrolling and zooming). */
export type SliceTool = 'none' | 'pick' | 'crop' | 'paint' | 'erase' | 'scissors' | 'island' | 'probe' | 'ruler';

interface Props {
  tool: SliceTool;
  onTool: (t: SliceTool) => void;
  hasCrop: boolean;
  onRemoveCrop: () => void;
  picks: number;
  onClearPicks: () => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  /** said when the last pick missed every piece */
  pickMiss?: string | null;
}

/** The slice tools (pick pieces, crop box) and undo/redo. */
export function EditTools({ tool, onTool, hasCrop, onRemoveCrop, picks, onClearPicks, canUndo, canRedo, onUndo, onRedo, pickMiss }: Props) {
  const toggle = (t: SliceTool) => onTool(tool === t ? 'none' : t);
  return (
    <section className="edit-tools" aria-label="Edit">
      <button type="button" className="button" aria-pressed={tool === 'pick'} onClick={() => toggle('pick')}>
        {tool === 'pick' ? 'Picking pieces: click the slices' : 'Pick pieces in the slices'}
      </button>
      <button type="button" className="button" aria-pressed={tool === 'crop'} onClick={() => toggle('crop')}>
        {tool === 'crop' ? 'Cropping: drag a box on a slice' : 'Crop box'}
      </button>
      {hasCrop && (
        <button type="button" className="button secondary" onClick={onRemoveCrop}>
          Remove crop box
        </button>
      )}
      {picks > 0 && (
        <button type="button" className="button secondary" onClick={onClearPicks}>
          Clear {picks} {picks === 1 ? 'pick' : 'picks'}
        </button>
      )}
      <button type="button" className="button secondary" disabled={!canUndo} onClick={onUndo}>
        Undo
      </button>
      <button type="button" className="button secondary" disabled={!canRedo} onClick={onRedo}>
        Redo
      </button>
      {picks > 0 && <p className="muted">Only the pieces through your {picks === 1 ? 'pick' : 'picks'} are kept.</p>}
      {pickMiss && (
        <p className="hint" role="note">
          {pickMiss}
        </p>
      )}
    </section>
  );
}
