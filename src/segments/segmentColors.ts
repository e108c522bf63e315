// Colours of segments: the slice overlay's label → colour tables, and colour ↔ "#rrggbb" for the
// colour picker.
import type { Rgb, Segment } from '../../workers/core/segments';
import { packRgba } from '../viewer/overlay';

/** Opacity of a segment in the slice overlay; the selected one (being edited) stands out. */
export const SEGMENT_ALPHA = 120;
export const SELECTED_ALPHA = 210;

/**
 * Per layer, label value → packed RGBA (0 = not drawn): the shown segments in their colours. With a
 * selection, the selected segment is drawn more opaque than the others.
 */
export function overlayColors(layerCount: number, segments: readonly Segment[], hidden: ReadonlySet<number>, selected: number | null): Uint32Array[] {
  const out = Array.from({ length: layerCount }, () => new Uint32Array(256));
  for (const g of segments) {
    if (hidden.has(g.id) || g.layer >= layerCount) continue;
    const a = selected === null ? (SEGMENT_ALPHA + SELECTED_ALPHA) / 2 : g.id === selected ? SELECTED_ALPHA : SEGMENT_ALPHA;
    out[g.layer][g.value] = packRgba(g.color[0], g.color[1], g.color[2], a);
  }
  return out;
}

export const toHex = (c: Rgb): string => `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;

export function fromHex(hex: string): Rgb | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  return m ? (m.slice(1, 4).map((h) => parseInt(h, 16)) as Rgb) : null;
}
