import { useEffect, useRef } from 'react';
import { formatBytes } from '../../workers/intake/limits';
import { FULL_SIZE, sizeText, type Downsample, type SizeChoice, type SizeOffer } from '../../workers/intake/downsample';

interface Props {
  offer: SizeOffer;
  /** the size to load: a downsample, or full size ("load anyway") */
  onChoose: (d: Downsample) => void;
  onCancel: () => void;
}

const LABELS: Record<string, string> = {
  'true,false': 'Half resolution in-plane',
  'false,true': 'Every other slice',
  'true,true': 'Both',
};

const choiceLabel = (c: SizeChoice) =>
  `${LABELS[`${c.downsample.inPlane},${c.downsample.slices}`]} (${sizeText(c.dims, c.bytes)}${c.fits ? '' : ', still over the budget'})`;

/** The sentence before the buttons: what the user can do with this offer. */
function advice(o: SizeOffer): string {
  if (!o.canLoadFull)
    return o.choices.length
      ? 'That is more than any browser tab can hold (2^31 voxels): load it smaller (the 3D model gets coarser):'
      : 'That is more than any browser tab can hold (2^31 voxels), and this file cannot be read smaller.';
  return o.choices.length ? 'Load it smaller (the 3D model gets coarser), or in full at the risk of the tab crashing:' : 'Loading it in full may crash the tab:';
}

/**
 * Asked before decoding a volume over the tab's memory budget: its size, the budget and why, and one
 * button per way to load it (each naming the size it gives), "Load anyway" and "Cancel".
 */
export function DownsampleOffer({ offer, onChoose, onCancel }: Props) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), [offer]);
  return (
    <section className="downsample-offer" role="dialog" aria-labelledby="downsample-offer-title" aria-describedby="downsample-offer-text">
      <h2 id="downsample-offer-title">This scan is large for this tab</h2>
      <p id="downsample-offer-text">
        {offer.description}: {sizeText(offer.dims, offer.bytes)}. This tab's memory budget for a scan is {formatBytes(offer.budget.bytes)}, because{' '}
        {offer.budget.why}. {advice(offer)}
      </p>
      <div className="downsample-choices">
        {offer.choices.map((c, i) => (
          <button key={i} ref={i === 0 ? first : undefined} type="button" className={`button${c.fits ? ' primary' : ''}`} onClick={() => onChoose(c.downsample)}>
            {choiceLabel(c)}
          </button>
        ))}
        {offer.canLoadFull && (
          <button type="button" ref={offer.choices.length ? undefined : first} className="button secondary" onClick={() => onChoose(FULL_SIZE)}>
            Load anyway ({sizeText(offer.dims, offer.bytes)})
          </button>
        )}
        <button type="button" ref={!offer.canLoadFull && !offer.choices.length ? first : undefined} className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
