import type { RefObject } from 'react';
import type { LoadedVolume } from '../engine';
import { DownsampleOffer } from './DownsampleOffer';
import { IntakePanel, type IntakeOpeners } from './IntakePanel';
import { SeriesPicker } from './SeriesPicker';
import type { useScan } from './useScan';

interface Props {
  scan: ReturnType<typeof useScan>;
  onClose: () => void;
  openers: RefObject<IntakeOpeners | null>;
}

/** Step 1: open a scan (or the demo), answer the size question, pick a series, read the notes. */
export function LoadPanel({ scan, onClose, openers }: Props) {
  const loaded: LoadedVolume | null = scan.loaded;
  return (
    <section className="panel" aria-labelledby="step-load" id="load">
      <h2 id="step-load">1 · Load a scan</h2>
      <IntakePanel
        busy={scan.busy}
        hasScan={!!loaded}
        onFiles={scan.openFiles}
        onDemo={scan.openDemo}
        onCancel={scan.cancelLoad}
        onClose={onClose}
        openers={openers}
      />
      {scan.sizeOffer && <DownsampleOffer offer={scan.sizeOffer.offer} onChoose={scan.sizeOffer.answer} onCancel={() => scan.sizeOffer!.answer(null)} />}
      {scan.activity.kind === 'error' && (
        <p className="error" role="alert">
          {scan.activity.text}
        </p>
      )}
      {loaded?.series && <SeriesPicker series={loaded.series} current={scan.seriesId} busy={scan.busy} onPick={scan.pickSeries} />}
      {loaded && loaded.notes.length > 0 && (
        <ul className="notes" aria-label="Notes about this scan">
          {loaded.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
