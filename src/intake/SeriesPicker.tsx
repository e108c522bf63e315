import { useEffect, useState } from 'react';
import type { SeriesChoice } from '../../workers/intake/choices';

interface Props {
  /** every series of the opened files (LoadedVolume.series); nothing is shown for fewer than two */
  series: SeriesChoice[] | undefined;
  /** id of the series on screen; defaults to the `chosen` entry */
  current?: string;
  busy: boolean;
  onPick: (id: string) => void;
}

const mm = (v: number) => (Math.round(v * 100) / 100).toString();

/** "STD BRAIN 5MM, CT, 28 slices, 512 × 512, 0.45 × 0.45 × 5 mm" (plus why it cannot be loaded). */
export function choiceLabel(c: SeriesChoice): string {
  const [sx, sy, sz] = c.spacing;
  const count = c.volume ? `${c.slices} ${c.slices === 1 ? 'slice' : 'slices'}` : `${c.slices} ${c.slices === 1 ? 'image' : 'images'}`;
  return [
    c.description || 'Unnamed series',
    c.modality || 'NIfTI',
    count,
    `${c.columns} × ${c.rows}`,
    sz ? `${mm(sx)} × ${mm(sy)} × ${mm(sz)} mm` : `${mm(sx)} × ${mm(sy)} mm`,
    ...(c.volume ? [] : [`not a volume: ${c.why ?? 'cannot be loaded'}`]),
  ].join(', ');
}

/** Thumbnails of the listed series, made lazily (after the load) and remembered by the choices themselves. */
function useThumbnails(series: SeriesChoice[] | undefined): Record<string, string> {
  const [urls, setUrls] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!series || series.length < 2) return;
    let live = true;
    for (const c of series)
      c.thumbnail?.().then(
        (url) => live && url && setUrls((u) => (u[c.id] === url ? u : { ...u, [c.id]: url })),
        () => {},
      );
    return () => {
      live = false;
    };
  }, [series]);
  return urls;
}

/**
 * The series found in the opened files, each with modality, description, slice count, matrix,
 * spacing and a thumbnail. Volumes can be picked; localizers, screenshots and single images are
 * listed disabled with the reason. Shown only when there is more than one series.
 */
export function SeriesPicker({ series, current, busy, onPick }: Props) {
  const thumbs = useThumbnails(series);
  if (!series || series.length < 2) return null;
  const currentId = current ?? series.find((c) => c.chosen)?.id;
  return (
    <section className="series-picker" aria-label="Series">
      <h2>Series ({series.length})</h2>
      <ul aria-label="Series in this folder">
        {series.map((c) => {
          const isCurrent = c.id === currentId;
          const label = choiceLabel(c);
          return (
            <li key={c.id} className={`series-item${isCurrent ? ' current' : ''}${c.volume ? '' : ' not-volume'}`}>
              <button
                type="button"
                aria-label={label}
                aria-current={isCurrent ? 'true' : undefined}
                title={label}
                disabled={!c.volume || busy}
                onClick={() => {
                  if (!isCurrent) onPick(c.id);
                }}
              >
                <span className="series-thumb">{thumbs[c.id] ? <img src={thumbs[c.id]} alt="" /> : null}</span>
                <span className="series-text">
                  <span className="series-name">{c.description || 'Unnamed series'}</span>
                  <span className="series-meta">
                    {c.modality || 'NIfTI'} · {c.volume ? `${c.slices} slices` : `${c.slices} ${c.slices === 1 ? 'image' : 'images'}`} · {c.columns} ×{' '}
                    {c.rows}
                  </span>
                  {!c.volume && <span className="series-why">Not a volume: {c.why}</span>}
                  {c.volume && c.isDefault && !isCurrent && <span className="series-why">Largest volume (loaded first)</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
