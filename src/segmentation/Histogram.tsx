import { useId, useMemo, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { Histogram as Hist } from '../../workers/core/histogram';
import type { ThresholdRange } from '../../workers/core/types';

interface Props {
  /** display histogram (volumeHistogram / histogramOf); its min..max is the handles' range */
  hist: Hist;
  range: ThresholdRange;
  /** called continuously while a handle is dragged or moved by keyboard */
  onRange: (r: ThresholdRange) => void;
  disabled?: boolean;
  /** unit for the handles' aria-valuetext and the axis labels, e.g. "HU" */
  unit?: string;
}

type Which = 'lower' | 'upper';

/*
 * Axis: integer value v occupies [v, v+1) in value space; the drawn domain is the bins' extent,
 * [hist.min, hist.min + counts.length * binWidth). The shaded band runs from the left edge of `lower`
 * to the right edge of `upper`, and the handles sit on those edges.
 */

/** Width of the drawn domain in value units. */
const span = (h: Hist) => Math.max(1, h.counts.length * h.binWidth);

/** The value under pixel `x` of a histogram drawn `width` pixels wide, clamped to hist.min..hist.max. */
export function valueAtX(x: number, width: number, hist: Hist): number {
  if (!(width > 0)) return hist.min;
  const v = Math.floor(hist.min + (x / width) * span(hist));
  return Math.min(hist.max, Math.max(hist.min, v));
}

/** Where a handle sits, as a fraction 0…1 of the width: lower on its value's left edge, upper on its right edge. */
export function handleFraction(value: number, which: Which, hist: Hist): number {
  const f = (value - hist.min + (which === 'upper' ? 1 : 0)) / span(hist);
  return Math.min(1, Math.max(0, f));
}

/** Apply a new value to one end of the range, without letting the ends cross; clamped to the histogram. */
export function moveHandle(range: ThresholdRange, which: Which, value: number, hist: Hist): ThresholdRange {
  const v = Math.min(hist.max, Math.max(hist.min, Math.round(value)));
  return which === 'lower' ? { lower: Math.min(v, range.upper), upper: range.upper } : { lower: range.lower, upper: Math.max(v, range.lower) };
}

/** Keyboard step for a key (±1, Shift ±10, PageUp/Down ±100), or 'min'/'max' for Home/End; null = not ours. */
export function keyStep(key: string, shift: boolean): number | 'min' | 'max' | null {
  const s = shift ? 10 : 1;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return s;
    case 'ArrowLeft':
    case 'ArrowDown':
      return -s;
    case 'PageUp':
      return 100;
    case 'PageDown':
      return -100;
    case 'Home':
      return 'min';
    case 'End':
      return 'max';
    default:
      return null;
  }
}

/** SVG path (in viewBox units: x = value − hist.min, y down from `height`) of log(1 + count) bars. */
export function barsPath(hist: Hist, height: number): string {
  const c = hist.counts;
  let top = 0;
  for (let i = 0; i < c.length; i++) if (c[i] > top) top = c[i];
  if (top === 0) return '';
  const scale = height / Math.log1p(top);
  const parts: string[] = [];
  for (let i = 0; i < c.length; i++) {
    if (c[i] === 0) continue;
    const h = Math.round(Math.log1p(c[i]) * scale * 100) / 100;
    parts.push(`M${i * hist.binWidth} ${height}v${-h}h${hist.binWidth}v${h}z`);
  }
  return parts.join('');
}

const H = 100; // viewBox height; the element's CSS height sets the pixels

/**
 * The volume's value histogram (log counts) with the selected band shaded and two draggable handles
 * (role="slider") for the lower and upper threshold. Purely presentational: the parent owns `range`.
 */
