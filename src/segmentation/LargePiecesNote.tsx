import { listMl, type LargePiecesLeftOut } from './largePieces';

interface Props {
  leftOut: LargePiecesLeftOut;
  disabled: boolean;
  /** keeps every piece of at least this volume instead of only the largest (one undo step) */
  onKeepPiecesOver: (minPieceMl: number) => void;
}

/** Next to "Make 3D model": "keep only the largest piece" leaves out other large pieces, and the one-click way to keep them. */
export function LargePiecesNote({ leftOut, disabled, onKeepPiecesOver }: Props) {
  const n = leftOut.piecesMl.length;
  return (
    <p className="hint" role="note">
      Only the largest piece will print: {n === 1 ? 'another large piece' : `${n} other large pieces`} ({listMl(leftOut.piecesMl)}) are
      left out, because the structure breaks into pieces at this threshold.{' '}
      <button type="button" className="link" disabled={disabled} onClick={() => onKeepPiecesOver(leftOut.minPieceMl)}>
        Keep every piece over {leftOut.minPieceMl} mL
      </button>
    </p>
  );
}
