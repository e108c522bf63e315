import { listMl, type LargePiecesLeftOut } from './largePieces';

interface Props {
  leftOut: LargePiecesLeftOut;
  disabled: boolean;
  /** keeps the pieces through these picks (the kept piece and the large ones left out; one undo step) */
  onKeep: (seeds: number[]) => void;
}

/** Next to "Make 3D model": "keep only the largest piece" leaves out other large pieces, and the one-click way to keep them. */
export function LargePiecesNote({ leftOut, disabled, onKeep }: Props) {
  const n = leftOut.piecesMl.length;
  return (
    <p className="hint" role="note">
      Only the largest piece will print: {n === 1 ? 'another large piece' : `${n} other large pieces`} ({listMl(leftOut.piecesMl)}) {n === 1 ? 'is' : 'are'}{' '}
      left out, because the structure breaks into pieces at this threshold.{' '}
      <button type="button" className="link" disabled={disabled} onClick={() => onKeep(leftOut.seeds)}>
        Keep {n === 1 ? 'it' : 'them'} too
      </button>
    </p>
  );
}
