import { useEffect, useState } from 'react';
import type { LogicalOp } from '../../workers/core/logical';
import type { Segment } from '../../workers/core/segments';
import type { ThresholdRange } from '../../workers/core/types';
import type { SliceTool } from '../segmentation/EditTools';
import type { ScissorsMode, Segments } from './useSegments';

interface Props {
  segments: Segments;
  /** the selected segment */
  g: Segment;
  tool: SliceTool;
  onTool: (t: SliceTool) => void;
  /** the threshold's band: the brush's HU limit starts from it */
  range: ThresholdRange;
  unit: string;
}

const SLICE_TOOLS: { id: SliceTool; label: string; hint: string }[] = [
  { id: 'paint', label: 'Paint', hint: 'Drag in any view to paint a sphere of this radius.' },
  { id: 'erase', label: 'Erase', hint: 'Drag in any view to erase the segment (other segments stay).' },
  { id: 'scissors', label: 'Scissors', hint: 'Drag an outline in a view, or click its corners and double-click to close; it cuts through the whole volume along the view. Esc drops it.' },
  { id: 'island', label: 'Keep island', hint: 'Click a piece of the segment in a view: only that piece is kept.' },
];

const SCISSORS: { id: ScissorsMode; label: string }[] = [
  { id: 'erase-inside', label: 'Erase inside' },
  { id: 'erase-outside', label: 'Keep inside (erase outside)' },
  { id: 'fill-inside', label: 'Fill inside' },
];

/** Number input that reports finite values only. */
function NumberField({ label, value, onChange, min, max, step }: { label: string; value: number; onChange: (v: number) => void; min?: number; max?: number; step?: number }) {
  return (
    <input
      type="number"
      className="small-number"
      aria-label={label}
      value={value}
      min={min}
      max={max}
      step={step}
      onChange={(e) => {
        const v = e.currentTarget.valueAsNumber;
        if (Number.isFinite(v)) onChange(v);
      }}
    />
  );
}

/** Editing the selected segment: its name, the slice tools (paint, erase, scissors, keep island) and whole-segment operations. */
export function SegmentTools({ segments, g, tool, onTool, range, unit }: Props) {
  const [name, setName] = useState(g.name);
  useEffect(() => setName(g.name), [g.name]);
  const [minMl, setMinMl] = useState(1);
  const [marginMm, setMarginMm] = useState(2);
  const others = segments.records.filter((x) => x.id !== g.id);
  const [other, setOther] = useState<number | null>(null);
  const [op, setOp] = useState<LogicalOp>('add');
  const otherId = others.some((x) => x.id === other) ? other : (others[0]?.id ?? null);
  const b = segments.brush;
  const busy = !!segments.busy;
  const commitName = () => {
    const n = name.trim();
    if (n && n !== g.name) void segments.rename(g.id, n);
    else setName(g.name);
  };
  const active = SLICE_TOOLS.find((t) => t.id === tool);
  return (
    <section className="segment-tools" aria-label={`Edit ${g.name}`}>
      <label className="field">
        <span>Name</span>
        <input
          type="text"
          className="text-input"
          aria-label="Segment name"
          value={name}
          maxLength={64}
          onChange={(e) => setName(e.currentTarget.value)}
          onBlur={commitName}
          onKeyDown={(e) => e.key === 'Enter' && commitName()}
        />
      </label>
      <div className="tool-buttons" role="group" aria-label="Segment tools">
        {SLICE_TOOLS.map((t) => (
          <button key={t.id} type="button" className="chip" aria-pressed={tool === t.id} onClick={() => onTool(tool === t.id ? 'none' : t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      {active && <p className="hint">{active.hint}</p>}
      {(tool === 'paint' || tool === 'erase') && (
        <div className="tool-options">
          <label className="inline-field">
            Brush radius (mm) <NumberField label="Brush radius (mm)" value={b.radiusMm} min={0.5} max={100} step={0.5} onChange={(v) => segments.setBrush({ ...b, radiusMm: v })} />
          </label>
          <label className="check">
            <input type="checkbox" checked={b.limitHu} onChange={(e) => segments.setBrush({ ...b, limitHu: e.currentTarget.checked, hu: e.currentTarget.checked ? range : b.hu })} />
            Only where {unit || 'the value'} is between
          </label>
          {b.limitHu && (
            <span className="inline-field">
              <NumberField label={`Brush lower limit${unit ? ` (${unit})` : ''}`} value={b.hu.lower} onChange={(v) => segments.setBrush({ ...b, hu: { ...b.hu, lower: v } })} />
              and
              <NumberField label={`Brush upper limit${unit ? ` (${unit})` : ''}`} value={b.hu.upper} onChange={(v) => segments.setBrush({ ...b, hu: { ...b.hu, upper: v } })} />
            </span>
          )}
        </div>
      )}
      {tool === 'scissors' && (
        <label className="field">
          <span>Scissors</span>
          <select value={segments.scissors} onChange={(e) => segments.setScissors(e.currentTarget.value as ScissorsMode)}>
            {SCISSORS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <details className="segment-ops">
        <summary>Islands, margin, holes, combine</summary>
        <div className="op-row">
          <span>Remove pieces under</span>
          <NumberField label="Smallest piece kept (mL)" value={minMl} min={0} step={0.1} onChange={setMinMl} />
          <span>mL</span>
          <button type="button" className="button small" disabled={busy} onClick={() => void segments.ops.removeSmall(minMl)}>
            Remove
          </button>
        </div>
        <div className="op-row">
          <button type="button" className="button small" disabled={busy} onClick={() => void segments.ops.split()}>
            Split into pieces
          </button>
          <button type="button" className="button small" disabled={busy} onClick={() => void segments.ops.fillHoles()}>
            Fill holes
          </button>
        </div>
        <div className="op-row">
          <span>Margin</span>
          <NumberField label="Margin (mm)" value={marginMm} min={0.1} step={0.5} onChange={setMarginMm} />
          <span>mm</span>
          <button type="button" className="button small" disabled={busy} onClick={() => void segments.ops.margin(Math.abs(marginMm))}>
            Grow
          </button>
          <button type="button" className="button small" disabled={busy} onClick={() => void segments.ops.margin(-Math.abs(marginMm))}>
            Shrink
          </button>
        </div>
        {otherId !== null && (
          <div className="op-row">
            <select aria-label="Combine how" value={op} onChange={(e) => setOp(e.currentTarget.value as LogicalOp)}>
              <option value="add">Add</option>
              <option value="subtract">Subtract</option>
              <option value="intersect">Intersect with</option>
            </select>
            <select aria-label="Other segment" className="grow" value={otherId} onChange={(e) => setOther(Number(e.currentTarget.value))}>
              {others.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
            <button type="button" className="button small" disabled={busy} onClick={() => void segments.ops.logical(otherId, op)}>
              Apply
            </button>
          </div>
        )}
      </details>
      <button type="button" className="button secondary small danger" disabled={busy} onClick={() => void segments.remove(g.id)}>
        Delete {g.name}
      </button>
    </section>
  );
}
