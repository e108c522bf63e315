import { useState } from 'react';
import type { Segment } from '../../workers/core/segments';
import { fromHex, toHex } from './segmentColors';
import type { Segments } from './useSegments';

const fmtMl = (ml: number) => (ml >= 100 ? ml.toFixed(0) : ml >= 10 ? ml.toFixed(1) : ml.toFixed(2));

/**
 * The segments: one row each with its visibility, colour (a colour picker), name (select it to edit)
 * and volume. A search narrows a long list (TotalSegmentator gives dozens); "Show/Hide all" act on the
 * rows listed.
 */
export function SegmentList({ segments }: { segments: Segments }) {
  const [find, setFind] = useState('');
  const { records, hidden, selected } = segments;
  const q = find.trim().toLowerCase();
  const listed = q ? records.filter((g) => g.name.toLowerCase().includes(q)) : records;
  const ids = listed.map((g) => g.id);
  const shownCount = records.length - records.filter((g) => hidden.has(g.id)).length;
  return (
    <div className="segment-list-box">
      <div className="segment-list-head">
        {records.length > 6 && (
          <input type="search" className="text-input grow" aria-label="Find a segment" placeholder="Find a segment…" value={find} onChange={(e) => setFind(e.currentTarget.value)} />
        )}
        <button type="button" className="chip" onClick={() => segments.setShown(ids, true)}>
          {q ? 'Show found' : 'Show all'}
        </button>
        <button type="button" className="chip" onClick={() => segments.setShown(ids, false)}>
          {q ? 'Hide found' : 'Hide all'}
        </button>
      </div>
      <ul className="segment-list" aria-label="Segments" role="list">
        {listed.map((g) => (
          <SegmentRow key={g.id} g={g} segments={segments} shown={!hidden.has(g.id)} selected={g.id === selected} />
        ))}
      </ul>
      <p className="muted segment-count">
        {shownCount} of {records.length} shown{q ? ` · ${listed.length} found` : ''} · click a name to edit that segment
      </p>
    </div>
  );
}

function SegmentRow({ g, segments, shown, selected }: { g: Segment; segments: Segments; shown: boolean; selected: boolean }) {
  return (
    <li className={`segment-row${selected ? ' selected' : ''}${shown ? '' : ' hidden-segment'}`}>
      <input type="checkbox" aria-label={`Show ${g.name}`} title="Show or hide" checked={shown} onChange={(e) => segments.setShown([g.id], e.currentTarget.checked)} />
      <input
        type="color"
        className="swatch"
        aria-label={`Colour of ${g.name}`}
        title="Colour"
        value={toHex(g.color)}
        onChange={(e) => {
          const c = fromHex(e.currentTarget.value);
          if (c) void segments.recolour(g.id, c);
        }}
      />
      <button type="button" className="segment-name" aria-pressed={selected} title={selected ? 'Selected: the tools below edit it' : 'Select to edit'} onClick={() => segments.select(selected ? null : g.id)}>
        {g.name}
      </button>
      <span className="segment-ml" title={`${segments.voxels(g).toLocaleString('en-US')} voxels`}>
        {fmtMl(segments.ml(g))} mL
      </span>
    </li>
  );
}