export function Histogram({ hist, range, onRange, disabled = false, unit = '' }: Props) {
  // an id safe inside url(#…) whatever characters useId() uses
  const clipId = `histogram-clip-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const box = useRef<HTMLDivElement>(null);
  const handles = useRef<Record<Which, HTMLDivElement | null>>({ lower: null, upper: null });
  // which handle a pointer is dragging; 'either' = both handles under the pointer, decided by the first move
  const drag = useRef<{ which: Which | 'either'; x0: number } | null>(null);
  const path = useMemo(() => barsPath(hist, H), [hist]);
  const w = span(hist);
  const lowerF = handleFraction(range.lower, 'lower', hist);
  const upperF = handleFraction(range.upper, 'upper', hist);
  const suffix = unit ? ` ${unit}` : '';

  const pointerValue = (e: PointerEvent) => {
    const r = box.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, value: valueAtX(e.clientX - r.left, r.width, hist), width: r.width };
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (disabled || e.button !== 0) return;
    const { x, value, width } = pointerValue(e);
    const dl = Math.abs(x - lowerF * width);
    const du = Math.abs(x - upperF * width);
    let which: Which | 'either';
    if (Math.abs(dl - du) < 3 && dl < 8) which = 'either'; // handles on top of each other
    else which = dl <= du ? 'lower' : 'upper';
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
    drag.current = { which, x0: x };
    if (which !== 'either') {
      handles.current[which]?.focus();
      // a press on the track (not on a handle) moves the nearer handle there
      if (Math.min(dl, du) > 6) onRange(moveHandle(range, which, value, hist));
    }
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    const { x, value } = pointerValue(e);
    if (d.which === 'either') {
      if (Math.abs(x - d.x0) < 2) return;
      d.which = x < d.x0 ? 'lower' : 'upper';
      handles.current[d.which]?.focus();
    }
    onRange(moveHandle(range, d.which, value, hist));
  };

  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };

  const onKeyDown = (which: Which) => (e: KeyboardEvent<HTMLDivElement>) => {
    if (disabled) return;
    const step = keyStep(e.key, e.shiftKey);
    if (step === null) return;
    e.preventDefault();
    const now = range[which];
    const v = step === 'min' ? hist.min : step === 'max' ? hist.max : now + step;
    onRange(moveHandle(range, which, v, hist));
  };

  const handle = (which: Which, f: number, label: string) => {
    const now = range[which];
    return (
      <div
        ref={(el) => {
          handles.current[which] = el;
        }}
        className={`histogram-handle ${which}`}
        style={{ left: `${f * 100}%` }}
        role="slider"
        tabIndex={disabled ? -1 : 0}
        aria-label={label}
        aria-orientation="horizontal"
        aria-valuemin={which === 'lower' ? hist.min : range.lower}
        aria-valuemax={which === 'lower' ? range.upper : hist.max}
        aria-valuenow={now}
        aria-valuetext={`${now}${suffix}`}
        aria-disabled={disabled || undefined}
        onKeyDown={onKeyDown(which)}
      />
    );
  };

  const x0 = lowerF * w;
  const x1 = upperF * w;
  return (
    <div className={`histogram${disabled ? ' disabled' : ''}`}>
      <div
        ref={box}
        className="histogram-plot"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onLostPointerCapture={() => (drag.current = null)}
      >
        <svg viewBox={`0 0 ${w} ${H}`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
          <defs>
            <clipPath id={clipId}>
              <rect x={x0} y={0} width={Math.max(0, x1 - x0)} height={H} />
            </clipPath>
          </defs>
          <rect className="histogram-band" x={x0} y={0} width={Math.max(0, x1 - x0)} height={H} />
          <path className="histogram-bars" d={path} />
          <path className="histogram-bars selected" d={path} clipPath={`url(#${clipId})`} />
        </svg>
        {handle('lower', lowerF, 'Lower threshold handle')}
        {handle('upper', upperF, 'Upper threshold handle')}
      </div>
      <div className="histogram-axis" aria-hidden="true">
        <span>
          {hist.min}
          {suffix}
        </span>
        <span className="muted">log count</span>
        <span>
          {hist.max}
          {suffix}
        </span>
      </div>
    </div>
  );
}
